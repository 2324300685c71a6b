// writeOutputDir writes a tree through its checks, swapped or in place (issue 13). In-process, in
// temporary folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputDir, writeOutputDirAsync } from './output-dir';
import { WORKER_MIN } from './write-files';
import { MARKER_FILE, type PlannedFile } from './split-plan';

const scratch: string[] = [];
process.on('exit', () => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'safe-render-outdir-'));
  scratch.push(d);
  return d;
};

function plan(names: string[]): PlannedFile[] {
  return [
    ...names.map((n) => ({ path: `ns/ConfigMap_${n}.yaml`, content: `name: ${n}\n` })),
    { path: 'kustomization.yaml', content: `resources: [${names.join(', ')}]\n` },
    { path: MARKER_FILE, content: 'ours\n' },
  ];
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else out.push(`${rel}${n}=${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir, '');
  return out;
}

test('a second write over its own output replaces the tree, and leaves no scratch folder', () => {
  const base = temp();
  const many = Array.from({ length: 100 }, (_, i) => `c${i}`);
  assert.deepEqual(writeOutputDir('a', plan(many), base), {});
  assert.equal(readdirSync(join(base, 'a/ns')).length, 100);
  writeOutputDir('a', plan(['x']), base);
  assert.deepEqual(readdirSync(join(base, 'a/ns')), ['ConfigMap_x.yaml']);
  assert.deepEqual(
    readdirSync(base).filter((n) => n.startsWith('.safe-render-out-')),
    [],
  );
});

test('the async writer (two threads from WORKER_MIN files on) gives the same tree as the sync one', async () => {
  const base = temp();
  const many = Array.from({ length: WORKER_MIN + 10 }, (_, i) => `c${i}`);
  writeOutputDir('a', plan(many), base);
  assert.deepEqual(await writeOutputDirAsync('b', plan(many), base), {});
  assert.deepEqual(listing(join(base, 'a')), listing(join(base, 'b')));
  await writeOutputDirAsync('b', plan(['x']), base);
  assert.deepEqual(readdirSync(join(base, 'b/ns')), ['ConfigMap_x.yaml']);
  assert.deepEqual(
    readdirSync(base).filter((n) => n.startsWith('.safe-render-out-')),
    [],
  );
});

test('a folder holding the working folder is written in place, stale entries and links removed', () => {
  const base = temp();
  const out = join(base, 'out');
  writeOutputDir('out', plan(['a', 'b']), base);
  const ino = statSync(out).ino;
  const elsewhere = temp();
  writeFileSync(join(elsewhere, 'victim'), 'untouched');
  symlinkSync(elsewhere, join(out, 'planted'));
  mkdirSync(join(out, 'ns/old-folder'));
  const r = writeOutputDir('.', plan(['a']), out);
  assert.match(r.inPlace ?? '', /holds the working folder/);
  assert.equal(statSync(out).ino, ino);
  assert.deepEqual(listing(out), [
    `${MARKER_FILE}=ours\n`,
    'kustomization.yaml=resources: [a]\n',
    'ns/ConfigMap_a.yaml=name: a\n',
  ]);
  assert.deepEqual(readdirSync(elsewhere), ['victim']);
});

test('a foreign folder is refused before anything is written', () => {
  const base = temp();
  mkdirSync(join(base, 'mine'));
  writeFileSync(join(base, 'mine/notes'), 'keep');
  assert.throws(() => writeOutputDir('mine', plan(['a']), base), /not written by safe-render/);
  assert.throws(() => writeOutputDir('.', plan(['a']), join(base, 'mine')), /not written by safe-render/);
  assert.deepEqual(readdirSync(join(base, 'mine')), ['notes']);
});
