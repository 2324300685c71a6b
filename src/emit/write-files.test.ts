// writeNewFiles in-process: below WORKER_MIN one thread, from it on two; either way every file is
// created new (never over an existing one, never through a link), and the first error of either thread
// rejects the promise only after the worker's thread exited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_MIN, writeNewFiles } from './write-files';

const scratch: string[] = [];
process.on('exit', () => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'safe-render-write-files-'));
  scratch.push(d);
  return d;
};
const plan = (dir: string, n: number) => ({
  paths: Array.from({ length: n }, (_, i) => join(dir, `f${i}.yaml`)),
  contents: Array.from({ length: n }, (_, i) => `i: ${i}\n`),
});

test('writeNewFiles: one thread below WORKER_MIN and two from it on write every file with its content', async () => {
  for (const n of [3, WORKER_MIN + 1]) {
    const dir = temp();
    const { paths, contents } = plan(dir, n);
    await writeNewFiles(paths, contents);
    assert.equal(readdirSync(dir).length, n);
    for (const i of [0, n >> 1, n - 1]) assert.equal(readFileSync(paths[i]!, 'utf8'), `i: ${i}\n`);
  }
});

test("writeNewFiles: an existing file or a link in the worker's half is an error, thrown once the worker stopped", async () => {
  for (const plant of ['file', 'link'] as const) {
    const dir = temp();
    const { paths, contents } = plan(dir, WORKER_MIN * 2);
    const victim = join(temp(), 'victim');
    writeFileSync(victim, 'untouched');
    const at = paths[paths.length - 10]!;
    if (plant === 'file') writeFileSync(at, 'there before');
    else symlinkSync(victim, at);
    await assert.rejects(writeNewFiles(paths, contents), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
    const count = readdirSync(dir).length;
    // Nothing is still writing once it settled.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(readdirSync(dir).length, count);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    assert.equal(readFileSync(at, 'utf8'), plant === 'file' ? 'there before' : 'untouched');
  }
});

test("writeNewFiles: an error in this thread's half stops the worker and is the one thrown", async () => {
  const dir = temp();
  const { paths, contents } = plan(dir, WORKER_MIN * 2);
  writeFileSync(paths[5]!, 'there before');
  await assert.rejects(
    writeNewFiles(paths, contents),
    (e: NodeJS.ErrnoException) => e.code === 'EEXIST' && e.message.includes('f5.yaml'),
  );
  const count = readdirSync(dir).length;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(readdirSync(dir).length, count);
});
