// parseManifests in-process: what Kubernetes' YAML-to-JSON step cannot read is refused at file:line
// (never turned into something else), and documents are counted as Argo CD counts them (contract §3e).
// The CLI-level parse tests are test/parse-manifests.test.ts; the scalar table is k8s-yaml.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderFailure } from '../util/errors';
import { parseManifests } from './parse-manifests';

test('parseManifests: what Kubernetes cannot read is refused at file:line, never turned into something else', () => {
  const rows: Array<[string, string, RegExp]> = [
    ['a: 1\nb: .inf\n', 'a.yaml:2', /`.inf` is infinite/],
    ['a: [-.Inf]\n', 'a.yaml:1', /infinite/],
    ['a: .NaN\n', 'a.yaml:1', /is NaN/],
    ['? [a]\n: 1\n', 'a.yaml:1', /map key is a list/],
    ['? {a: 1}\n: 1\n', 'a.yaml:1', /map key is a mapping/],
    ['a:\n  ~: 1\n', 'a.yaml:2', /map key is null/],
    ['a:\n  null: 1\n', 'a.yaml:2', /map key is null/],
    ['1e6: x\n', 'a.yaml:1', /map key is the number 1e6/],
    ['1.5: x\n', 'a.yaml:1', /map key is the number 1.5/],
    ['18446744073709551615: x\n', 'a.yaml:1', /map key is the number/],
    ['a: 1\na: 2\n', 'a.yaml:2', /unique|duplicate/i],
    ['a: [1\n', 'a.yaml:2', /invalid YAML|flow/i],
    ['a: *nope\n', 'a.yaml:1', /alias|anchor/i],
  ];
  for (const [text, where, message] of rows) {
    assert.throws(
      () => parseManifests([{ path: 'a.yaml', text }]),
      (e: unknown) => {
        assert.ok(e instanceof RenderFailure, String(e));
        assert.match(e.message, message, text);
        assert.equal(e.where, where, text);
        assert.ok(!e.message.includes('\n'), 'one line');
        return true;
      },
      text,
    );
  }
});

test('parseManifests: keys that read back as the same text are kept', () => {
  const [doc] = parseManifests([{ path: 'a.yaml', text: '12: a\n"1e6": b\nyes: c\n0x10: d\n' }]);
  assert.deepEqual(doc?.value, { 12: 'a', '1e6': 'b', true: 'c', 16: 'd' });
});

test('parseManifests: documents as Argo CD counts them (empty and null dropped, Lists flattened), each with its line', () => {
  const text = '---\n---\nnull\n---\n# only a comment\n---\nkind: List\nitems:\n- {a: 1}\n- {b: 2}\n---\nc: 3\n';
  const docs = parseManifests([
    { path: 'x/a.yaml', text },
    { path: 'x/b.json', text: '{"d": 4}' },
  ]);
  assert.deepEqual(
    docs.map((d) => d.value),
    [{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }],
  );
  assert.deepEqual(
    docs.map((d) => `${d.source.file}:${d.source.line}`),
    ['x/a.yaml:9', 'x/a.yaml:10', 'x/a.yaml:12', 'x/b.json:1'],
  );
});

test('parseManifests: a scalar `---` inside a document does not restart its pieces count (review)', () => {
  const half = '- 0\n'.repeat(50_000);
  assert.throws(
    () => parseManifests([{ path: 'a.yaml', text: `a:\n${half}- ---\n${half}` }]),
    (e: unknown) => e instanceof RenderFailure && /more than 250000 pieces/.test(e.message),
  );
  // A real `---` between two halves makes two documents, each within the bound.
  assert.equal(parseManifests([{ path: 'a.yaml', text: `a:\n${half}---\nb:\n${half}` }]).length, 2);
});
