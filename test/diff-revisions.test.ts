// The revisions `safe-render diff` compares (issue 12), as library calls on real Git repositories made
// in tmp: a commit's tree in a scratch clone, the working tree as it is (untracked files and edits in,
// ignored files out), the scratch folder removed on every exit path, and refs that name no commit
// refused as usage errors (exit 2). These import src/diff directly, as test/ci-native.test.ts imports
// src/context: the code under test spawns git, so the test cannot sit beside it in src/. One test runs
// the bundle's `render` in the scratch folders, to show they are repository roots to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { manifest, runCli } from './helpers';
import { materializeRevision, workingTreeSnapshot } from '../src/diff/materialize';
import { defaultBaseRef, diffBase, diffHead } from '../src/diff/revisions';
import { UsageError } from '../src/util/errors';

const ENV = { PATH: process.env.PATH, HOME: process.env.HOME };
const made: string[] = [];
process.on('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: repo,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** A repository on `main` with two commits (an image tag changed, a ConfigMap removed), HEAD on `change`. */
function twoCommits(): { repo: string; first: string; second: string } {
  const repo = tmp('safe-render-diffrev-');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', 'https://git.example.com/shop.git');
  write(repo, {
    'apps/web/deploy.yaml': 'image: web:1\n',
    'apps/web/cm.yaml': 'kind: ConfigMap\n',
    'apps/web/run.sh': '#!/bin/sh\n',
    // Argo CD checks out the commit, so export-ignore must not drop this file (git archive would).
    '.gitattributes': 'apps/web/ignored-by-archive.yaml export-ignore\n',
    'apps/web/ignored-by-archive.yaml': 'kind: Service\n',
    '.gitignore': 'charts/\n',
  });
  execFileSync('chmod', ['755', join(repo, 'apps/web/run.sh')]);
  symlinkSync('deploy.yaml', join(repo, 'apps/web/link.yaml'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'one');
  const first = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', '-b', 'change');
  write(repo, { 'apps/web/deploy.yaml': 'image: web:2\n' });
  rmSync(join(repo, 'apps/web/cm.yaml'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'two');
  return { repo, first, second: git(repo, 'rev-parse', 'HEAD') };
}

const files = (dir: string, rel = ''): string[] =>
  readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.name === '.git') return [];
      return e.isDirectory() ? files(dir, r) : [r];
    })
    .sort();

