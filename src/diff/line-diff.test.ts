import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffLines, splitLines, unifiedDiff } from './line-diff';

/** Length of a longest common subsequence, the quadratic textbook way, as the oracle. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

test('diffLines: the script rebuilds both sides and is a shortest one (property, against a quadratic LCS)', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 });
  fc.assert(
    fc.property(lines, lines, (a, b) => {
      const ops = diffLines(a, b);
      assert.deepEqual(
        ops.filter((o) => o.op !== '+').map((o) => o.line),
        a,
      );
      assert.deepEqual(
        ops.filter((o) => o.op !== '-').map((o) => o.line),
        b,
      );
      assert.equal(ops.filter((o) => o.op === ' ').length, lcs(a, b));
    }),
    { seed: 12, numRuns: 2000 },
  );
});

test('unifiedDiff: hunks with 3 lines of context, numbered as diff -u does; equal texts give nothing', () => {
  const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'].join('\n') + '\n';
  const b = a.replace('2\n', 'two\n').replace('14\n', '');
  assert.equal(
    unifiedDiff(a, b),
    '@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -11,5 +11,4 @@\n 11\n 12\n 13\n-14\n 15\n',
  );
  assert.equal(unifiedDiff(a, a), '');
  // Changes closer than twice the context share one hunk.
  assert.equal(unifiedDiff('a\nb\nc\nd\n', 'A\nb\nc\nD\n'), '@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D\n');
  // From nothing: the empty side is numbered 0.
  assert.equal(unifiedDiff('', 'x\n'), '@@ -0,0 +1,1 @@\n+x\n');
  assert.deepEqual(splitLines('a\n\nb\n'), ['a', '', 'b']);
});

test('diffLines: 40k lines with scattered edits stay fast (linear space, O(ND) time)', () => {
  const a = Array.from({ length: 40_000 }, (_, i) => `line ${i}`);
  const b = a.map((l, i) => (i % 5000 === 0 ? `${l} changed` : l));
  const t = Date.now();
  const ops = diffLines(a, b);
  assert.equal(ops.filter((o) => o.op === '-').length, 8);
  assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  // Two large texts with nothing in common: bounded work, all removed then all added.
  const t2 = Date.now();
  const x = Array.from({ length: 60_000 }, (_, i) => `a ${i}`);
  const y = Array.from({ length: 60_000 }, (_, i) => `b ${i}`);
  const xy = diffLines(x, y);
  assert.equal(xy.length, 120_000);
  assert.ok(Date.now() - t2 < 5000, `${Date.now() - t2} ms`);
  // Nothing in common: all removed, all added.
  const c = diffLines(['a', 'b'], ['c', 'd']).map((o) => o.op + o.line);
  assert.deepEqual(c, ['-a', '-b', '+c', '+d']);
});
