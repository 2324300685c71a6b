// Locks that only shrink with a witness (issue 8 §9): `lock --check` compares the lock with the one at
// the base revision (--base REF, default the merge base with main), and what the lock lost there
// without an `accepted` line is refused as lock-tampered. Real Git repositories, made in tmp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, writeFiles, type RunResult } from './helpers';
import { assertLocked, configMaps, lock, lockFile, readLock, type App } from './lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
const OLD: App = { path: 'apps/old', name: 'old', namespace: 'prod' };

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
}

/** A Git repository on `main` whose first commit holds web's app (a StatefulSet, a ConfigMap marked
 * Prune=false and ten plain ConfigMaps) and its lock; HEAD is then on a branch `change`. */
function lockedRepo(extra: Record<string, string> = {}): string {
  const repo = makeRepo({
    'apps/web/db.yaml': manifest('StatefulSet', 'db'),
    'apps/web/keep.yaml': manifest('ConfigMap', 'keep', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
    }),
    'apps/web/cms.yaml': configMaps(10),
    ...extra,
  });
  rmSync(join(repo, '.git'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  assertLocked(lock(repo, WEB));
  commitAll(repo, 'lock web');
  git(repo, 'checkout', '-q', '-b', 'change');
  return repo;
}

/** Removes the lines matching `re` from web's lock, as a hand edit would. */
function handEdit(repo: string, re: RegExp, app = 'web'): void {
  const f = lockFile(repo, app);
  writeFileSync(
    f,
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => !re.test(l))
      .join('\n'),
  );
}

function assertTampered(r: RunResult, object: RegExp): string[] {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = findingLines(r.stderr, 'lock-tampered');
  assert.ok(
    lines.some((l) => object.test(l)),
    `expected error[lock-tampered] for ${object}, got:\n${r.stderr}`,
  );
  for (const l of lines) assert.ok(l.endsWith('(runbook: docs/rules/lock-tampered.md)'));
  return lines;
}

test('lock --check refuses a lock that lost a protected object by hand, committed or not', () => {
  const repo = lockedRepo();
  rmSync(join(repo, 'apps/web/db.yaml'));
  handEdit(repo, /^object apps\/StatefulSet\/prod\/db\b/);
  const line = assertTampered(lock(repo, WEB, ['--check']), /apps\/StatefulSet\/prod\/db/)[0]!;
  assert.match(
    line,
    /^error\[lock-tampered\] apps\/StatefulSet\/prod\/db: \.safe-render\/locks\/web\.lock changed since merge base with main \([0-9a-f]{12}\) without the acceptance safe-render lock requires: is protected \(StatefulSet is a protected kind\).*no "accepted protected-deletion:apps\/StatefulSet\/prod\/db" line/,
  );
  commitAll(repo, 'drop db by hand');
  assertTampered(lock(repo, WEB, ['--check']), /apps\/StatefulSet\/prod\/db/);
  // An explicit base names the same loss.
  const main = git(repo, 'rev-parse', 'main').trim();
  assertTampered(lock(repo, WEB, ['--check', '--base', main]), /apps\/StatefulSet\/prod\/db/);
});

test('lock --check refuses other losses without a witness: a safety switch, mass deletion, a deleted lock, an app dropped from the index', () => {
  // A Prune=false switch removed from the manifest and from the lock.
  const a = lockedRepo();
  writeFiles(a, { 'apps/web/keep.yaml': manifest('ConfigMap', 'keep') });
  const f = lockFile(a, 'web');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace(/^object core\/ConfigMap\/prod\/keep .*$/m, 'object core/ConfigMap/prod/keep'),
  );
  assertTampered(
    lock(a, WEB, ['--check']),
    /core\/ConfigMap\/prod\/keep: .*sync option Prune=false removed \(safety-weakened\)/,
  );

  // Six of twelve plain objects dropped by hand: over the deletion budget.
  const b = lockedRepo();
  writeFiles(b, { 'apps/web/cms.yaml': configMaps(4) });
  handEdit(b, /^object core\/ConfigMap\/prod\/cm-(5|6|7|8|9|10)$/);
  assertTampered(lock(b, WEB, ['--check']), /web: .*6 of 12 objects .* \(mass-deletion\)/);

  // Another app's lock and index line deleted together.
  const c = lockedRepo({ 'apps/old/cm.yaml': configMaps(2, 'old') });
  git(c, 'checkout', '-q', 'main');
  assertLocked(lock(c, OLD));
  commitAll(c, 'lock old');
  git(c, 'checkout', '-q', '-B', 'change');
  rmSync(lockFile(c, 'old'));
  const idx = join(c, '.safe-render/index');
  writeFileSync(idx, readFileSync(idx, 'utf8').replace(/^old\n/m, ''));
  assertTampered(
    lock(c, WEB, ['--check']),
    /^error\[lock-tampered\] app old: \.safe-render\/index no longer lists the app.*2 objects/,
  );

  // web's own lock deleted (the index still lists it).
  const d = lockedRepo();
  rmSync(lockFile(d, 'web'));
  assertTampered(lock(d, WEB, ['--check']), /app web: .*web\.lock was deleted.*12 objects \(2 protected\)/);
});

