import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { contentDocumentCount, documentTexts } from './document-lines';

test('documentTexts: markers go, every other line stays byte for byte', () => {
  const r = documentTexts('\ufeff# head\r\n--- # note\r\na: 1\r\n...\r\n---\r\nb: |\r\n  ---\r\n');
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

test('documentTexts: content on a marker line and directives are refused, with the line', () => {
  assert.deepEqual(documentTexts('a: 1\n--- {b: 2}\n'), {
    ok: false,
    reason: 'content on the `---` line itself',
    line: 2,
  });
  assert.deepEqual(documentTexts('%YAML 1.2\n---\na: 1\n'), {
    ok: false,
    reason: 'a YAML directive (%YAML or %TAG)',
    line: 1,
  });
});

test('contentDocumentCount: comment-only documents do not count; the second object is where the finding points', () => {
  assert.deepEqual(contentDocumentCount('# x\n---\na: 1\n---\n---\n\n# c\nb: 2\n'), { count: 2, secondLine: 8 });
  assert.deepEqual(contentDocumentCount('a: 1\n'), { count: 1 });
});

test('documentTexts: the pieces joined with separators give back every non-marker line (property)', () => {
  const line = fc.oneof(
    fc.constantFrom('---', '...', '--- # c', 'a: 1', '  ---', '# c', '', 'key: "---"'),
    fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const text = lines.map((l) => `${l}\n`).join('');
      const r = documentTexts(text);
      if (!r.ok) return;
      const kept = lines.filter((l) => !/^(---|\.\.\.)([ \t]|$)/.test(l) || /^(---|\.\.\.)[ \t]+#/.test(l));
      const joined = r.docs.map((d) => d.text).join('');
      assert.equal(joined, kept.map((l) => `${l.replace(/^(---|\.\.\.)[ \t]+/, '')}\n`).join(''));
    }),
    { seed: 13, numRuns: 500 },
  );
});
