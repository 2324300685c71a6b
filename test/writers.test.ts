// Writers that never leave the repository (issue 9 §2): `lock` and `render -o` refuse (exit 2, one
// line, nothing on stdout) when a symlink committed in the repository sits anywhere below the folder
// they write, or when the destination is not what they expect; the outside stays byte for byte as it
// was. The legitimate cases (first lock, re-lock, -o into a fresh folder or over our own output, a
// user's own symlink above the folder) keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { makeRepo, manifest, render, runCli, writeFiles, type RunResult } from './helpers';
import { assertLocked, generate, lock, lockFile, readLock, type App } from './lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
const APP_FILES = { 'apps/web/cm.yaml': manifest('ConfigMap', 'settings') };

const scratch: string[] = [];
process.on('exit', () => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A folder outside the repository, with a file a successful attack would change. */
function outside(): string {
  const dir = tempDir('safe-render-outside-');
  writeFileSync(join(dir, 'victim.sh'), '#!/bin/sh\necho untouched\n');
  return dir;
}

/** Every entry below `dir` with its type and content (or link target): what "unchanged" means. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.push(`${rel}${n} -> ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.push(`${rel}${n}/`);
        walk(p, `${rel}${n}/`);
      } else out.push(`${rel}${n} ${st.mode.toString(8)} ${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir, '');
  return out.join('\n');
}

/** Exit 2, nothing on stdout, one line on stderr matching `message`, no stack trace. */
function assertRefusedToWrite(r: RunResult, message: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error|ENAMETOOLONG|ELOOP/, 'no stack trace, no raw errno');
  assert.equal(
    r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('safe-render: error:') || l.startsWith('error[')).length,
    1,
    r.stderr,
  );
}

/** Pids the next child processes will probably get (pids are handed out in order): the names an
 * attacker plants for a writer that uses `<name>.tmp-<pid>`. */
function nextPids(count: number): number[] {
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  return Array.from({ length: count }, (_, i) => last + 1 + i);
}

test('lock refuses a .safe-render that is a symlink out of the repository, and writes nothing there', () => {
  const out = outside();
  mkdirSync(join(out, 'locks'));
  const before = snapshot(out);
  const repo = makeRepo(APP_FILES);
  symlinkSync(out, join(repo, '.safe-render'));
  assertRefusedToWrite(
    lock(repo, WEB),
    /\.safe-render is a symbolic link; safe-render never writes through a link|\.safe-render\/FREEZE: leads outside the repository/,
  );
  assert.equal(snapshot(out), before);
});

test('lock refuses a locks folder that is a symlink, also a relative one', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo(APP_FILES);
  mkdirSync(join(repo, '.safe-render'));
  symlinkSync(out, join(repo, '.safe-render/locks'));
  assertRefusedToWrite(
    lock(repo, WEB),
    /\.safe-render\/locks is a symbolic link|\.safe-render\/locks\/web\.lock: leads outside the repository/,
  );
  assert.equal(snapshot(out), before);
  // A link that stays inside the repository is refused too: what we write must be where it appears.
  const repo2 = makeRepo(APP_FILES);
  mkdirSync(join(repo2, 'elsewhere'));
  mkdirSync(join(repo2, '.safe-render'));
  symlinkSync('../elsewhere', join(repo2, '.safe-render/locks'));
  assertRefusedToWrite(lock(repo2, WEB), /\.safe-render\/locks is a symbolic link/);
  assert.deepEqual(readdirSync(join(repo2, 'elsewhere')), []);
});

test('lock refuses an index that links to an outside file; the file keeps its content', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo(APP_FILES);
  mkdirSync(join(repo, '.safe-render'));
  symlinkSync(join(out, 'victim.sh'), join(repo, '.safe-render/index'));
  const r = lock(repo, WEB);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /\.safe-render\/index/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(snapshot(out), before);
  assert.ok(!existsSync(lockFile(repo, 'web')), 'nothing is written when one destination is refused');
});

