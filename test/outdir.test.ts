// The -o folder where people point it (issue 13): `-o .` and any folder holding the working folder, a
// mount point (a real bind mount and a tmpfs, in a private mount namespace), `-o yaml|json` and -o with
// --output, and stdout that cannot be written (/dev/full, a closed pipe). Runs the built bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, makeRepo, manifest, render, runCli, type RunResult } from './helpers';

const TWO = { 'app/a.yaml': [manifest('ConfigMap', 'a'), manifest('ConfigMap', 'b')].join('---\n') };

const scratch: string[] = [];
process.on('exit', () => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
}

/** Every file below `dir`, relative, sorted (folders by their files). */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

function assertUsage(r: RunResult, message: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
}

// ---- -o . and folders that hold the working folder ----

test('-o . writes in place: the working folder is the same folder afterwards, stale files leave, no temporary left', () => {
  const repo = makeRepo(TWO);
  const out = join(repo, 'out');
  mkdirSync(out);
  const before = statSync(out).ino;
  let r = runCli(['render', '../app', '-n', 'prod', '-o', '.'], { cwd: out });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote 2 files and kustomization\.yaml to \. \(in place: it holds the working folder/);
  assert.deepEqual(tree(out), [
    '.safe-render-output',
    'kustomization.yaml',
    'prod/ConfigMap_a.yaml',
    'prod/ConfigMap_b.yaml',
  ]);
  // Again, with one object gone: it leaves the folder, the folder itself stays (same inode).
  writeFileSync(join(repo, 'app/a.yaml'), manifest('ConfigMap', 'a'));
  r = runCli(['render', '../app', '-n', 'prod', '-o', '.'], { cwd: out });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(tree(out), ['.safe-render-output', 'kustomization.yaml', 'prod/ConfigMap_a.yaml']);
  assert.equal(statSync(out).ino, before, 'the folder was not replaced');
  assert.match(readFileSync(join(out, 'kustomization.yaml'), 'utf8'), /- "prod\/ConfigMap_a\.yaml"\n$/);
});

