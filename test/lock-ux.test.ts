// Lock ergonomics found by use (issue 14): the repository URL from the Git remote, the objects
// `lock --check` names, the deletion budget's floor for small apps, an index two pull requests can
// both change, and no lock outside a Git repository. Real Git repositories, the built bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, runCli, writeFiles, type RunResult } from './helpers';
import { assertClean, assertLocked, assertRefused, configMaps, generate, readLock, type App } from './lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
const URL = 'https://github.com/acme/shop.git';
const NO_FREEZE = { SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-test-freeze', SAFE_RENDER_POLICY: undefined };
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: GIT_ENV });
}

function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
}

/** A real Git repository on `main` holding `files`, with the given remotes (name -> URL). */
function gitRepo(files: Record<string, string>, remotes: Record<string, string> = {}): string {
  const repo = makeRepo(files);
  rmSync(join(repo, '.git'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  for (const [name, url] of Object.entries(remotes)) git(repo, 'remote', 'add', name, url);
  return repo;
}

/** `safe-render lock PATH --app NAME --namespace NS ...extra`, without --repo-url. */
function bareLock(repo: string, app: App, extra: readonly string[] = []): RunResult {
  return runCli(['lock', app.path, '--app', app.name, '--namespace', app.namespace, ...extra], {
    cwd: repo,
    env: NO_FREEZE,
  });
}

const sourceLine = (repo: string, app = 'web') => readLock(repo, app).match(/^source .*$/m)![0];

test('lock takes the repoURL from the origin remote, without the token a CI checkout puts in it', () => {
  const repo = gitRepo(
    { 'apps/web/cms.yaml': configMaps(2) },
    { origin: 'https://x-access-token:s3cr3t@github.com/acme/shop.git' },
  );
  const r = bareLock(repo, WEB);
  assertLocked(r);
  assert.match(
    r.stderr,
    /^safe-render: the lock's repoURL is https:\/\/github\.com\/acme\/shop\.git \(Git remote origin; --repo-url URL overrides it\)$/m,
  );
  assert.equal(sourceLine(repo), `source {"path":"apps/web","repoURL":"${URL}"}`);
  assert.doesNotMatch(readLock(repo, 'web'), /s3cr3t/);
  assert.doesNotMatch(r.stderr, /s3cr3t/);
  assertClean(generate(repo, { ...WEB, repoURL: URL }));
  assertRefused(generate(repo, { ...WEB, repoURL: 'https://github.com/evil/fork.git' }), 'app-source-drift');
  // A lock that records a repository keeps it: Argo CD may read a mirror of what people clone.
  git(repo, 'remote', 'set-url', 'origin', 'https://github.com/acme/elsewhere.git');
  const text = readLock(repo, 'web');
  assert.equal(bareLock(repo, WEB, ['--check']).code, 0);
  const again = bareLock(repo, WEB);
  assertLocked(again);
  assert.doesNotMatch(again.stderr, /Git remote|warning/);
  assert.equal(readLock(repo, 'web'), text);
  // --repo-url still wins.
  const other = gitRepo({ 'apps/web/cms.yaml': configMaps(2) }, { origin: URL });
  assertLocked(bareLock(other, WEB, ['--repo-url', 'https://git.example.com/mirror.git']));
  assert.match(sourceLine(other), /"repoURL":"https:\/\/git\.example\.com\/mirror\.git"/);
});

test('an ssh remote is the same repository as the https URL of the Application: no drift, no rewrite by a clone spelled the other way', () => {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(2) }, { origin: 'git@github.com:acme/shop.git' });
  assertLocked(bareLock(repo, WEB));
  assert.match(sourceLine(repo), /"repoURL":"git@github\.com:acme\/shop\.git"/);
  // Argo CD fetches the https spelling: the same repository, no app-source-drift.
  assertClean(generate(repo, { ...WEB, repoURL: URL }));
  // CI checks out over https: the recorded spelling stays, so --check passes and lock writes the same bytes.
  git(repo, 'remote', 'set-url', 'origin', URL);
  const text = readLock(repo, 'web');
  assert.equal(bareLock(repo, WEB, ['--check']).code, 0);
  assertLocked(bareLock(repo, WEB));
  assert.equal(readLock(repo, 'web'), text);
});

