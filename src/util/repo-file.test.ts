// The guarded reader, in-process: excerpt() is the only way repository text reaches a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EXCERPT_CHARS, excerpt, isInside, readOptionalRepoFile, readRepoFile } from './repo-file';
import { RenderFailure } from './errors';

test('excerpt: one line, control and bidi characters escaped, at most 200 characters of the text', () => {
  assert.equal(excerpt('a\nb\r\tc\x1b[31m\x7f\u0085\u2028\u202e'), 'a\\nb\\r\\tc\\x1b[31m\\x7f\\x85\\u2028\\u202e');
  assert.equal(excerpt('x'.repeat(500)), `${'x'.repeat(EXCERPT_CHARS)}…`);
  assert.equal(
    excerpt('😀'.repeat(300)).length,
    EXCERPT_CHARS * 2 + 1,
    'counted in code points, never cut inside a surrogate pair',
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
      const e = excerpt(s);
      assert.doesNotMatch(e, /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      assert.ok([...e].length <= EXCERPT_CHARS * 6 + 1);
    }),
    { seed: 8, numRuns: 300 },
  );
});

test('isInside: the root and what is under it, never a sibling that shares a prefix', () => {
  assert.ok(isInside('/r', '/r'));
  assert.ok(isInside('/r', '/r/a/b'));
  assert.ok(isInside('/r', '/r/..a'), 'a file named ..a is inside');
  assert.ok(!isInside('/r', '/r2/a'));
  assert.ok(!isInside('/r', '/'));
  assert.ok(!isInside('/r/a', '/r/b'));
});

test('readRepoFile refuses links out, folders, oversize and non-UTF-8; optional only for an absent name', () => {
  const root = mkdtempSync(join(tmpdir(), 'safe-render-reader-'));
  const out = mkdtempSync(join(tmpdir(), 'safe-render-reader-out-'));
  process.on('exit', () => [root, out].forEach((d) => rmSync(d, { recursive: true, force: true })));
  writeFileSync(join(root, 'ok'), 'hello');
  writeFileSync(join(out, 'secret'), 'TOKEN');
  symlinkSync(join(out, 'secret'), join(root, 'out'));
  symlinkSync('ok', join(root, 'in'));
  mkdirSync(join(root, 'dir'));
  writeFileSync(join(root, 'big'), 'x'.repeat(11));
  writeFileSync(join(root, 'bin'), Buffer.from([0xff, 0xfe]));
  const o = (shown: string) => ({ shown, kind: 'config' as const });
  assert.equal(readRepoFile(root, join(root, 'ok'), o('ok')), 'hello');
  assert.equal(readRepoFile(root, join(root, 'in'), o('in')), 'hello');
  assert.equal(readOptionalRepoFile(root, join(root, 'none'), o('none')), undefined);
  const refused = (name: string, re: RegExp) =>
    assert.throws(
      () => readOptionalRepoFile(root, join(root, name), { ...o(name), maxBytes: 10 }),
      (e: unknown) => {
        assert.ok(e instanceof RenderFailure);
        assert.match(e.message, re);
        assert.ok(!e.message.includes('TOKEN') && !(e.fix ?? '').includes('TOKEN'));
        return true;
      },
    );
  refused('out', /leads outside the repository/);
  refused('dir', /is a folder/);
  refused('big', /over the 1 KiB limit/);
  refused('bin', /not UTF-8/);
});
