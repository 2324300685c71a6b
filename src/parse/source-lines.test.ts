// Source lines of parsed documents and List items, from the yaml package's LineCounter (issue 10,
// Habits), across everything that spans lines: block, folded, quoted and plain multi-line scalars,
// comments, blank lines, CRLF, and the deep-nesting refusal's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING_DEPTH, parseManifests } from './parse-manifests';
import { RenderFailure } from '../util/errors';

const cm = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
const lines = (text: string) => parseManifests([{ path: 'f.yaml', text }]).map((d) => d.source.line);

test('source lines: each document starts where its first key is, whatever the scalars before it span', () => {
  const docs = [
    cm('block', '  k: |\n    one\n    two\n\n    three\n'),
    cm('folded', '  k: >-\n    one\n    two\n'),
    cm('quoted', '  k: "one\n    two\n    three"\n  s: \'a\n    b\'\n'),
    cm('plain', '  k: one\n    two\n    three\n'),
    '# a comment\n\n' + cm('after-comments', '  k: v\n'),
  ];
  const text = docs.join('---\n');
  const want: number[] = [];
  let at = 1;
  for (const d of docs) {
    want.push(at + (d.startsWith('#') ? 2 : 0));
    at += d.split('\n').length; // the document's lines plus its `---` line
  }
  assert.deepEqual(lines(text), want);
  assert.deepEqual(lines(text.replace(/\n/g, '\r\n')), want, 'CRLF counts the same lines');
});

test('source lines: List items are reported at their own lines', () => {
  const text =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: |\n      x\n      y\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n';
  assert.deepEqual(lines(text), [4, 11]);
});

test('source lines: a file that nests too deep is refused at the line where it does', () => {
  const text = `${cm('a', '  k: v\n')}---\n${cm('b', '  k: |\n    x\n    y\n')}  deep: ${'['.repeat(MAX_NESTING_DEPTH + 10)}\n`;
  // Lines 1-6 the first document, 7 `---`, 8-15 the second up to its block scalar, 16 `deep:`.
  assert.throws(
    () => lines(text),
    (e: unknown) => e instanceof RenderFailure && e.where === 'f.yaml:16' && /nests deeper/.test(e.message),
  );
});