test('-o DIR from a folder below DIR writes in place too; from beside it, the folder is swapped as before', () => {
  const repo = makeRepo(TWO);
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  mkdirSync(join(repo, 'out/prod/deeper'));
  const r = runCli(['render', '../../../app', '-n', 'prod', '-o', '../..'], { cwd: join(repo, 'out/prod/deeper') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /in place/);
  // The shell's folder was ours and not in the new tree: it is gone, but by a removal, not by moving
  // its parent away (the parent `out` is the same folder).
  assert.deepEqual(tree(join(repo, 'out')), [
    '.safe-render-output',
    'kustomization.yaml',
    'prod/ConfigMap_a.yaml',
    'prod/ConfigMap_b.yaml',
  ]);
  const swapped = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(swapped.code, 0, swapped.stderr);
  assert.doesNotMatch(swapped.stderr, /in place/);
});

test('-o . in a folder safe-render did not write is refused, and the folder is untouched', () => {
  const repo = makeRepo({ ...TWO, 'notes/todo.md': 'keep me' });
  const r = runCli(['render', '../app', '-n', 'prod', '-o', '.'], { cwd: join(repo, 'notes') });
  assertUsage(r, /\. is not empty and was not written by safe-render/);
  assert.deepEqual(readdirSync(join(repo, 'notes')), ['todo.md']);
});

test('a committed marker does not make a repository ours: -o . at its root, or -o at another checkout, is refused and nothing moves', () => {
  // The marker is an empty file anyone can commit (a pull request can add one at the root).
  const repo = makeRepo({ ...TWO, '.safe-render-output': '', 'README.md': 'keep me' });
  const r = runCli(['render', 'app', '-n', 'prod', '-o', '.'], { cwd: repo });
  assertUsage(r, /^safe-render: error: \. holds a Git repository \(the one being rendered\); -o never replaces it/);
  assert.deepEqual(readdirSync(repo).sort(), ['.git', '.safe-render-output', 'README.md', 'app']);
  const other = makeRepo({ '.safe-render-output': '', 'src.txt': 'keep me' });
  assertUsage(render(repo, 'app', ['-n', 'prod', '-o', other]), /holds a Git repository; -o never replaces it/);
  assert.deepEqual(readdirSync(other).sort(), ['.git', '.safe-render-output', 'src.txt']);
  // A committed marker in a folder above the app's sources: replacing it would delete them.
  mkdirSync(join(repo, 'apps/web'), { recursive: true });
  writeFileSync(join(repo, 'apps/web/a.yaml'), manifest('ConfigMap', 'a'));
  writeFileSync(join(repo, 'apps/.safe-render-output'), '');
  assertUsage(
    render(repo, 'apps/web', ['-n', 'prod', '-o', 'apps']),
    /^safe-render: error: apps holds the sources of the app being rendered; -o never replaces them/,
  );
  assert.deepEqual(tree(join(repo, 'apps')), ['.safe-render-output', 'web/a.yaml']);
  // Allowed: a marked folder of our own inside the repository is still replaced, in place from within it.
  mkdirSync(join(repo, 'out'));
  writeFileSync(join(repo, 'out/.safe-render-output'), '');
  const ok = runCli(['render', '../app', '-n', 'prod', '-o', '.'], { cwd: join(repo, 'out') });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(tree(join(repo, 'out')), [
    '.safe-render-output',
    'kustomization.yaml',
    'prod/ConfigMap_a.yaml',
    'prod/ConfigMap_b.yaml',
  ]);
});

test('in place over our own output that holds planted links: links are removed, never followed', () => {
  const outside = tempDir('safe-render-outside-');
  writeFileSync(join(outside, 'victim'), 'untouched');
  const repo = makeRepo(TWO);
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  // The namespace folder is a link out; a stale file is a link to a file out; the kustomization a link.
  rmSync(join(repo, 'out/prod'), { recursive: true });
  symlinkSync(outside, join(repo, 'out/prod'));
  symlinkSync(join(outside, 'victim'), join(repo, 'out/stale.yaml'));
  rmSync(join(repo, 'out/kustomization.yaml'));
  symlinkSync(join(outside, 'victim'), join(repo, 'out/kustomization.yaml'));
  const r = runCli(['render', '../app', '-n', 'prod', '-o', '.'], { cwd: join(repo, 'out') });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(outside), ['victim']);
  assert.equal(readFileSync(join(outside, 'victim'), 'utf8'), 'untouched');
  assert.ok(lstatSync(join(repo, 'out/prod')).isDirectory());
  assert.ok(lstatSync(join(repo, 'out/kustomization.yaml')).isFile());
  assert.deepEqual(tree(join(repo, 'out')), [
    '.safe-render-output',
    'kustomization.yaml',
    'prod/ConfigMap_a.yaml',
    'prod/ConfigMap_b.yaml',
  ]);
});

// ---- mount points ----