test('lock refuses a lock file that is a symlink (to an outside file or a dangling one), and never writes through it', () => {
  const out = outside();
  const repo = makeRepo(APP_FILES);
  assertLocked(lock(repo, WEB));
  // The committed lock becomes a link to an outside copy of itself: the guarded reader refuses it
  // before anything is written, and the writer would refuse it too.
  renameSync(lockFile(repo, 'web'), join(out, 'web.lock'));
  symlinkSync(join(out, 'web.lock'), lockFile(repo, 'web'));
  const before = snapshot(out);
  writeFiles(repo, { 'apps/web/more.yaml': manifest('ConfigMap', 'more') });
  const r = lock(repo, WEB);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(snapshot(out), before);
  // A dangling link (to a file that would be created outside); the index lists the app, so the
  // writer is only reached with --accept lock-missing.
  rmSync(lockFile(repo, 'web'));
  symlinkSync(join(out, 'created-by-attack'), lockFile(repo, 'web'));
  assertRefusedToWrite(
    lock(repo, WEB, ['--accept', 'lock-missing:web']),
    /\.safe-render\/locks\/web\.lock is a symbolic link|\.safe-render\/locks\/web\.lock: symlink points to nothing/,
  );
  assert.ok(!existsSync(join(out, 'created-by-attack')));
});

test('lock refuses a control folder that is a file, and a lock that is a folder', () => {
  const repo = makeRepo({ ...APP_FILES, '.safe-render': 'not a folder\n' });
  assertRefusedToWrite(
    lock(repo, WEB),
    /\.safe-render exists and is not a folder|\.safe-render\/FREEZE: \.safe-render is not a folder/,
  );
  assert.equal(readFileSync(join(repo, '.safe-render'), 'utf8'), 'not a folder\n');
  const repo2 = makeRepo(APP_FILES);
  mkdirSync(join(repo2, '.safe-render/locks/web.lock'), { recursive: true });
  const r = lock(repo2, WEB);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(lstatSync(join(repo2, '.safe-render/locks/web.lock')).isDirectory());
});

test('lock ignores temporary-name symlinks planted for the next pids: it writes its own lock, nothing outside', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo(APP_FILES);
  mkdirSync(join(repo, '.safe-render/locks'), { recursive: true });
  const pids = nextPids(400);
  for (const pid of pids) {
    symlinkSync(join(out, 'victim.sh'), join(repo, `.safe-render/locks/web.lock.tmp-${pid}`));
    symlinkSync(join(out, 'victim.sh'), join(repo, `.safe-render/index.tmp-${pid}`));
  }
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/settings$/m);
  assert.equal(snapshot(out), before);
  assert.ok(lstatSync(lockFile(repo, 'web')).isFile());
  assert.deepEqual(
    readdirSync(join(repo, '.safe-render/locks')).filter((n) => n.startsWith('.safe-render-tmp')),
    [],
    'no temporary folder left',
  );
});

test("lock legitimate cases: first lock, re-lock, a repository reached through the user's own symlink", () => {
  const repo = makeRepo(APP_FILES);
  assertLocked(lock(repo, WEB));
  const first = readLock(repo, 'web');
  assertLocked(lock(repo, WEB));
  assert.equal(readLock(repo, 'web'), first);
  writeFiles(repo, { 'apps/web/more.yaml': manifest('ConfigMap', 'more') });
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/more$/m);
  // The path the user gives is theirs, links included.
  const linkParent = tempDir('safe-render-link-');
  symlinkSync(repo, join(linkParent, 'repo'));
  writeFiles(repo, { 'apps/web/third.yaml': manifest('ConfigMap', 'third') });
  const r = runCli(
    [
      'lock',
      join(linkParent, 'repo/apps/web'),
      '--app',
      'web',
      '--namespace',
      'prod',
      '--repo-root',
      join(linkParent, 'repo'),
    ],
    { cwd: linkParent },
  );
  assertLocked(r);
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/third$/m);
});

test('a lock for an app name longer than a file name may be is written under a shortened name that generate finds', () => {
  const repo = makeRepo(APP_FILES);
  const name = `team-${'x'.repeat(300)}`;
  const app: App = { ...WEB, name };
  const r = lock(repo, app);
  assertLocked(r);
  const files = readdirSync(join(repo, '.safe-render/locks'));
  assert.equal(files.length, 1);
  assert.ok(Buffer.byteLength(files[0]!) <= 255);
  assert.match(files[0]!, /^team-x+~[0-9a-f]{64}\.lock$/);
  rmSync(join(repo, 'apps/web/cm.yaml'));
  writeFiles(repo, { 'apps/web/other.yaml': manifest('ConfigMap', 'other') });
  const g = generate(repo, app);
  assert.equal(g.code, 1, g.stderr);
  assert.match(g.stderr, /error\[unacknowledged-deletion\]/);
});

