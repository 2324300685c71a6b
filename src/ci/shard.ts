// Which shard of a CI matrix checks an app (issue 11, "Fast, and past one machine"): `--shard K/N` runs
// the apps whose shard is K. The shard is a function of the app's id alone (sha256, the same on every
// machine and Node version, never Math.random or the order apps are found in), so adding or removing an
// app moves no other app, and a uniform hash spreads N shards evenly in expectation. Changing N
// reshuffles, as any matrix resize does.
import { createHash } from 'node:crypto';

/** The largest N `--shard K/N` takes: CI matrices are far smaller (GitHub Actions allows 256 jobs). */
export const MAX_SHARDS = 1000;

/** The 1-based shard of `count` that checks the app with this id: stable across runs and machines.
 * The first 48 bits of sha256(id) modulo count: the bias of 2^48 mod count is below 1e-11. */
export function shardOf(id: string, count: number): number {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`shardOf: count must be a positive integer, not ${count}`);
  const h = createHash('sha256').update(id, 'utf8').digest();
  return (h.readUIntBE(0, 6) % count) + 1;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `K/N` as `--shard` takes it: K and N positive integers written in decimal, K <= N <= 1000. */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(text);
  const bad = (why: string) => ({
    error: `--shard ${JSON.stringify(text.slice(0, 40))}: ${why} (expected K/N, 1 <= K <= N <= ${MAX_SHARDS}, e.g. 2/4)`,
  });
  if (!m) return bad('not K/N');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (index < 1 || count < 1) return bad('K and N start at 1');
  if (count > MAX_SHARDS) return bad(`N is over ${MAX_SHARDS}`);
  if (index > count) return bad('K is over N');
  return { index, count };
}