test('lock --check passes a loss witnessed by an accepted line, also over several commits', () => {
  const repo = lockedRepo();
  rmSync(join(repo, 'apps/web/db.yaml'));
  assertLocked(lock(repo, WEB, ['--accept', 'protected-deletion:apps/StatefulSet/prod/db']));
  commitAll(repo, 'retire db');
  const ok = lock(repo, WEB, ['--check']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.doesNotMatch(ok.stderr, /lock-tampered|warning/);
  // A later change in the same branch rewrites the lock: the acceptance since the base stays.
  writeFiles(repo, { 'apps/web/more.yaml': configMaps(1, 'more') });
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^accepted protected-deletion:apps\/StatefulSet\/prod\/db$/m);
  commitAll(repo, 'add more');
  assert.equal(lock(repo, WEB, ['--check']).code, 0);
  // Once merged, the base moves on, and the next change that rewrites the lock drops the old line.
  git(repo, 'checkout', '-q', 'main');
  git(repo, 'merge', '-q', '--ff-only', 'change');
  git(repo, 'checkout', '-q', '-b', 'next');
  writeFiles(repo, { 'apps/web/more2.yaml': configMaps(1, 'more2') });
  assertLocked(lock(repo, WEB));
  assert.doesNotMatch(readLock(repo, 'web'), /^accepted /m);
  assert.equal(lock(repo, WEB, ['--check']).code, 0);
});

test('a hand edit is repaired with lock --accept, which writes the witness', () => {
  const repo = lockedRepo();
  rmSync(join(repo, 'apps/web/db.yaml'));
  handEdit(repo, /^object apps\/StatefulSet\/prod\/db\b/);
  // Writing without the acceptance is refused, naming the base.
  const refused = lock(repo, WEB);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    findingLines(refused.stderr, 'protected-deletion')[0]!,
    /compared with the lock at merge base with main .*the lock was not written\. Fix: .*--accept protected-deletion:apps\/StatefulSet\/prod\/db/,
  );
  assertLocked(lock(repo, WEB, ['--accept', 'protected-deletion:apps/StatefulSet/prod/db']));
  assert.match(readLock(repo, 'web'), /^accepted protected-deletion:apps\/StatefulSet\/prod\/db$/m);
  assert.equal(lock(repo, WEB, ['--check']).code, 0);
  // A hand-written accepted line is a witness too: reviewers see it in the diff.
  const b = lockedRepo();
  rmSync(join(b, 'apps/web/db.yaml'));
  handEdit(b, /^object apps\/StatefulSet\/prod\/db\b/);
  writeFileSync(
    lockFile(b, 'web'),
    `${readFileSync(lockFile(b, 'web'), 'utf8').trimEnd()}\naccepted protected-deletion:apps/StatefulSet/prod/db\n`,
  );
  assert.equal(lock(b, WEB, ['--check']).code, 0);
});

test('lock --check passes an unchanged lock, an app retired with --empty first, and a brand-new app', () => {
  const repo = lockedRepo({ 'apps/old/cm.yaml': configMaps(2, 'old') });
  const same = lock(repo, WEB, ['--check']);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stderr, /is up to date/);
  // Retire old: first shrink it to empty (reviewed, merged), then delete its lock and index line.
  git(repo, 'checkout', '-q', 'main');
  assertLocked(lock(repo, OLD));
  commitAll(repo, 'lock old');
  rmSync(join(repo, 'apps/old/cm.yaml'));
  assertLocked(lock(repo, OLD, ['--empty', '--accept', 'mass-deletion:old']));
  commitAll(repo, 'old renders nothing');
  git(repo, 'checkout', '-q', '-B', 'change');
  rmSync(lockFile(repo, 'old'));
  const idx = join(repo, '.safe-render/index');
  writeFileSync(idx, readFileSync(idx, 'utf8').replace(/^old\n/m, ''));
  const r = lock(repo, WEB, ['--check']);
  assert.equal(r.code, 0, r.stderr);
  // A new app has no lock at the base: nothing to lose.
  writeFiles(repo, { 'apps/new/cm.yaml': configMaps(1, 'new') });
  assertLocked(lock(repo, { ...WEB, path: 'apps/new', name: 'new' }));
  assert.equal(lock(repo, { ...WEB, path: 'apps/new', name: 'new' }, ['--check']).code, 0);
});

