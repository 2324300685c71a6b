// documentTexts (split) and strictDocumentTexts (migrate, one-object-per-file): each document's own
// text, separators removed (issue 13); jsonValueTexts: the values of a JSON stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { contentDocumentCount, documentTexts, jsonValueTexts, strictDocumentTexts } from './document-texts';

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

test('strictDocumentTexts: markers go, every other line stays byte for byte', () => {
  const r = strictDocumentTexts('\ufeff# head\r\n--- # note\r\na: 1\r\n...\r\n---\r\nb: |\r\n  ---\r\n');
  assert.ok(r.ok);
  assert.deepEqual(
    r.docs.map((d) => [d.text, d.line, d.blank]),
    [
      ['# head\r\n', 1, true],
      ['# note\r\na: 1\r\n', 2, false],
      ['b: |\r\n  ---\r\n', 6, false],
    ],
  );
});

test('strictDocumentTexts: content on a marker line and directives are refused, with the line', () => {
  assert.deepEqual(strictDocumentTexts('a: 1\n--- {b: 2}\n'), {
    ok: false,
    reason: 'content on the `---` line itself',
    line: 2,
  });
  assert.deepEqual(strictDocumentTexts('%YAML 1.2\n---\na: 1\n'), {
    ok: false,
    reason: 'a YAML directive (%YAML or %TAG)',
    line: 1,
  });
});

test('contentDocumentCount: comment-only documents do not count; the second object is where the finding points', () => {
  assert.deepEqual(contentDocumentCount('# x\n---\na: 1\n---\n---\n\n# c\nb: 2\n'), { count: 2, secondLine: 8 });
  assert.deepEqual(contentDocumentCount('a: 1\n'), { count: 1 });
});

test('strictDocumentTexts: the pieces joined with separators give back every non-marker line (property)', () => {
  const line = fc.oneof(
    fc.constantFrom('---', '...', '--- # c', 'a: 1', '  ---', '# c', '', 'key: "---"'),
    fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const text = lines.map((l) => `${l}\n`).join('');
      const r = strictDocumentTexts(text);
      if (!r.ok) return;
      const kept = lines.filter((l) => !/^(---|\.\.\.)([ \t]|$)/.test(l) || /^(---|\.\.\.)[ \t]+#/.test(l));
      const joined = r.docs.map((d) => d.text).join('');
      assert.equal(joined, kept.map((l) => `${l.replace(/^(---|\.\.\.)[ \t]+/, '')}\n`).join(''));
    }),
    { seed: 13, numRuns: 500 },
  );
});

// A stream of well-formed documents with the separators, comments and line breaks both cuts meet;
// `fancy` adds what only the keeping cut accepts (a directive, content on a `---` line).
const ENTRIES = ['a: 1', 'b: "x ---"', 'c: |\n  ---x\n  # not a comment\n  ....', 'd:\n  - 1\n  - e: f', "'g': [1, 2]"];
const COMMENTS = ['# c', '', '  # indented', '#---', '# ...'];
const FANCY = ['--- {x: 1}', '--- |\n  text\n  ---x', '--- !!str tagged', '--- [1, 2]'];
const stream = fc
  .record({
    header: fc.constantFrom('', '---\n', '# header\n---\n', '--- # c\n', '\n# h\n'),
    directive: fc.nat(5).map((n) => n === 0),
    docs: fc.array(
      fc.record({
        sep: fc.constantFrom(
          '---\n',
          '--- # sep\n',
          '---\t\n',
          '...\n---\n',
          '...\n# after end\n---\n',
          '---\n# only\n---\n',
        ),
        entries: fc.uniqueArray(fc.nat(ENTRIES.length - 1), { minLength: 1, maxLength: 4 }),
        comments: fc.array(fc.constantFrom(...COMMENTS), { maxLength: 5 }),
        fancy: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, fc.nat(FANCY.length - 1)),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    trailer: fc.constantFrom('', '...\n', '# tail\n', '---\n', '---\n# tail\n'),
    crlf: fc.boolean(),
    finalBreak: fc.boolean(),
  })
  .map((s) => {
    let text = s.directive ? '%YAML 1.2\n---\n' : s.header;
    s.docs.forEach((d, i) => {
      // A document with content on its `---` line brings its own marker.
      if (i > 0) text += d.fancy === null ? d.sep : d.sep.replace(/---[^\n]*\n$/, '');
      else if (d.fancy !== null) text = text.replace(/---[^\n]*\n$/, '');
      const lines =
        d.fancy !== null
          ? [FANCY[d.fancy]!, ...d.comments.filter((c) => c !== '')]
          : d.entries.flatMap((e, k) => [...(d.comments[k] === undefined ? [] : [d.comments[k]!]), ENTRIES[e]!]);
      text += lines.map((l) => `${l}\n`).join('');
    });
    text += s.trailer;
    if (!s.finalBreak) text = text.replace(/\n$/, '');
    const fancy = s.directive || s.docs.some((d) => d.fancy !== null);
    return { text: s.crlf ? text.replace(/\n/g, '\r\n') : text, fancy };
  });

/** The values of the documents that are not empty, as the yaml package reads them. */
function values(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  assert.ok(Array.isArray(docs), 'the stream parses');
  for (const d of docs) assert.deepEqual(d.errors, [], text);
  return docs.map((d) => d.toJS() as unknown).filter((v) => v !== null);
}

const contentLines = (t: string) => t.split(/\r?\n/).filter((l) => !/^[ \t]*(?:#.*)?$/.test(l));

test('the two cuts agree where both accept, and each piece is its document (property)', () => {
  fc.assert(
    fc.property(stream, ({ text, fancy }) => {
      const whole = values(text);
      const keep = documentTexts(text).filter((d) => d.hasContent);
      const strict = strictDocumentTexts(text);
      // The strict cut refuses exactly a directive or content on a `---` line.
      assert.equal(strict.ok, !fancy);
      assert.deepEqual(
        keep.map((d) => values(d.text)),
        whole.map((v) => [v]),
      );
      if (!strict.ok) return;
      const content = strict.docs.filter((d) => !d.blank);
      assert.deepEqual(
        content.map((d) => values(d.text)),
        whole.map((v) => [v]),
      );
      // Only comments move (to the next object for split, into documents of their own for migrate).
      assert.deepEqual(
        content.map((d) => contentLines(d.text)),
        keep.map((d) => contentLines(d.text)),
      );
    }),
    { seed: 13, numRuns: 400 },
  );
});

test("each cut's pieces joined with `---` lines read as the same objects as the whole (property)", () => {
  fc.assert(
    fc.property(stream, ({ text }) => {
      const whole = values(text);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      assert.deepEqual(
        values(
          documentTexts(text)
            .map((d) => d.text)
            .join(`---${eol}`),
        ),
        whole,
      );
      const strict = strictDocumentTexts(text);
      if (strict.ok) assert.deepEqual(values(strict.docs.map((d) => d.text).join(`---${eol}`)), whole);
    }),
    { seed: 13, numRuns: 400 },
  );
});
