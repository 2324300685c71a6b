// The document count that bounds a render before it is parsed (issue 9 §6) never counts fewer
// documents than the parser finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { checkDocumentCount, countDocumentMarkers, MAX_DOCUMENTS } from './limits';

test('document markers: --- and ... at the start of a line, followed by a blank or the end', () => {
  assert.equal(countDocumentMarkers(''), 1);
  assert.equal(countDocumentMarkers('a: 1\n'), 1);
  assert.equal(countDocumentMarkers('---\na: 1\n---\nb: 2\n'), 3);
  assert.equal(countDocumentMarkers('---\n---\n---'), 4);
  assert.equal(countDocumentMarkers('a: 1\n...\nb: 2\n'), 2);
  assert.equal(countDocumentMarkers('--- a\n---\t\r\n'), 3);
  assert.equal(countDocumentMarkers('a: ---\n ---\n----\n--x\n'), 1);
});

test('document markers (property): never fewer than the documents the YAML parser finds in a stream that parses', () => {
  const piece = fc.constantFrom(
    '---',
    '...',
    '--- ',
    '-',
    '.',
    'a: 1',
    '"x',
    '|',
    '  b',
    '#c',
    '\n',
    '\r\n',
    ' ',
    '{',
    '}',
    '- x',
    '---\t',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const docs = parseAllDocuments(text);
      // A stream with an error fails the render at its first error; the count only has to hold for
      // streams that parse.
      if (docs.some((d) => d.errors.length)) return;
      assert.ok(countDocumentMarkers(text) >= docs.length, JSON.stringify(text));
    }),
    { seed: 9001, numRuns: 2000 },
  );
});

test('document count: refused over the limit across files, with the file that crossed it', () => {
  const half = '---\n'.repeat(MAX_DOCUMENTS / 2);
  assert.doesNotThrow(() =>
    checkDocumentCount([
      { path: 'a.yaml', text: 'a: 1\n' },
      { path: 'b.yaml', text: '---\n'.repeat(1000) },
    ]),
  );
  assert.throws(
    () =>
      checkDocumentCount([
        { path: 'a.yaml', text: half },
        { path: 'b.yaml', text: half },
      ]),
    (e: Error & { where?: string }) => e.where === 'b.yaml' && /more than 100000 YAML documents/.test(e.message),
  );
});
