// Issue 9 §4: the repository root `generate` uses is derived from the sidecar's copy and
// ARGOCD_APP_SOURCE_PATH, never from what the repository holds. A wrong root means .safe-render
// (locks, index, FREEZE) is never read: the deletion guard and the red button switch off silently.
// Each case runs through the harness, the way Argo CD's repo-server and sidecar run us; a repository
// FREEZE is the witness that the real root was found (refused by deploy-freeze, exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, symlinkSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, runCli } from './helpers';
import { runGenerate, type GenerateResult, type RequestOptions } from './harness/cmp-server';

const FREEZE = { '.safe-render/FREEZE': 'reason: INC-7 rollback in progress\nby: carol\n' };
const APP = { 'apps/web/a.yaml': manifest('ConfigMap', 'a') };

function gen(repo: string, extra: Partial<RequestOptions> = {}): Promise<GenerateResult> {
  return runGenerate({ name: 'web', path: 'apps/web', destinationNamespace: 'prod', repoDir: repo, ...extra });
}

function assertFrozen(r: GenerateResult, what: string): void {
  assert.equal(r.ok, false, `${what}: must be refused`);
  assert.equal(r.exitCode, 1, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(findingLines(r.stderr, 'deploy-freeze')[0] ?? '', /INC-7 rollback in progress/, what);
}

function assertNoRoot(r: GenerateResult, what: string, why: RegExp): void {
  assert.equal(r.ok, false, `${what}: must fail`);
  assert.equal(r.error?.startsWith('`'), true, `${what}: the plugin must have run: ${r.error}`);
  assert.equal(r.exitCode, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line: ${r.stderr}`);
  assert.match(lines[0]!, why, what);
  assert.match(lines[0]!, /reposerver\.plugin\.use\.manifest\.generate\.paths/, `${what}: names the Argo CD setting`);
  assert.match(lines[0]!, /\.safe-render/, `${what}: says how to include .safe-render`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
}

test('normal case: the whole repository with .git: the repository FREEZE is read', async () => {
  assertFrozen(await gen(makeRepo({ ...APP, ...FREEZE })), 'whole copy');
  const free = await gen(makeRepo(APP));
  assert.equal(free.ok, true, free.stderr);
  assert.equal(free.objects.length, 1);
});

test('a copy without .git (reposerver.plugin.tar.exclusions) still finds the real root', async () => {
  for (const tarExclusions of [['.git'], ['.gi?'], ['.git/*', '.git']]) {
    assertFrozen(
      await gen(makeRepo({ ...APP, ...FREEZE }), { tarExclusions }),
      `exclusions ${tarExclusions.join(';')}`,
    );
    const free = await gen(makeRepo(APP), { tarExclusions });
    assert.equal(free.ok, true, free.stderr);
  }
});

test('a committed symlink that makes the app folder look like the root does not hide .safe-render', async () => {
  // apps/web/apps/web -> .. : from apps/web, the path apps/web leads back to apps/web itself.
  const tricks: Array<[string, (repo: string) => void]> = [
    [
      'apps/web/apps/web -> ..',
      (repo) => {
        mkdirSync(join(repo, 'apps/web/apps'));
        symlinkSync('..', join(repo, 'apps/web/apps/web'));
      },
    ],
    ['apps/web/apps -> ..', (repo) => symlinkSync('..', join(repo, 'apps/web/apps'))],
    [
      'apps/web -> ../other/apps/web (the app folder itself is a link into a deeper tree with the same tail)',
      (repo) => {
        mkdirSync(join(repo, 'other/apps'), { recursive: true });
        renameSync(join(repo, 'apps/web'), join(repo, 'other/apps/web'));
        symlinkSync('../other/apps/web', join(repo, 'apps/web'));
      },
    ],
  ];
  for (const [what, plant] of tricks) {
    for (const tarExclusions of [[], ['.git']]) {
      const repo = makeRepo({ ...APP, ...FREEZE });
      plant(repo);
      assertFrozen(await gen(repo, { tarExclusions }), `${what}, exclusions [${tarExclusions}]`);
    }
  }
});

test('a copy rooted at the app (manifest-generate-paths) is refused: the control files are not in it', async () => {
  for (const tarRoot of ['apps/web', 'apps']) {
    assertNoRoot(
      await gen(makeRepo({ ...APP, ...FREEZE }), { tarRoot }),
      `root ${tarRoot}`,
      /not rooted at the repository root/,
    );
    // Even with nothing to hide: the lock and index would be missed just the same.
    assertNoRoot(
      await gen(makeRepo(APP), { tarRoot }),
      `root ${tarRoot}, no FREEZE`,
      /not rooted at the repository root/,
    );
  }
});

test('manifest-generate-paths plus a symlink that makes the path lead back is refused as ambiguous', async () => {
  // Rooted at apps (cwd = <copy>/web), apps/apps/web -> ../web makes <copy>/apps/web lead to the
  // working directory too. (A link to the copy's root itself, such as apps/web/apps/web -> .. with
  // the copy rooted at apps/web, is refused by the sidecar when it un-tars: see the harness.)
  const repo = makeRepo({ ...APP, ...FREEZE });
  mkdirSync(join(repo, 'apps/apps'));
  symlinkSync('../web', join(repo, 'apps/apps/web'));
  assertNoRoot(
    await gen(repo, { tarRoot: 'apps' }),
    'apps/apps/web -> ../web rooted at apps',
    /cannot tell whether the copy is the whole repository/,
  );
  const rootLink = makeRepo({ ...APP, ...FREEZE });
  mkdirSync(join(rootLink, 'apps/web/apps'));
  symlinkSync('..', join(rootLink, 'apps/web/apps/web'));
  const r = await gen(rootLink, { tarRoot: 'apps/web' });
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /illegal filepath in symlink/);
  // A real look-alike folder (no symlink) does not lead to the working directory: refused as a copy
  // that is not rooted at the repository.
  const lookalike = makeRepo({ ...APP, ...FREEZE, 'apps/apps/web/a.yaml': manifest('ConfigMap', 'a') });
  assertNoRoot(
    await gen(lookalike, { tarRoot: 'apps' }),
    'look-alike apps/apps/web rooted at apps',
    /not rooted at the repository root/,
  );
});

test('outside the sidecar layout, a path that leads back through a symlink without .git is refused; with .git the real root wins', () => {
  const env = (sourcePath: string) => ({
    ARGOCD_APP_NAME: 'web',
    ARGOCD_APP_NAMESPACE: 'prod',
    ARGOCD_APP_SOURCE_PATH: sourcePath,
    SAFE_RENDER_FREEZE_DIR: '/nonexistent',
  });
  const repo = makeRepo({ ...APP, ...FREEZE });
  mkdirSync(join(repo, 'apps/web/apps'));
  symlinkSync('..', join(repo, 'apps/web/apps/web'));
  const withGit = runCli(['generate'], { cwd: join(repo, 'apps/web'), cleanEnv: true, env: env('apps/web') });
  assert.equal(withGit.code, 1, withGit.stderr);
  assert.match(findingLines(withGit.stderr, 'deploy-freeze')[0]!, /INC-7/);
  rmSync(join(repo, '.git'), { recursive: true });
  const noGit = runCli(['generate'], { cwd: join(repo, 'apps/web'), cleanEnv: true, env: env('apps/web') });
  assert.equal(noGit.code, 2, noGit.stderr);
  assert.equal(noGit.stdout, '');
  assert.match(
    noGit.stderr,
    /^safe-render: error: ARGOCD_APP_SOURCE_PATH "apps\/web" leads to the working directory from 2 folders and none holds \.git/,
  );
});

// review9: ARGOCD_APP_SOURCE_PATH as written in an Application (Argo CD cleans it lexically and refuses
// absolute and escaping paths before the plugin runs), with and without .git in the copy, and more
// committed links: a nested `_cmp_server/<x>` folder, a link that lets the path's tail lead back, a
// link component cleaned away by `..`. Every case finds the real root (the repository FREEZE).
test('path spellings and more link layouts keep the real root', async () => {
  const cases: Array<[string, string, ((repo: string) => void)?]> = [
    ['.', '.'],
    ['./apps/web/', 'apps/web'],
    ['apps/web/', 'apps/web'],
    ['apps//web', 'apps/web'],
    ['apps/./web', 'apps/web'],
    ['apps/x/../web', 'apps/web'],
    ['apps/web/..', 'apps'],
    ['ápps/wéb', 'ápps/wéb'],
    [
      'apps/link/..',
      'apps',
      (repo) => {
        mkdirSync(join(repo, 'deep/x'), { recursive: true });
        symlinkSync('../deep/x', join(repo, 'apps/link'));
      },
    ],
    ['apps/web', 'apps/web', (repo) => symlinkSync('.', join(repo, 'apps/web/apps'))],
    [
      'apps/web',
      'apps/web',
      (repo) => {
        mkdirSync(join(repo, 'apps/web/_cmp_server/x/apps'), { recursive: true });
        symlinkSync('../../..', join(repo, 'apps/web/_cmp_server/x/apps/web'));
      },
    ],
  ];
  for (const [path, dir, plant] of cases) {
    for (const tarExclusions of [[], ['.git']]) {
      const repo = makeRepo({ [`${dir}/a.yaml`]: manifest('ConfigMap', 'a'), ...FREEZE });
      plant?.(repo);
      assertFrozen(await gen(repo, { path, tarExclusions }), `${path}, exclusions [${tarExclusions}]`);
    }
  }
  // The legitimate case for each spelling renders.
  for (const [path, dir] of cases.filter((c) => !c[2])) {
    const ok = await gen(makeRepo({ [`${dir}/a.yaml`]: manifest('ConfigMap', 'a') }), {
      path,
      tarExclusions: ['.git'],
    });
    assert.equal(ok.ok, true, `${path}: ${ok.stderr}`);
  }
});

test('a root-level link to the app folder, in a copy without .git, is refused as ambiguous rather than guessed', async () => {
  const repo = makeRepo({ ...APP, ...FREEZE });
  symlinkSync('apps/web', join(repo, 'web'));
  assertNoRoot(
    await gen(repo, { tarExclusions: ['.git'] }),
    'web -> apps/web',
    /also leads to the working directory as "web"/,
  );
  assertFrozen(await gen(repo), 'web -> apps/web with .git');
});