/** Runs `script` (sh) in a private mount namespace, as `docker run -v` would give a mounted folder. */
function inMountNamespace(script: string, cwd: string): RunResult {
  const r = spawnSync('unshare', ['-m', 'sh', '-ec', script], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('a bind-mounted -o folder (rename fails with EBUSY) is written in place: first render, re-render, stale files removed', () => {
  const repo = makeRepo(TWO);
  const volume = tempDir('safe-render-volume-');
  mkdirSync(join(repo, 'out'));
  const sr = `${q(process.execPath)} ${q(BUNDLE)} render app -n prod -o out`;
  const r = inMountNamespace(
    `mount --bind ${q(volume)} out; ${sr}; printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n' > app/a.yaml; ${sr}`,
    repo,
  );
  assert.equal(r.code, 0, `unshare/mount must work here (root, util-linux):\n${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  for (const l of lines) assert.match(l, /to out \(in place: it cannot be renamed \(EBUSY: a mount point\?\)\)$/);
  assert.deepEqual(tree(volume), ['.safe-render-output', 'kustomization.yaml', 'prod/ConfigMap_a.yaml']);
  assert.deepEqual(readdirSync(join(repo, 'out')), [], 'the mount point itself was not written');
  assert.deepEqual(
    readdirSync(repo).filter((n) => n.startsWith('.safe-render-out-')),
    [],
    'no temporary folder left beside it',
  );
});

test('a tmpfs -o folder (another file system) is written in place; a foreign one is refused with exit 2', () => {
  const repo = makeRepo({ ...TWO, 'other/keep.txt': 'x' });
  mkdirSync(join(repo, 'out'));
  const sr = `${q(process.execPath)} ${q(BUNDLE)} render app -n prod -o out`;
  const r = inMountNamespace(
    `mount -t tmpfs tmpfs out; ${sr}; ${sr}; find out -type f | sort; echo x > out/foreign.txt; rm out/.safe-render-output; ${sr} || echo "exit $?"`,
    repo,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'out/.safe-render-output',
    'out/kustomization.yaml',
    'out/prod/ConfigMap_a.yaml',
    'out/prod/ConfigMap_b.yaml',
    'exit 2',
  ]);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(lines[0]!, /in place: it cannot be renamed \((EBUSY|EXDEV)/);
  assert.match(lines[2]!, /^safe-render: error: out is not empty and was not written by safe-render/);
});

// ---- -o yaml | json, and --output with -o ----

test('-o yaml and -o json are refused with a hint; ./yaml is a folder; --output with -o is an error', () => {
  const repo = makeRepo(TWO);
  for (const word of ['yaml', 'json', 'YAML', 'yml']) {
    const r = render(repo, 'app', ['-n', 'prod', '-o', word]);
    assertUsage(
      r,
      /-o takes a folder .*not a format: for a (YAML|JSON) stream on stdout use --output (yaml|json); for a folder named \w+, write -o \.\/\w+/,
    );
    assert.equal(existsSync(join(repo, word)), false);
  }
  for (const args of [
    ['--output', 'yaml', '-o', 'out'],
    ['-o', 'out', '--output=json'],
  ]) {
    const r = render(repo, 'app', ['-n', 'prod', ...args]);
    assertUsage(r, /--output sets the format of the stream on stdout, and -o writes a folder instead/);
    assert.equal(existsSync(join(repo, 'out')), false);
  }
  const ok = render(repo, 'app', ['-n', 'prod', '-o', './yaml']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(repo, 'yaml/prod/ConfigMap_a.yaml')));
});

test('split -o yaml and -o json are refused with the same hint, before reading the input', () => {
  const repo = makeRepo(TWO);
  for (const word of ['yaml', 'json']) {
    const r = runCli(['split', 'app/a.yaml', '-o', word], { cwd: repo });
    assertUsage(r, /-o takes a folder .*not a format: .*write -o \.\/(yaml|json)/);
    assert.equal(existsSync(join(repo, word)), false);
  }
  const ok = runCli(['split', 'app/a.yaml', '-o', './yaml'], { cwd: repo });
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(repo, 'yaml/_namespaced/ConfigMap_a.yaml')), readdirSync(join(repo, 'yaml')).join(' '));
});

test('split -o . writes in place, as render -o does', () => {
  const repo = makeRepo(TWO);
  mkdirSync(join(repo, 'out'));
  const r = runCli(['split', '../app/a.yaml', '-o', '.'], { cwd: join(repo, 'out') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\(in place: it holds the working folder/);
  assert.ok(existsSync(join(repo, 'out/.safe-render-output')));
});

// ---- stdout that cannot be written ----

test('render > /dev/full: exit 2, one line that says so, no success summary', () => {
  const repo = makeRepo(TWO);
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [BUNDLE, 'render', 'app', '-n', 'prod'], {
      cwd: repo,
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(
      r.stderr,
      'safe-render: error: could not write the output to stdout (ENOSPC: no space left on the device); what was written is incomplete\n',
    );
  } finally {
    closeSync(full);
  }
});

test('a pipe closed by its reader (EPIPE): exit 2, one line that says so, no success summary', async () => {
  const repo = makeRepo({
    'app/a.yaml': Array.from({ length: 300 }, (_, i) => manifest('ConfigMap', `c${i}`)).join('---\n'),
  });
  const child = spawn(process.execPath, [BUNDLE, 'render', 'app', '-n', 'prod'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  assert.equal(code, 2, stderr);
  assert.equal(
    stderr,
    'safe-render: error: could not write the output to stdout (EPIPE: the program reading it closed the pipe); what was written is incomplete\n',
  );
});