test('lock refuses an app name that would change the lines of the lock or the index', () => {
  const repo = makeRepo(APP_FILES);
  for (const name of ['web\nshop', 'web shop', '#web']) {
    const r = lock(repo, { ...WEB, name });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /cannot be written into a lock/);
  }
  assert.ok(!existsSync(join(repo, '.safe-render/index')));
});

test('lock never writes a lock whose lines an identity could change (a kind with a newline)', () => {
  for (const kind of ['Widget\\nobject core/ConfigMap/prod/fake', 'Widget\\r\\nsafe-render-lock 1', 'Widget\\u2028x']) {
    const repo = makeRepo({ 'apps/web/w.yaml': `apiVersion: example.com/v1\nkind: "${kind}"\nmetadata: {name: w}\n` });
    const r = lock(repo, WEB);
    // Refused by the parser (invalid-object) or by the writer: either way nothing is written.
    assert.notEqual(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(!existsSync(join(repo, '.safe-render')), `${kind}: nothing written`);
  }
});

// ---- kustomize overrides edit a throw-away copy: never through a link ----

test('kustomize overrides never write through a kustomization that is a link: not outside, not into the original repository', () => {
  const base = { 'base/cm.yaml': manifest('ConfigMap', 'c'), 'base/kustomization.yaml': 'resources: [cm.yaml]\n' };
  for (const overrides of [
    'kustomize:\n  namePrefix: x-\n',
    'kustomize:\n  images: ["nginx=registry.example.com/nginx:1.27"]\n',
  ]) {
    // A link to an outside file.
    const out = outside();
    writeFileSync(join(out, 'k.yaml'), 'resources: [../../base]\n');
    const before = snapshot(out);
    const repo = makeRepo({ ...base, 'apps/web/safe-render.yaml': overrides });
    symlinkSync(join(out, 'k.yaml'), join(repo, 'apps/web/kustomization.yaml'));
    const r = render(repo, 'apps/web', ['-n', 'prod']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(snapshot(out), before);
    // A relative link inside the repository: the copy must not write back into the original.
    const repo2 = makeRepo({
      ...base,
      'apps/web/safe-render.yaml': overrides,
      'apps/web/real.yaml': 'resources: [../../base]\n',
    });
    symlinkSync('real.yaml', join(repo2, 'apps/web/kustomization.yaml'));
    const r2 = render(repo2, 'apps/web', ['-n', 'prod']);
    assert.equal(
      readFileSync(join(repo2, 'apps/web/real.yaml'), 'utf8'),
      'resources: [../../base]\n',
      'the original repository is never edited',
    );
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /the app's kustomization\.yaml is a symbolic link/);
  }
  // The legitimate case: a real kustomization file gets the override in the copy only.
  const repo = makeRepo({
    ...base,
    'apps/web/safe-render.yaml': 'kustomize:\n  namePrefix: x-\n',
    'apps/web/kustomization.yaml': 'resources: [../../base]\n',
  });
  const ok = render(repo, 'apps/web', ['-n', 'prod']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /"name":"x-c"/);
  assert.equal(readFileSync(join(repo, 'apps/web/kustomization.yaml'), 'utf8'), 'resources: [../../base]\n');
});

// ---- render -o DIR ----

const OUT_APP = { 'app/a.yaml': [manifest('ConfigMap', 'a'), manifest('ConfigMap', 'b')].join('---\n') };

test('-o refuses a destination that is a symlink out of the repository (with or without our marker)', () => {
  for (const marker of [false, true]) {
    const out = outside();
    if (marker) writeFileSync(join(out, '.safe-render-output'), 'x\n');
    const before = snapshot(out);
    const repo = makeRepo(OUT_APP);
    symlinkSync(out, join(repo, 'out'));
    assertRefusedToWrite(
      render(repo, 'app', ['-n', 'prod', '-o', 'out']),
      /out is a symbolic link; -o writes only into a real folder/,
    );
    assert.equal(snapshot(out), before);
    assert.ok(lstatSync(join(repo, 'out')).isSymbolicLink(), 'the link itself is left alone');
  }
});

test('-o refuses a folder on the way to DIR that is a symlink committed in the repository', () => {
  for (const outPath of ['rendered/app', 'rendered/deeper/app']) {
    const out = outside();
    const before = snapshot(out);
    const repo = makeRepo(OUT_APP);
    symlinkSync(out, join(repo, 'rendered'));
    assertRefusedToWrite(
      render(repo, 'app', ['-n', 'prod', '-o', outPath]),
      /rendered is a symbolic link; safe-render never writes through a link/,
    );
    assert.equal(snapshot(out), before);
  }
  // A link lower down, to a folder inside the repository, too.
  const repo = makeRepo({ ...OUT_APP, 'real/keep.txt': 'x' });
  mkdirSync(join(repo, 'build'));
  symlinkSync('../real', join(repo, 'build/site'));
  assertRefusedToWrite(render(repo, 'app', ['-n', 'prod', '-o', 'build/site/out']), /build\/site is a symbolic link/);
  assert.deepEqual(readdirSync(join(repo, 'real')), ['keep.txt']);
});

test('-o over our own previous output that holds a planted symlink: the link is removed, never followed', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo(OUT_APP);
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  // A committed output folder whose namespace folder links outside.
  rmSync(join(repo, 'out/prod'), { recursive: true });
  symlinkSync(out, join(repo, 'out/prod'));
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(snapshot(out), before);
  assert.ok(lstatSync(join(repo, 'out/prod')).isDirectory());
  assert.deepEqual(readdirSync(join(repo, 'out/prod')).sort(), ['ConfigMap_a.yaml', 'ConfigMap_b.yaml']);
});

test('-o refuses a marker that is a symlink or not a regular file: the folder was not written by safe-render', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo({ ...OUT_APP, 'precious/notes.md': 'keep me' });
  symlinkSync(join(out, 'victim.sh'), join(repo, 'precious/.safe-render-output'));
  assertRefusedToWrite(
    render(repo, 'app', ['-n', 'prod', '-o', 'precious']),
    /\.safe-render-output is not a regular file/,
  );
  assert.equal(readFileSync(join(repo, 'precious/notes.md'), 'utf8'), 'keep me');
  assert.equal(snapshot(out), before);
  const repo2 = makeRepo({ ...OUT_APP, 'precious/notes.md': 'keep me' });
  mkdirSync(join(repo2, 'precious/.safe-render-output'));
  assertRefusedToWrite(render(repo2, 'app', ['-n', 'prod', '-o', 'precious']), /is not a regular file/);
  assert.equal(readFileSync(join(repo2, 'precious/notes.md'), 'utf8'), 'keep me');
});

