import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from './pool';

test('Pool: never more than size tasks at once, every task runs, in order', async () => {
  const pool = new Pool(2);
  let now = 0;
  let max = 0;
  const started: number[] = [];
  const tick = () => new Promise((r) => setImmediate(r));
  const results = await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      pool.run(async () => {
        started.push(i);
        max = Math.max(max, ++now);
        await tick();
        now--;
        return i * 10;
      }),
    ),
  );
  assert.deepEqual(results, [0, 10, 20, 30, 40]);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(max, 2);
});

test('Pool: a failing task frees its slot', async () => {
  const pool = new Pool(1);
  await assert.rejects(pool.run(() => Promise.reject(new Error('x'))));
  assert.equal(await pool.run(() => Promise.resolve(1)), 1);
});