test('two commits materialised give their trees, with .git, HEAD at the commit and the user origin', () => {
  const { repo, first, second } = twoCommits();
  const statusBefore = git(repo, 'status', '--porcelain');
  const a = materializeRevision(repo, first, ENV);
  const b = materializeRevision(repo, second, ENV);
  try {
    assert.deepEqual(files(a.dir), [
      '.gitattributes',
      '.gitignore',
      'apps/web/cm.yaml',
      'apps/web/deploy.yaml',
      'apps/web/ignored-by-archive.yaml',
      'apps/web/link.yaml',
      'apps/web/run.sh',
    ]);
    assert.equal(readFileSync(join(a.dir, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:1\n');
    assert.equal(readFileSync(join(b.dir, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:2\n');
    assert.ok(!existsSync(join(b.dir, 'apps/web/cm.yaml')));
    assert.ok(lstatSync(join(a.dir, 'apps/web/link.yaml')).isSymbolicLink());
    assert.equal(readlinkSync(join(a.dir, 'apps/web/link.yaml')), 'deploy.yaml');
    assert.equal(statSync(join(a.dir, 'apps/web/run.sh')).mode & 0o111, 0o111);
    for (const [r, commit] of [
      [a, first],
      [b, second],
    ] as const) {
      assert.equal(r.commit, commit);
      assert.ok(existsSync(join(r.dir, '.git')));
      assert.equal(git(r.dir, 'rev-parse', 'HEAD'), commit);
      assert.equal(git(r.dir, 'rev-parse', '--show-toplevel'), r.dir);
      assert.equal(git(r.dir, 'remote', 'get-url', 'origin'), 'https://git.example.com/shop.git');
      assert.equal(git(r.dir, 'status', '--porcelain'), '');
    }
    // The user's checkout is untouched: same branch, same status, no worktree registered.
    assert.equal(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD'), 'change');
    assert.equal(git(repo, 'status', '--porcelain'), statusBefore);
    assert.equal(git(repo, 'worktree', 'list').split('\n').length, 1);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('the scratch folder is gone after dispose (twice), after a thrown error and on abort', () => {
  const { repo, first } = twoCommits();
  const root = tmp('safe-render-diffrev-tmp-');
  const r = materializeRevision(repo, first, ENV, { tmpRoot: root });
  assert.ok(existsSync(r.dir));
  r.dispose();
  r.dispose();
  assert.ok(!existsSync(r.dir));
  assert.deepEqual(readdirSync(root), []);

  // A tree id passes the size check but is no commit: the checkout fails inside the scratch folder.
  const tree = git(repo, 'rev-parse', `${first}^{tree}`);
  assert.throws(() => materializeRevision(repo, tree, ENV, { tmpRoot: root }), UsageError);
  assert.deepEqual(readdirSync(root), []);

  const ac = new AbortController();
  const w = workingTreeSnapshot(repo, ENV, { tmpRoot: root, signal: ac.signal });
  assert.ok(existsSync(w.dir));
  ac.abort();
  assert.ok(!existsSync(w.dir));
  w.dispose();
  assert.throws(() => materializeRevision(repo, first, ENV, { tmpRoot: root, signal: ac.signal }), /abort/i);
  assert.deepEqual(readdirSync(root), []);
});

test('a base that names no commit, a flag-like ref and no default branch are usage errors (exit 2)', () => {
  const { repo, first } = twoCommits();
  assert.throws(
    () => diffBase(repo, 'no-such-branch', ENV),
    (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^--base no-such-branch: no such commit/);
      return true;
    },
  );
  assert.throws(() => diffBase(repo, '--output=/tmp/x', ENV), UsageError);
  assert.throws(() => diffBase(repo, 'main\nx', ENV), UsageError);
  assert.throws(() => diffHead(repo, 'nope', ENV), /^UsageError: --head nope: no such commit/);
  assert.equal(diffHead(repo, 'change', ENV).label, '--head change');
  assert.throws(() => materializeRevision(repo, 'main', ENV), UsageError);
  // The default base: the merge base with main, which is the first commit here.
  assert.deepEqual(defaultBaseRef(repo, ENV), { commit: first, label: 'merge base with main' });
  assert.deepEqual(diffBase(repo, undefined, ENV), defaultBaseRef(repo, ENV));
  git(repo, 'branch', '-q', '-m', 'main', 'trunk');
  assert.throws(
    () => defaultBaseRef(repo, ENV),
    /^UsageError: diff needs a base revision \(give --base REF\): no origin\/HEAD/,
  );
  const notRepo = tmp('safe-render-diffrev-norepo-');
  assert.throws(() => defaultBaseRef(notRepo, ENV), UsageError);
  assert.throws(() => workingTreeSnapshot(notRepo, ENV), UsageError);
});

test('the working tree is diffed as it is: untracked files and uncommitted edits in, ignored and deleted files out', () => {
  const { repo, second } = twoCommits();
  const outside = tmp('safe-render-diffrev-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'outside-secret\n');
  write(repo, {
    'apps/web/deploy.yaml': 'image: web:3\n',
    'apps/web/new.yaml': 'kind: Secret\n',
    'charts/dep/Chart.yaml': 'name: dep\n',
  });
  rmSync(join(repo, 'apps/web/run.sh'));
  symlinkSync(join(outside, 'secret.txt'), join(repo, 'apps/web/escape.yaml'));
  const statusBefore = git(repo, 'status', '--porcelain');
  const w = workingTreeSnapshot(repo, ENV);
  try {
    assert.equal(w.commit, second);
    assert.deepEqual(files(w.dir), [
      '.gitattributes',
      '.gitignore',
      'apps/web/deploy.yaml',
      'apps/web/escape.yaml',
      'apps/web/ignored-by-archive.yaml',
      'apps/web/link.yaml',
      'apps/web/new.yaml',
    ]);
    assert.equal(readFileSync(join(w.dir, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:3\n');
    assert.equal(readFileSync(join(w.dir, 'apps/web/new.yaml'), 'utf8'), 'kind: Secret\n');
    assert.ok(!existsSync(join(w.dir, 'charts')));
    // A symlink is copied as the link, never as what it points at.
    assert.ok(lstatSync(join(w.dir, 'apps/web/escape.yaml')).isSymbolicLink());
    assert.equal(git(w.dir, 'rev-parse', 'HEAD'), second);
    assert.equal(git(w.dir, 'remote', 'get-url', 'origin'), 'https://git.example.com/shop.git');
    assert.equal(git(repo, 'status', '--porcelain'), statusBefore);
  } finally {
    w.dispose();
  }
  assert.ok(!existsSync(w.dir));
});

test('a sub-folder of the repository is refused: paths would be relative to the wrong root', () => {
  const { repo, first } = twoCommits();
  assert.throws(() => materializeRevision(join(repo, 'apps'), first, ENV), /give its root/);
  assert.throws(() => workingTreeSnapshot(join(repo, 'apps'), ENV), /give its root/);
});

test('the bundle renders in a materialised revision and finds its root there (the repository FREEZE of that revision)', () => {
  const repo = tmp('safe-render-diffrev-render-');
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, {
    'apps/web/a.yaml': manifest('ConfigMap', 'a'),
    '.safe-render/FREEZE': 'reason: INC-7 rollback in progress\nby: carol\n',
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'frozen');
  const frozen = git(repo, 'rev-parse', 'HEAD');
  rmSync(join(repo, '.safe-render'), { recursive: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'thawed');
  const thawed = git(repo, 'rev-parse', 'HEAD');
  // `render` (a preview) reports the repository freeze as a warning: found only when the root is right.
  const render = (dir: string) => runCli(['render', join(dir, 'apps/web'), '--namespace', 'prod'], { cwd: dir });
  const FROZEN = /\[deploy-freeze\].*repository freeze \(\.safe-render\/FREEZE\): "(INC-\d)/;
  for (const [commit, incident] of [
    [frozen, 'INC-7'],
    [thawed, undefined],
  ] as const) {
    const r = materializeRevision(repo, commit, ENV);
    try {
      const out = render(r.dir);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /"kind":"ConfigMap","metadata":\{"name":"a"\}/);
      assert.equal(FROZEN.exec(out.stderr)?.[1], incident, out.stderr);
    } finally {
      r.dispose();
    }
  }
  // An uncommitted FREEZE is part of the working tree as it is.
  write(repo, { '.safe-render/FREEZE': 'reason: INC-8\nby: dave\n' });
  const w = workingTreeSnapshot(repo, ENV);
  try {
    const out = render(w.dir);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(FROZEN.exec(out.stderr)?.[1], 'INC-8', out.stderr);
  } finally {
    w.dispose();
  }
});