test('-o ignores temporary-name symlinks planted for the next pids', () => {
  const out = outside();
  const before = snapshot(out);
  const repo = makeRepo(OUT_APP);
  for (const pid of nextPids(400)) {
    symlinkSync(out, join(repo, `.out.safe-render-new-${pid}`));
    symlinkSync(out, join(repo, `.out.safe-render-old-${pid}`));
  }
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(snapshot(out), before);
  assert.deepEqual(readdirSync(join(repo, 'out/prod')).sort(), ['ConfigMap_a.yaml', 'ConfigMap_b.yaml']);
  assert.deepEqual(
    readdirSync(repo).filter((n) => n.startsWith('.safe-render-out-')),
    [],
    'no temporary folder left',
  );
});

test("-o legitimate cases: a fresh folder, our own previous output, a folder reached through the user's own link", () => {
  const repo = makeRepo(OUT_APP);
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'build/out']).code, 0);
  assert.deepEqual(readdirSync(join(repo, 'build/out/prod')).sort(), ['ConfigMap_a.yaml', 'ConfigMap_b.yaml']);
  writeFileSync(join(repo, 'app/a.yaml'), manifest('ConfigMap', 'c'));
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'build/out']).code, 0);
  assert.deepEqual(readdirSync(join(repo, 'build/out/prod')), ['ConfigMap_c.yaml']);
  // Outside the repository, the path is the user's: their links are followed.
  const real = tempDir('safe-render-user-');
  const links = tempDir('safe-render-links-');
  symlinkSync(real, join(links, 'mine'));
  const r = render(repo, 'app', ['-n', 'prod', '-o', join(links, 'mine/out')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(real, 'out/prod/ConfigMap_c.yaml')));
});

