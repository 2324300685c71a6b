// `safe-render ci --init` and `ci --fix-locks` end to end (issue 11, "Adoption in one command"): the
// bundle run as a process on a real Git repository of plugin apps. --init writes exactly the smallest
// safe-render.yaml each app needs and the locks, lists what it does not fix and why, and exits with the
// verdict of a plain ci run over the result; --fix-locks rewrites a lock for additions and keeps it for a
// deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { manifest, runCli, type RunResult } from './helpers';
import { REPO_URL, app, gitRepo } from './ci-repo';

// Two apps an ApplicationSet generates from one folder (a chart), each into its own namespace; both also
// write a ConfigMap of their own into `monitoring`, so the shared folder's file allows it once.
const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - env: dev
      - env: prod
  template:
    metadata:
      name: 'shared-{{env}}'
    spec:
      project: default
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{env}}'
      source:
        repoURL: ${REPO_URL}
        targetRevision: HEAD
        path: apps/shared
        plugin:
          name: safe-render
`;

const CLUSTER_ROLE = manifest('ClusterRole', 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1' });
const HAND_WRITTEN = '# Written by the team: keep this comment.\ninclude: ["*.yaml"]\n';

/** The apps --init can fix: a second namespace, a ClusterRole, a clean one, two generated ones. */
function fixableFiles(): Record<string, string> {
  return {
    'argocd/second-ns.yaml': app('second-ns', 'apps/second-ns', 'team-a'),
    'argocd/cluster.yaml': app('cluster', 'apps/cluster', 'team-c'),
    'argocd/clean.yaml': app('clean', 'apps/clean', 'team-clean'),
    'argocd/envs.yaml': APPSET,
    'apps/second-ns/a.yaml': manifest('ConfigMap', 'a'),
    'apps/second-ns/b.yaml': manifest('ConfigMap', 'b'),
    'apps/second-ns/c.yaml': manifest('ConfigMap', 'c'),
    'apps/second-ns/d.yaml': manifest('ConfigMap', 'd'),
    'apps/second-ns/shared.yaml': manifest('ConfigMap', 'shared-settings', { namespace: 'shared' }),
    'apps/cluster/role.yaml': CLUSTER_ROLE,
    'apps/cluster/cm.yaml': manifest('ConfigMap', 'settings'),
    'apps/clean/cm.yaml': manifest('ConfigMap', 'settings'),
    'apps/shared/Chart.yaml': 'apiVersion: v2\nname: shared\nversion: 0.1.0\n',
    'apps/shared/templates/cm.yaml': manifest('ConfigMap', 'settings'),
    'apps/shared/templates/metrics.yaml': manifest('ConfigMap', '{{ .Release.Name }}-metrics', {
      namespace: 'monitoring',
    }),
  };
}

/** And those it cannot: a hand-written config (listed), a duplicate object, a kind the policy forbids. */
function allFiles(): Record<string, string> {
  return {
    ...fixableFiles(),
    'argocd/hand.yaml': app('hand', 'apps/hand', 'team-h'),
    'argocd/dup.yaml': app('dup', 'apps/dup', 'team-d'),
    'argocd/forbidden.yaml': app('forbidden', 'apps/forbidden', 'team-f'),
    'apps/hand/safe-render.yaml': HAND_WRITTEN,
    'apps/hand/a.yaml': manifest('ConfigMap', 'a'),
    'apps/hand/b.yaml': manifest('ConfigMap', 'b', { namespace: 'elsewhere' }),
    'apps/dup/a.yaml': manifest('ConfigMap', 'a'),
    'apps/dup/b.yaml': manifest('ConfigMap', 'a', { body: 'data:\n  other: "1"' }),
    'apps/dup/c.yaml': manifest('ConfigMap', 'c', { namespace: 'dup-extra' }),
    'apps/forbidden/role.yaml': CLUSTER_ROLE,
  };
}

const POLICY_DIR = mkdtempSync(join(tmpdir(), 'safe-render-policy-'));
process.on('exit', () => rmSync(POLICY_DIR, { recursive: true, force: true }));
const POLICY = join(POLICY_DIR, 'policy.yaml');
writeFileSync(POLICY, 'default: {}\napps:\n  - match: {names: [forbidden]}\n    clusterScoped: [core/Namespace]\n');

function git(dir: string, args: readonly string[]): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && v !== undefined) env[k] = v;
  const r = spawnSync('git', ['-c', 'user.email=ci@test', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    env: { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** What the run changed in the working tree: `git status --porcelain` paths, untracked files listed. */
function changed(dir: string): string[] {
  return git(dir, ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .sort();
}

function ci(dir: string, flags: readonly string[]): RunResult {
  return runCli(['ci', '--policy', POLICY, ...flags], { cwd: dir, timeoutMs: 300_000 });
}

interface Report {
  apps: Array<{ id: string; verdict: string; findings: Array<{ rule: string; severity: string }> }>;
  exitCode: number;
}

function ciJson(dir: string, flags: readonly string[] = []): { r: RunResult; report: Report } {
  const r = ci(dir, ['--report', 'json=-', ...flags]);
  assert.notEqual(r.code, 2, r.stderr);
  return { r, report: JSON.parse(r.stdout) as Report };
}

const verdicts = (report: Report) => Object.fromEntries(report.apps.map((a) => [a.id, a.verdict]));
const lines = (r: RunResult, prefix: string) =>
  r.stderr.split('\n').filter((l) => l.startsWith(`safe-render: ${prefix}`));
const lockText = (dir: string, app: string) => readFileSync(join(dir, '.safe-render/locks', `${app}.lock`), 'utf8');
const FIXABLE = ['clean', 'cluster', 'second-ns', 'shared-dev', 'shared-prod'];

test('ci --init writes exactly the smallest safe-render.yaml per app and the locks, and lists what it does not fix', () => {
  const { dir } = gitRepo(allFiles());
  const { r, report } = ciJson(dir, ['--init']);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    changed(dir),
    [
      '.safe-render/.gitattributes',
      '.safe-render/index',
      ...FIXABLE.map((a) => `.safe-render/locks/${a}.lock`),
      'apps/cluster/safe-render.yaml',
      'apps/second-ns/safe-render.yaml',
      'apps/shared/safe-render.yaml',
    ].sort(),
  );
  const config = (app: string) => parse(readFileSync(join(dir, 'apps', app, 'safe-render.yaml'), 'utf8')) as unknown;
  assert.deepEqual(config('second-ns'), { namespaces: ['shared'] });
  assert.deepEqual(config('cluster'), { clusterScoped: ['rbac.authorization.k8s.io/ClusterRole'] });
  assert.deepEqual(config('shared'), { namespaces: ['monitoring'] });
  assert.match(
    readFileSync(join(dir, 'apps/cluster/safe-render.yaml'), 'utf8'),
    /^# Written by `safe-render ci --init`/,
  );
  assert.equal(readFileSync(join(dir, 'apps/hand/safe-render.yaml'), 'utf8'), HAND_WRITTEN, 'never rewritten');
  assert.deepEqual(
    readFileSync(join(dir, '.safe-render/index'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
    FIXABLE,
  );
  // The index merges as `safe-render lock` makes it merge (issue 14): two adoptions in parallel do not conflict.
  assert.equal(git(dir, ['check-attr', 'merge', '--', '.safe-render/index']), '.safe-render/index: merge: union\n');
  assert.match(lockText(dir, 'cluster'), /^object rbac\.authorization\.k8s\.io\/ClusterRole\/reader$/m);

  // What it allowed, what it listed, what stays refused and why, one line each.
  const init = lines(r, 'init: ');
  for (const expected of [
    'safe-render: init: wrote apps/cluster/safe-render.yaml for cluster: clusterScoped: [rbac.authorization.k8s.io/ClusterRole]',
    'safe-render: init: wrote apps/second-ns/safe-render.yaml for second-ns: namespaces: [shared]',
    'safe-render: init: wrote apps/shared/safe-render.yaml for shared-dev, shared-prod: namespaces: [monitoring]',
    'safe-render: init: apps/hand/safe-render.yaml exists and is not rewritten; hand would need namespaces: [elsewhere] in it',
    `safe-render: init: app forbidden still refused: rbac.authorization.k8s.io/ClusterRole reader: the platform policy ${POLICY} (apps[0]) does not allow cluster-scoped rbac.authorization.k8s.io/ClusterRole`,
    'safe-render: init: app dup not fixed: it fails for other reasons, so nothing is written for it (it would also need namespaces: [dup-extra]):',
    'safe-render: init: 3 safe-render.yaml written, 1 listed (file exists), 5 locks written, 3 not',
  ])
    assert.ok(init.includes(expected), `missing: ${expected}\n${init.join('\n')}`);
  assert.ok(
    init.some((l) => l.startsWith('safe-render: init:   duplicate-object ConfigMap team-d/a: ')),
    init.join('\n'),
  );
  for (const app of ['dup', 'forbidden', 'hand'])
    assert.ok(
      init.some((l) => l.startsWith(`safe-render: init: no lock written for ${app} `)),
      app,
    );

  // The exit code is a plain ci run's over the result: the fixable apps pass, the others stay refused.
  const expected = {
    ...Object.fromEntries(FIXABLE.map((a) => [a, 'passed'])),
    dup: 'refused',
    forbidden: 'refused',
    hand: 'refused',
  };
  assert.deepEqual(verdicts(report), expected);
  const plain = ciJson(dir);
  assert.equal(plain.r.code, 1);
  assert.deepEqual(verdicts(plain.report), expected);
  const rules = (id: string) => plain.report.apps.find((a) => a.id === id)!.findings.map((f) => f.rule);
  assert.deepEqual(rules('dup'), ['duplicate-object', 'namespace-escape'], 'listed, not fixed');
  assert.deepEqual(rules('forbidden'), ['cluster-scoped']);
  assert.deepEqual(rules('hand'), ['namespace-escape']);
});

test('--init on a fresh repository of apps that need only namespace and cluster-scoped exceptions exits 0, and so does ci after it', () => {
  const { dir } = gitRepo(fixableFiles());
  assert.equal(ci(dir, []).code, 1, 'refused before');
  const r = ci(dir, ['--init']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /safe-render ci: 5 apps checked: 5 passed, 0 refused, 0 failed.*: passed\n$/);
  const again = ci(dir, []);
  assert.equal(again.code, 0, again.stderr);
  // A second --init finds nothing to do: the files are there, locks are up to date.
  const before = changed(dir);
  const twice = ci(dir, ['--init']);
  assert.equal(twice.code, 0, twice.stderr);
  assert.deepEqual(changed(dir), before);
  assert.ok(
    lines(twice, 'init: ').includes(
      'safe-render: init: 0 safe-render.yaml written, 0 listed (file exists), 0 locks written, 0 not',
    ),
    twice.stderr,
  );
});

test('--fix-locks rewrites a lock for an added object (also for generated apps); a removed object keeps the lock, exit 1 with unacknowledged-deletion', () => {
  const { dir } = gitRepo(fixableFiles());
  assert.equal(ci(dir, ['--init']).code, 0);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'adopt safe-render']);

  writeFileSync(join(dir, 'apps/clean/new.yaml'), manifest('ConfigMap', 'new'));
  writeFileSync(join(dir, 'apps/shared/templates/new.yaml'), manifest('ConfigMap', 'new'));
  const stale = ciJson(dir);
  assert.equal(stale.r.code, 1);
  assert.deepEqual(
    stale.report.apps.find((a) => a.id === 'clean')!.findings.map((f) => f.rule),
    ['lock-stale'],
  );
  const fixed = ci(dir, ['--fix-locks']);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.deepEqual(changed(dir), [
    '.safe-render/locks/clean.lock',
    '.safe-render/locks/shared-dev.lock',
    '.safe-render/locks/shared-prod.lock',
    'apps/clean/new.yaml',
    'apps/shared/templates/new.yaml',
  ]);
  assert.match(lockText(dir, 'clean'), /^object core\/ConfigMap\/team-clean\/new$/m);
  assert.match(lockText(dir, 'shared-prod'), /^object core\/ConfigMap\/prod\/new$/m);
  for (const app of ['clean', 'shared-dev', 'shared-prod'])
    assert.ok(
      lines(fixed, 'fix-locks: ').some((l) =>
        l.startsWith(
          `safe-render: fix-locks: rewrote lock .safe-render/locks/${app}.lock for ${app} (additions only): `,
        ),
      ),
      fixed.stderr,
    );
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'new objects']);

  // A deletion (with an addition beside it) is not for --fix-locks: the lock stays, the app stays refused.
  const lockBefore = lockText(dir, 'second-ns');
  rmSync(join(dir, 'apps/second-ns/d.yaml'));
  writeFileSync(join(dir, 'apps/second-ns/e.yaml'), manifest('ConfigMap', 'e'));
  const kept = ci(dir, ['--fix-locks']);
  assert.equal(kept.code, 1, kept.stderr);
  assert.equal(lockText(dir, 'second-ns'), lockBefore);
  const keptLines = lines(kept, 'fix-locks: ');
  assert.ok(
    keptLines.includes(
      'safe-render: fix-locks: lock .safe-render/locks/second-ns.lock of second-ns not rewritten: the change takes something away (unacknowledged-deletion core/ConfigMap/team-a/d)',
    ),
    kept.stderr,
  );
  assert.ok(
    keptLines.some((l) =>
      /run `safe-render lock apps\/second-ns --app second-ns .*` from the repository root \(with --accept where it asks\)/.test(
        l,
      ),
    ),
    kept.stderr,
  );
  assert.ok(keptLines.includes('safe-render: fix-locks: 0 locks rewritten, 1 kept'), kept.stderr);
  assert.match(kept.stderr, /error\[unacknowledged-deletion\] core\/ConfigMap\/team-a\/d/);
  assert.deepEqual(changed(dir), ['apps/second-ns/d.yaml', 'apps/second-ns/e.yaml']);
});

test("--init --shard K/N writes only for the shard's own apps", () => {
  const { dir } = gitRepo(fixableFiles());
  const { r, report } = ciJson(dir, ['--init', '--shard', '1/2']);
  assert.notEqual(r.code, 2, r.stderr);
  const mine = report.apps.map((a) => a.id).sort();
  assert.ok(mine.length > 0 && mine.length < FIXABLE.length, `shard 1/2 holds ${mine.join(', ')}`);
  const locks = changed(dir)
    .filter((f) => f.startsWith('.safe-render/locks/'))
    .map((f) => f.slice('.safe-render/locks/'.length, -'.lock'.length));
  assert.deepEqual(locks, mine);
});

test('--init never writes through a symlink: a .safe-render/locks link (here to a folder of the repository) is refused for every lock', () => {
  const { dir } = gitRepo({ ...fixableFiles(), 'elsewhere/README': 'not locks\n' });
  mkdirSync(join(dir, '.safe-render'));
  symlinkSync(join(dir, 'elsewhere'), join(dir, '.safe-render/locks'));
  const r = ci(dir, ['--init']);
  // The verdict is a plain ci run's: these apps pass without a lock (no policy requires one).
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(dir, 'elsewhere')), ['README'], 'nothing written through the link');
  for (const app of FIXABLE)
    assert.match(
      r.stderr,
      new RegExp(
        `safe-render: init: no lock written for ${app} \\(\\.safe-render/locks/${app}\\.lock\\): \\.safe-render/locks is a symbolic link`,
      ),
    );
  // The configs do not go through the link: they are written.
  assert.ok(existsSync(join(dir, 'apps/cluster/safe-render.yaml')));
});

test('an app-of-apps rendering an ApplicationSet: --init locks the names it generates; --fix-locks takes a new name and keeps the lock when one goes', () => {
  const set = APPSET.replace('  name: envs\n  namespace: argocd\n', '  name: envs\n');
  const { dir } = gitRepo({
    'argocd/root.yaml': app('root', 'apps/root', 'argocd'),
    'apps/root/envs.yaml': set,
    ...Object.fromEntries(Object.entries(fixableFiles()).filter(([f]) => f.startsWith('apps/shared/'))),
  });
  const r = ci(dir, ['--init']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    lockText(dir, 'root'),
    /^object argoproj\.io\/ApplicationSet\/argocd\/envs \{.*"generates":\["argocd\/shared-dev","argocd\/shared-prod"\]/m,
  );
  assert.ok(
    lines(r, 'init: ').includes(
      'safe-render: init: wrote lock .safe-render/locks/root.lock for root: locked 1 object, 2 generated Applications',
    ),
    r.stderr,
  );
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'adopt']);

  const withQa = set.replace('      - env: prod\n', '      - env: prod\n      - env: qa\n');
  writeFileSync(join(dir, 'apps/root/envs.yaml'), withQa);
  const added = ci(dir, ['--fix-locks']);
  assert.equal(added.code, 0, added.stderr);
  assert.match(lockText(dir, 'root'), /"generates":\["argocd\/shared-dev","argocd\/shared-prod","argocd\/shared-qa"\]/);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'qa']);

  const before = lockText(dir, 'root');
  writeFileSync(join(dir, 'apps/root/envs.yaml'), withQa.replace('      - env: dev\n', ''));
  const removed = ci(dir, ['--fix-locks']);
  assert.equal(removed.code, 1, removed.stderr);
  assert.equal(lockText(dir, 'root'), before);
  assert.ok(
    lines(removed, 'fix-locks: ').includes(
      'safe-render: fix-locks: lock .safe-render/locks/root.lock of root not rewritten: the change takes something away (appset-app-removed argoproj.io/Application/argocd/shared-dev)',
    ),
    removed.stderr,
  );
});