test('without origin the only remote names the repository; with several and no origin, lock warns', () => {
  const one = gitRepo({ 'apps/web/cms.yaml': configMaps(1) }, { upstream: URL });
  assertLocked(bareLock(one, WEB));
  assert.match(sourceLine(one), /"repoURL":"https:\/\/github\.com\/acme\/shop\.git"/);
  const two = gitRepo(
    { 'apps/web/cms.yaml': configMaps(1) },
    { upstream: URL, fork: 'https://github.com/me/shop.git' },
  );
  const r = bareLock(two, WEB);
  assertLocked(r);
  assert.match(
    r.stderr,
    /^safe-render: warning: the lock records no repoURL: no --repo-url was given and the repository has 2 remotes and none is named origin; without it app-source-drift cannot see the app re-pointed at another repository\. Pass --repo-url URL \(the repoURL of the app's Argo CD Application\)$/m,
  );
});

test('no remote: lock warns, the sidecar calls the lock stale, and following its fix records the URL and turns drift detection on', () => {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(2) });
  const r = bareLock(repo, WEB);
  assertLocked(r);
  assert.match(
    r.stderr,
    /^safe-render: warning: the lock records no repoURL: no --repo-url was given and the repository has no remote;/m,
  );
  assert.match(sourceLine(repo), /"repoURL":""/);
  const gen = generate(repo, { ...WEB, repoURL: URL });
  assert.equal(gen.code, 0, gen.stderr);
  const [stale] = findingLines(gen.stderr, 'lock-stale', 'warning');
  assert.match(
    stale!,
    /it records no repoURL, so app-source-drift cannot see the app re-pointed at another repository/,
  );
  const fix = /run `(safe-render lock [^`]*)` from the repository root/.exec(stale!)![1]!;
  assert.equal(fix, `safe-render lock apps/web --app web --namespace prod --repo-url ${URL}`);
  // Following the fix as printed.
  assertLocked(runCli(fix.split(' ').slice(1), { cwd: repo, env: NO_FREEZE }));
  assert.match(sourceLine(repo), /"repoURL":"https:\/\/github\.com\/acme\/shop\.git"/);
  assertClean(generate(repo, { ...WEB, repoURL: URL }));
  assertRefused(generate(repo, { ...WEB, repoURL: 'https://github.com/evil/fork.git' }), 'app-source-drift');
});

test('the first lock says how many objects it locked; --check and lock name the new and gone objects, at most 20 of each', () => {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(3) }, { origin: URL });
  const first = bareLock(repo, WEB);
  assertLocked(first);
  assert.match(first.stderr, /^safe-render: wrote \.safe-render\/locks\/web\.lock: locked 3 objects$/m);
  assert.doesNotMatch(first.stderr, /added|removed|^ {2}(new|gone):/m);
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(2), 'apps/web/more.yaml': configMaps(25, 'x') });
  const check = bareLock(repo, WEB, ['--check']);
  assert.equal(check.code, 1, check.stderr);
  assert.match(
    check.stderr,
    /^error\[lock-stale\] app web: \.safe-render\/locks\/web\.lock is out of date \(27 objects, 25 added, 1 removed\)/m,
  );
  const listed = check.stderr.split('\n').filter((l) => /^ {2}(new|gone|\.\.\.)/.test(l));
  const x = Array.from({ length: 25 }, (_, i) => `core/ConfigMap/prod/x-${i + 1}`).sort();
  assert.deepEqual(listed, [
    ...x.slice(0, 20).map((ref) => `  new: ${ref}`),
    '  ... and 5 more new',
    '  gone: core/ConfigMap/prod/cm-3',
  ]);
  const w = bareLock(repo, WEB);
  assertLocked(w);
  assert.match(w.stderr, /^ {2}gone: core\/ConfigMap\/prod\/cm-3$/m);
  assert.match(w.stderr, /^ {2}\.\.\. and 5 more new$/m);
});

test('deletion budget floor: removing 1 of 3 objects is no mass deletion, but still an unacknowledged deletion', () => {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(3) }, { origin: URL });
  const app = { ...WEB, repoURL: URL };
  assertLocked(bareLock(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(2) });
  // The sidecar refuses the deletion until the lock is rewritten, and its fix needs no mass-deletion.
  const [line] = assertRefused(generate(repo, app), 'unacknowledged-deletion');
  assert.doesNotMatch(line!, /mass-deletion/);
  assert.match(line!, /^error\[unacknowledged-deletion\] core\/ConfigMap\/prod\/cm-3: is in the lock/);
  const l = bareLock(repo, WEB);
  assertLocked(l);
  assert.doesNotMatch(l.stderr, /mass-deletion/);
  assertClean(generate(repo, app));
  // From the floor (3 objects) the share counts again: 3 of 5 is 60%.
  const five = gitRepo({ 'apps/web/cms.yaml': configMaps(5) }, { origin: URL });
  assertLocked(bareLock(five, WEB));
  writeFiles(five, { 'apps/web/cms.yaml': configMaps(2) });
  assert.match(
    assertRefused(bareLock(five, WEB), 'mass-deletion')[0]!,
    /^error\[mass-deletion\] web: 3 of 5 objects \(60%\) would be removed, over the budget of 5 objects, or 30% once 3 or more go; the lock was not written/,
  );
});

test("the floor is the platform policy's: a policy sets it, a repository's safe-render.yaml cannot", () => {
  const repo = gitRepo(
    {
      'apps/web/cms.yaml': configMaps(3),
      'policy/strict.yaml': 'default:\n  deletionBudget: {floor: 1}\n',
      'policy/bad.yaml': 'default:\n  deletionBudget: {floor: -1}\n',
    },
    { origin: URL },
  );
  assertLocked(bareLock(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(2) });
  assert.match(
    assertRefused(bareLock(repo, WEB, ['--policy', 'policy/strict.yaml']), 'mass-deletion')[0]!,
    /1 of 3 objects \(33%\) would be removed, over the budget of 5 objects, or 30% once 1 or more go/,
  );
  const bad = bareLock(repo, WEB, ['--policy', 'policy/bad.yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /deletionBudget\.floor must be a number of 0 or more/);
  // The repository cannot raise the floor for itself: safe-render.yaml has no deletionBudget.
  writeFiles(repo, {
    'apps/web/cms.yaml': configMaps(3),
    'apps/web/safe-render.yaml': 'deletionBudget: {floor: 100}\n',
  });
  const own = bareLock(repo, WEB, ['--policy', 'policy/strict.yaml']);
  assert.equal(own.code, 2, own.stderr);
  assert.match(own.stderr, /deletionBudget/);
  assert.equal(own.stdout, '');
});

/** main with web locked; then two branches off it, each adding and locking one app. */
function twoBranches(withAttributes: boolean): { repo: string; merge: ReturnType<typeof spawnSync> } {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(2) }, { origin: URL });
  assertLocked(bareLock(repo, WEB));
  if (!withAttributes) rmSync(join(repo, '.safe-render/.gitattributes'));
  commitAll(repo, 'lock web');
  for (const name of ['cart', 'shop']) {
    git(repo, 'checkout', '-q', '-b', name, 'main');
    writeFiles(repo, { [`apps/${name}/cms.yaml`]: configMaps(2, name) });
    assertLocked(bareLock(repo, { path: `apps/${name}`, name, namespace: 'prod' }));
    if (!withAttributes) rmSync(join(repo, '.safe-render/.gitattributes'));
    commitAll(repo, `lock ${name}`);
  }
  git(repo, 'checkout', '-q', 'main');
  git(repo, 'merge', '-q', '--no-edit', 'cart');
  const merge = spawnSync('git', ['merge', '--no-edit', 'shop'], { cwd: repo, encoding: 'utf8', env: GIT_ENV });
  return { repo, merge };
}

test('two branches that each lock a new app merge without a conflict, and every app stays locked', () => {
  const { repo, merge } = twoBranches(true);
  assert.equal(merge.status, 0, `${merge.stdout}${merge.stderr}`);
  assert.equal(git(repo, 'check-attr', 'merge', '--', '.safe-render/index'), '.safe-render/index: merge: union\n');
  const index = readFileSync(join(repo, '.safe-render/index'), 'utf8');
  assert.deepEqual(
    index
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .sort(),
    ['cart', 'shop', 'web'],
  );
  for (const name of ['web', 'cart', 'shop']) {
    const app = { path: `apps/${name}`, name, namespace: 'prod' };
    assert.equal(bareLock(repo, app, ['--check']).code, 0, name);
    assertClean(generate(repo, { ...app, repoURL: URL }));
    // The index still guards each: a deleted lock is refused.
  }
  rmSync(join(repo, '.safe-render/locks/cart.lock'));
  assertRefused(generate(repo, { path: 'apps/cart', name: 'cart', namespace: 'prod', repoURL: URL }), 'lock-missing');
});

test('without the merge=union attribute the same two branches conflict in the index (why lock writes it)', () => {
  const { merge } = twoBranches(false);
  assert.notEqual(merge.status, 0);
  assert.match(`${merge.stdout}${merge.stderr}`, /CONFLICT \(content\): Merge conflict in \.safe-render\/index/);
});

test(".safe-render/.gitattributes: written once, a person's lines kept, their own choice for the index respected; the root one never touched", () => {
  const repo = gitRepo({ 'apps/web/cms.yaml': configMaps(1), '.gitattributes': '*.png binary\n' }, { origin: URL });
  // An index from before (no attributes file): read as it is, and the attribute added beside it.
  writeFiles(repo, { '.safe-render/index': '# old\nold-app\n' });
  writeFiles(repo, { 'apps/old/cms.yaml': configMaps(1) });
  assertLocked(bareLock(repo, WEB));
  const attrs = join(repo, '.safe-render/.gitattributes');
  const written = readFileSync(attrs, 'utf8');
  assert.match(written, /^\/index merge=union$/m);
  assert.equal(readFileSync(join(repo, '.gitattributes'), 'utf8'), '*.png binary\n');
  assert.match(readFileSync(join(repo, '.safe-render/index'), 'utf8'), /^old-app\nweb\n$/m);
  assertLocked(bareLock(repo, WEB));
  assert.equal(readFileSync(attrs, 'utf8'), written, 'idempotent');
  writeFileSync(attrs, 'locks/* -diff');
  assertLocked(bareLock(repo, WEB));
  assert.equal(readFileSync(attrs, 'utf8'), 'locks/* -diff\n/index merge=union\n');
  writeFileSync(attrs, 'index -merge\n');
  assertLocked(bareLock(repo, WEB));
  assert.equal(readFileSync(attrs, 'utf8'), 'index -merge\n');
});

test('outside a Git repository lock refuses (exit 2) and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-nogit-'));
  try {
    writeFiles(dir, { 'apps/web/cms.yaml': manifest('ConfigMap', 'a') });
    for (const extra of [[], ['--check'], ['--repo-url', URL]]) {
      const r = bareLock(dir, WEB, extra);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^safe-render: error: lock writes into the repository's \.safe-render\/ folder, but .*apps\/web is not inside a Git repository \(no \.git found at or above it\); run it in a checkout of the repository Argo CD reads, or give --repo-root ROOT$/m,
      );
      assert.equal(existsSync(join(dir, '.safe-render')), false);
      assert.equal(existsSync(join(dir, 'apps/web/.safe-render')), false);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