test('-o: a name longer than a file name may be is written under a shortened name; a too-long folder is one clear line', () => {
  const long = 'a'.repeat(253);
  const repo = makeRepo({
    'app/a.yaml': [manifest('ConfigMap', long), manifest('ConfigMap', `${'a'.repeat(252)}b`)].join('---\n'),
  });
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(join(repo, 'out/prod'));
  assert.equal(files.length, 2);
  for (const f of files) assert.match(f, /^ConfigMap_a+~[0-9a-f]{64}\.yaml$/);
  assert.ok(files.map((f) => readFileSync(join(repo, 'out/prod', f), 'utf8')).some((t) => t.includes(long)));
  assertRefusedToWrite(
    render(repo, 'app', ['-n', 'prod', '-o', 'x'.repeat(300)]),
    /file name is 300 bytes long, longer than the 255 bytes/,
  );
});

// ---- any layout of links and non-files under .safe-render ----

type Entry = 'absent' | 'dir' | 'file' | 'link-out' | 'link-in' | 'dangling';

test('property: whatever links or non-files sit under .safe-render, lock writes nothing outside, and succeeds only on real folders and files', () => {
  const entry = (opts: Entry[]) => fc.constantFrom(...opts);
  const layout = fc.record({
    root: entry(['absent', 'dir', 'file', 'link-out', 'link-in']),
    locks: entry(['absent', 'dir', 'file', 'link-out', 'link-in', 'dangling']),
    // An index that is a folder is left out: the READ side (readLockState, the reader area) fails on it
    // before the writer runs, today with a stack trace (issue 8 §7).
    index: entry(['absent', 'file', 'link-out', 'link-in', 'dangling']),
    lockFile: entry(['absent', 'dir', 'link-out', 'link-in', 'dangling']),
  });
  fc.assert(
    fc.property(layout, (l) => {
      const out = outside();
      mkdirSync(join(out, 'locks'));
      writeFileSync(join(out, 'index'), 'other\n');
      const before = snapshot(out);
      const repo = makeRepo({ ...APP_FILES, 'inside/index': 'other\n', 'inside/locks/.keep': '' });
      const place = (rel: string, e: Entry, kind: 'dir' | 'file', outTarget: string, inTarget: string): boolean => {
        const p = join(repo, rel);
        if (e === 'absent') return true;
        if (e === 'dir') mkdirSync(p);
        else if (e === 'file') writeFileSync(p, kind === 'file' ? 'other\n' : 'not a folder\n');
        else symlinkSync(e === 'link-out' ? outTarget : e === 'link-in' ? inTarget : join(out, 'nowhere', 'x'), p);
        return e === kind;
      };
      let clean = place('.safe-render', l.root, 'dir', out, join(repo, 'inside'));
      if (l.root === 'dir') {
        clean = place('.safe-render/locks', l.locks, 'dir', join(out, 'locks'), join(repo, 'inside/locks')) && clean;
        clean = place('.safe-render/index', l.index, 'file', join(out, 'index'), join(repo, 'inside/index')) && clean;
        if (l.locks === 'dir')
          clean =
            place(
              '.safe-render/locks/web.lock',
              l.lockFile,
              'file',
              join(out, 'web.lock'),
              join(repo, 'inside/web.lock'),
            ) && clean;
      }
      const r = lock(repo, WEB);
      assert.equal(snapshot(out), before, `outside changed for ${JSON.stringify(l)}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `no stack trace for ${JSON.stringify(l)}`);
      if (clean) assertLocked(r);
      else assert.notEqual(r.code, 0, `${JSON.stringify(l)} must be refused:\n${r.stderr}`);
      if (r.code !== 0) assert.equal(r.stdout, '');
    }),
    { seed: 20261130, numRuns: 40 },
  );
});