test('--base: a revision that starts with "-" is a usage error and never reaches git; an unknown one is exit 2', () => {
  const repo = lockedRepo();
  const pwned = join(repo, 'pwned');
  for (const ref of ['-', '--output=pwned', '-p', '--all', '']) {
    const r = lock(repo, WEB, ['--check', `--base=${ref}`]);
    assert.equal(r.code, 2, `${ref}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^safe-render: error: --base .* is not a revision: a revision cannot be empty or start with "-"$/m,
    );
  }
  assert.ok(!existsSync(pwned));
  for (const ref of ['no-such-branch', 'HEAD~99', 'main:apps', '0000000000000000000000000000000000000000']) {
    const r = lock(repo, WEB, ['--check', '--base', ref]);
    assert.equal(r.code, 2, `${ref}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^safe-render: error: --base .*no such commit in this repository/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('without Git: --base is exit 2; without --base the check warns that no base was compared and checks the rest', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': configMaps(2) }); // a `.git` folder that is not a repository
  assertLocked(lock(repo, WEB));
  const withBase = lock(repo, WEB, ['--check', '--base', 'main']);
  assert.equal(withBase.code, 2, withBase.stderr);
  assert.match(
    withBase.stderr,
    /^safe-render: error: --base needs a Git repository: .* is not a Git work tree \(git: not a git repository.*\)$/m,
  );
  const r = lock(repo, WEB, ['--check']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^safe-render: warning: the lock was not compared with a base revision: .*; pass --base REF to compare with one$/m,
  );
  // git not installed at all.
  const noGit = lock(repo, WEB, ['--check'], { PATH: '/nonexistent' });
  assert.equal(noGit.code, 0, noGit.stderr);
  assert.match(noGit.stderr, /warning: the lock was not compared with a base revision: git is not installed/);
  // A repository with no default branch to take a merge base with.
  const lone = lockedRepo();
  git(lone, 'branch', '-q', '-m', 'main', 'trunk');
  const r2 = lock(lone, WEB, ['--check']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /warning: the lock was not compared with a base revision: no origin\/HEAD, main or master/);
});

// review8 (issue 8 §9 with the lock-format leniency of docs/security/lock.md): diffLock compares on what
// the older of two formats records, so a head lock lowered to format 1 (its hook entries removed, as
// parseLock demands) would be compared with the base on format 1's terms, and a hook that became an
// ordinary object, or an ordinary object that became a hook, would need no witness. Nothing accepts a
// lowered format: `lock` only writes the current one.
test('lock --check refuses a lock whose format was lowered since the base, with or without other edits', () => {
  const hook = manifest('Job', 'migrate', {
    apiVersion: 'batch/v1',
    annotations: { 'argocd.argoproj.io/hook': 'PreSync' },
  });
  const lowered = (text: string) => text.replace(/^safe-render-lock 2$/m, 'safe-render-lock 1');
  const noHook = (t: string) =>
    lowered(t)
      .split('\n')
      .filter((l) => !/"hook"/.test(l))
      .join('\n');
  const variants: Record<string, (text: string) => string> = {
    'version line and the hook entry removed': noHook,
    'the same, CRLF': (t) => noHook(t).replace(/\n/g, '\r\n'),
    'the same, the hook recorded as an ordinary object': (t) =>
      noHook(t).replace(/^(object batch\/Job\/prod\/migrate)\b.*$/m, '$1'),
  };
  for (const [what, edit] of Object.entries(variants)) {
    const repo = lockedRepo({ 'apps/web/hook.yaml': hook });
    assert.match(readLock(repo, 'web'), /"hook"/, 'the base records the hook');
    const f = lockFile(repo, 'web');
    writeFileSync(f, edit(readFileSync(f, 'utf8')));
    const line = assertTampered(
      lock(repo, WEB, ['--check']),
      /web\.lock: the lock is format 1, but at merge base with main \([0-9a-f]{12}\) it was format 2/,
    )[0]!;
    assert.match(
      line,
      /run `safe-render lock apps\/web .*` from the repository root with this safe-render, which writes format 2/,
      what,
    );
  }
  // The version line alone lowered is refused by the reader already (format 1 cannot record a hook).
  const repo = lockedRepo({ 'apps/web/hook.yaml': hook });
  writeFileSync(lockFile(repo, 'web'), lowered(readLock(repo, 'web')));
  const r = lock(repo, WEB, ['--check']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /format 1 cannot record a hook/);
});

test('lock --check passes a lock upgraded from format 1 at the base to format 2', () => {
  const repo = lockedRepo();
  git(repo, 'checkout', '-q', 'main');
  const f = lockFile(repo, 'web');
  writeFileSync(f, readFileSync(f, 'utf8').replace(/^safe-render-lock 2$/m, 'safe-render-lock 1'));
  commitAll(repo, 'a format-1 lock, as an older safe-render wrote it');
  git(repo, 'checkout', '-q', '-B', 'change');
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^safe-render-lock 2$/m);
  const r = lock(repo, WEB, ['--check']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /lock-tampered/);
});
