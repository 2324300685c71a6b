// shardOf: a stable, balanced partition by the app id; parseShard: the `--shard K/N` flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_SHARDS, parseShard, shardOf } from './shard';

const SEED = 1111;

test('shards 1..N partition any list of ids: each id in exactly one shard, in range', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ maxLength: 40 }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 50 }),
      (ids, n) => {
        const shards = Array.from({ length: n }, (_, k) => ids.filter((id) => shardOf(id, n) === k + 1));
        assert.equal(shards.flat().length, ids.length);
        assert.deepEqual(shards.flat().sort(), [...ids].sort());
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test('adding apps moves no other app, and the shard does not depend on the order or the machine', () => {
  fc.assert(
    fc.property(fc.array(fc.string(), { maxLength: 30 }), fc.array(fc.string(), { maxLength: 30 }), (ids, added) => {
      for (const id of ids) assert.equal(shardOf(id, 7), shardOf(id, 7));
      const before = new Map(ids.map((id) => [id, shardOf(id, 7)]));
      void added.map((id) => shardOf(id, 7));
      for (const id of ids) assert.equal(shardOf(id, 7), before.get(id));
    }),
    { seed: SEED, numRuns: 100 },
  );
  // Pinned values: sha256 is the same everywhere, so these never change (a change would reshuffle
  // every repository's matrix between two releases).
  assert.deepEqual(
    ['web', 'team-a/api', 'payments-prod'].map((id) => shardOf(id, 3)),
    [2, 1, 1],
  );
  assert.equal(shardOf('anything', 1), 1);
});

test('balance: 1,000 generated ids spread over N shards within a tolerance', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `team-${i % 17}/app-${i}`);
  for (const n of [2, 3, 4, 7, 10]) {
    const counts = new Array<number>(n).fill(0);
    for (const id of ids) counts[shardOf(id, n) - 1]!++;
    const expected = ids.length / n;
    // 4 standard deviations of the binomial count: a fair hash stays inside (the ids are fixed, so this
    // is deterministic; the bound documents what "balanced" means).
    const tol = 4 * Math.sqrt(ids.length * (1 / n) * (1 - 1 / n));
    for (const c of counts)
      assert.ok(
        Math.abs(c - expected) <= tol,
        `N=${n}: ${counts.join(',')} (expected ${expected} +- ${tol.toFixed(0)})`,
      );
  }
});

test('shardOf refuses a count that is not a positive integer (a caller bug)', () => {
  for (const n of [0, -1, 1.5, Number.NaN]) assert.throws(() => shardOf('a', n));
});

test('parseShard: K/N with 1 <= K <= N <= 1000, and a message for everything else', () => {
  assert.deepEqual(parseShard('1/3'), { index: 1, count: 3 });
  assert.deepEqual(parseShard('3/3'), { index: 3, count: 3 });
  assert.deepEqual(parseShard(`${MAX_SHARDS}/${MAX_SHARDS}`), { index: MAX_SHARDS, count: MAX_SHARDS });
  for (const bad of [
    '',
    '1',
    '0/3',
    '4/3',
    '1/0',
    '1/1001',
    '-1/3',
    '1/3 ',
    ' 1/3',
    '1.0/3',
    '1/3/4',
    'a/b',
    '+1/3',
    '1e1/20',
    '1 / 3',
    '99999/99999',
  ]) {
    const r = parseShard(bad);
    assert.ok('error' in r, `${JSON.stringify(bad)} must be refused`);
    assert.match(r.error, /^--shard .*expected K\/N/);
  }
  assert.match((parseShard('4/3') as { error: string }).error, /K is over N/);
});
