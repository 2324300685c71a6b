// documentTexts: each document's own text, separators removed (issue 13); jsonValueTexts: the values
// of a JSON stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentTexts, jsonValueTexts } from './document-texts';

const texts = (s: string) => documentTexts(s).map((d) => [d.text, d.startLine, d.endLine, d.hasContent]);

test('documentTexts: separators go, comments stay in the document they are written in', () => {
  assert.deepEqual(texts('# head\n---\na: 1\n# tail of a\n---\n# only\n---\nb: |\n  ---x\n  y\n'), [
    ['# head\na: 1\n# tail of a\n', 1, 4, true],
    ['# only\n', 5, 6, false],
    ['b: |\n  ---x\n  y\n', 7, 10, true],
  ]);
});

test('documentTexts: ..., directives, markers with content or comments, no final line break, CRLF', () => {
  assert.deepEqual(texts('a: 1\n...\n# next\n%YAML 1.1\n---\nb: 2\n--- # c\nc: 3\n--- |\n  text'), [
    ['a: 1\n', 1, 2, true],
    ['# next\n%YAML 1.1\n---\nb: 2\n', 3, 6, true],
    ['# c\nc: 3\n', 7, 8, true],
    ['--- |\n  text\n', 9, 10, true],
  ]);
  assert.deepEqual(texts('a: 1\r\n---\r\nb: 2'), [
    ['a: 1\r\n', 1, 1, true],
    ['b: 2\r\n', 2, 3, true],
  ]);
  assert.deepEqual(texts(''), []);
  assert.deepEqual(texts('---\n---\n'), [
    ['', 1, 1, false],
    ['', 2, 2, false],
  ]);
  // `----` and `---x` are not markers.
  assert.deepEqual(texts('a: |\n ----\n---x: 1\n'), [['a: |\n ----\n---x: 1\n', 1, 3, true]]);
});

test('jsonValueTexts: objects and lists in a row, braces inside strings skipped; anything else is not JSON', () => {
  assert.deepEqual(jsonValueTexts('{"a": "}{"}\n\n{"b": [1, {"c": "\\""}]}[1]'), [
    { text: '{"a": "}{"}', line: 1 },
    { text: '{"b": [1, {"c": "\\""}]}', line: 3 },
    { text: '[1]', line: 3 },
  ]);
  assert.equal(jsonValueTexts('{"a": 1'), undefined);
  assert.equal(jsonValueTexts('{"a": 1}\nb: 2\n'), undefined);
  assert.equal(jsonValueTexts(''), undefined);
});
