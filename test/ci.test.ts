// `safe-render ci` end to end (issue 11, "Done when"): the bundle run as a process on a real Git
// repository with real kustomize and helm: what it finds, how it names apps, what it skips and why, its
// verdict and exit codes, the JSON report, byte parity with the sidecar harness, shards and --jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, TOOLS_BIN, requireTools, runCli, type RunResult } from './helpers';
import { APPS, REPO_URL, SKIPPED, gitRepo, repoFiles } from './ci-repo';
import { runGenerate } from './harness/cmp-server';

requireTools();

interface Report {
  repo: { url: string; revision: string };
  shard?: { index: number; count: number };
  apps: Array<{
    id: string;
    appName: string;
    verdict: string;
    skipped?: string;
    parent?: string;
    appSet?: string;
    sourcePath?: string;
    engine?: string;
    sha256?: string;
    bytes?: number;
    durationMs: number;
    objects: Array<{ ref: string; file: string; line: number }>;
    findings: Array<{ rule: string; severity: string }>;
    definedIn: { file: string; line: number };
  }>;
  notEvaluated: unknown[];
  findings: Array<{ rule: string; severity: string }>;
  exitCode: number;
  durationMs: number;
}

function ci(dir: string, flags: readonly string[] = []): RunResult {
  return runCli(['ci', ...flags], { cwd: dir, timeoutMs: 300_000 });
}

function ciJson(dir: string, flags: readonly string[] = []): { r: RunResult; report: Report } {
  const r = ci(dir, ['--report', 'json=-', ...flags]);
  assert.notEqual(r.code, 2, r.stderr);
  assert.ok(r.stdout.startsWith('{'), `no JSON report on stdout (exit ${r.code}): ${r.stderr}`);
  return { r, report: JSON.parse(r.stdout) as Report };
}

const good = gitRepo(repoFiles());
const goodRun = ciJson(good.dir, ['--jobs', '2']);

test('ci finds every app of the repository: files, app-of-apps children, list and git-directory ApplicationSets', () => {
  const { r, report } = goodRun;
  assert.equal(r.code, 0, r.stderr);
  const checked = report.apps.filter((a) => a.verdict !== 'skipped');
  assert.deepEqual(checked.map((a) => a.id).sort(), Object.keys(APPS).sort());
  for (const a of checked) {
    const want = APPS[a.id]!;
    assert.equal(a.verdict, 'passed', `${a.id}: ${JSON.stringify(a.findings)}`);
    assert.equal(a.sourcePath, want.path, a.id);
    assert.equal(a.parent, want.parent, `${a.id} parent`);
    assert.equal(a.appSet, want.appSet, `${a.id} appSet`);
    assert.match(a.sha256 ?? '', /^[0-9a-f]{64}$/, a.id);
    assert.ok((a.bytes ?? 0) > 0 && a.objects.length > 0, a.id);
  }
  const engines = Object.fromEntries(checked.map((a) => [a.id, a.engine]));
  assert.equal(engines['plain-a'], 'plain');
  assert.equal(engines['kust-prod'], 'kustomize');
  assert.equal(engines['helm-web'], 'helm');
  assert.equal(report.repo.revision, good.head);
  assert.equal(report.repo.url, 'https://github.com/acme/platform');
  assert.equal(report.exitCode, 0);
  assert.deepEqual(report.findings, []);
  // stdout holds the report only; the summary is on stderr.
  assert.match(r.stderr, /safe-render ci: 13 apps checked: 13 passed, 0 refused, 0 failed; 3 skipped/);
});

test('ci lists apps of other tools and other repositories as skipped, with the reason', () => {
  const skipped = goodRun.report.apps.filter((a) => a.verdict === 'skipped');
  assert.deepEqual(skipped.map((a) => a.id).sort(), Object.keys(SKIPPED).sort());
  for (const a of skipped) {
    assert.match(a.skipped ?? '', SKIPPED[a.id]!, a.id);
    assert.equal(a.parent, 'root', a.id);
    assert.equal(a.sha256, undefined);
  }
});

test('ci report: objects with the file and line they come from; helm template files are not read as apps', () => {
  const root = goodRun.report.apps.find((a) => a.id === 'root')!;
  assert.ok(
    root.objects.some((o) => o.ref === 'argoproj.io/Application/argocd/plain-a' && o.file === 'argocd/apps/plain.yaml'),
  );
  assert.ok(root.objects.some((o) => o.ref === 'argoproj.io/ApplicationSet/argocd/regions'));
  const a = goodRun.report.apps.find((x) => x.id === 'plain-a')!;
  assert.deepEqual(a.objects, [{ ref: 'core/ConfigMap/team-a/a', file: 'apps/plain/a/cm.yaml', line: 1 }]);
});

test('the parity promise: for every checked app, the bytes ci hashed are the bytes the sidecar harness gets from generate', async () => {
  // With the cluster's version and API versions given, as the sidecar gets them from the cluster.
  const flags = ['--kube-version', '1.29.3', '--api-versions', 'v1,batch/v1,apps/v1,v1'];
  const run = ciJson(good.dir, flags).report;
  const checked = run.apps.filter((a) => a.verdict === 'passed');
  assert.equal(checked.length, Object.keys(APPS).length);
  for (const a of checked) {
    const want = APPS[a.id]!;
    const g = await runGenerate({
      repoDir: good.dir,
      name: a.id,
      appNamespace: 'argocd',
      controlPlaneNamespace: 'argocd',
      project: 'default',
      repoURL: REPO_URL,
      path: want.path,
      revision: good.head,
      targetRevision: 'HEAD',
      destinationNamespace: want.ns,
      kubeVersion: 'v1.29.3+k3s1',
      apiVersions: ['v1', 'batch/v1', 'apps/v1'],
      plugin: { name: 'safe-render', env: want.env ?? [], ...(want.parameters ? { parameters: want.parameters } : {}) },
    });
    assert.ok(g.ok, `${a.id}: ${g.error ?? ''} ${g.stderr}`);
    // stdout exactly as the sidecar's command wrote it.
    const sha = createHash('sha256').update(g.stdout).digest('hex');
    assert.equal(sha, a.sha256, `${a.id}: ci and generate rendered different bytes`);
    assert.equal(Buffer.byteLength(g.stdout), a.bytes);
    if (a.id === 'helm-web') assert.match(g.stdout, /"kube":"v1\.29\.3","batch":"true"/);
  }
});

test('plugin env reaches the app interpolated as Argo CD does, and parameters as ARGOCD_APP_PARAMETERS', () => {
  // helm-api's values-files parameter selects values-prod.yaml: replicas 3.
  const dir = gitRepo({
    ...repoFiles(),
    'apps/plain/b/safe-render.yaml': '',
  }).dir;
  const { report } = ciJson(dir);
  const api = report.apps.find((a) => a.id === 'helm-api')!;
  assert.equal(api.verdict, 'passed');
  assert.ok(api.sha256);
});

test('the InfluxData case: one mistyped Application name in the root render fails with duplicate-object naming the parent app and both files', () => {
  const files = repoFiles();
  // kust-staging's Application renamed by mistake to kust-prod: two Applications with one name.
  files['argocd/apps/kust.yaml'] = files['argocd/apps/kust.yaml']!.replace('name: kust-staging', 'name: kust-prod');
  files['argocd/apps/kust.yaml'] = files['argocd/apps/kust.yaml']!.replace(/^---\n/m, '');
  const parts = files['argocd/apps/kust.yaml']!.split('apiVersion: argoproj.io/v1alpha1\n');
  // Move the second one to its own file, as the two usually live in two files.
  files['argocd/apps/kust.yaml'] = `apiVersion: argoproj.io/v1alpha1\n${parts[1]}`;
  files['argocd/apps/kust-staging.yaml'] = `apiVersion: argoproj.io/v1alpha1\n${parts[2]}`;
  const dir = gitRepo(files).dir;
  const { r, report } = ciJson(dir);
  assert.equal(r.code, 1, r.stderr);
  const root = report.apps.find((a) => a.id === 'root')!;
  assert.equal(root.verdict, 'refused');
  assert.ok(root.findings.some((f) => f.rule === 'duplicate-object'));
  // The summary names the app before each of its findings.
  const dup = r.stderr.split('\n').find((l) => l.startsWith('root (argocd/root.yaml:1): error[duplicate-object]'));
  assert.ok(dup, r.stderr);
  assert.match(dup, /argocd\/apps\/kust\.yaml:\d+/);
  assert.match(dup, /argocd\/apps\/kust-staging\.yaml:\d+/);
  assert.equal(report.exitCode, 1);
});

test('a refused app does not stop the others; its finding lines are on stderr under its name', () => {
  const files = repoFiles();
  // A Secret with a stringData in the clear is not what this test is about: use an invalid object.
  files['apps/plain/c/bad.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n';
  const dir = gitRepo(files).dir;
  const { r, report } = ciJson(dir);
  assert.equal(r.code, 1);
  const c = report.apps.find((a) => a.id === 'plain-c')!;
  assert.equal(c.verdict, 'refused');
  assert.equal(c.sha256, undefined);
  assert.ok(report.apps.filter((a) => a.verdict === 'passed').length >= 12);
  assert.match(r.stderr, /^plain-c \(argocd\/apps\/plain\.yaml:\d+\): error\[invalid-object\]/m);
  // --quiet: only the refused app's errors, under its name, as the sidecar prints them.
  const q = ci(dir, ['--quiet']);
  assert.equal(q.code, 1);
  assert.match(
    q.stderr,
    /^safe-render: app plain-c refused \(argocd\/apps\/plain\.yaml:\d+, rendered by root\):\nerror\[invalid-object\]/m,
  );
  assert.doesNotMatch(q.stderr, /APP +ENGINE/);
});

test('a source path that does not exist is that app failing, not ci', () => {
  const files = repoFiles();
  files['argocd/apps/plain.yaml'] = files['argocd/apps/plain.yaml']!.replace(
    'path: apps/plain/a',
    'path: apps/plain/nope',
  );
  const { r, report } = ciJson(gitRepo(files).dir);
  assert.equal(r.code, 1);
  const a = report.apps.find((x) => x.id === 'plain-a')!;
  assert.equal(a.verdict, 'failed');
  assert.equal(a.findings[0]!.rule, 'render-failed');
});

test('exit 2 when ci cannot run: not a Git repository, bad usage, an unreadable report for merge', () => {
  const plain = mkdtempSync(join(tmpdir(), 'safe-render-nogit-'));
  const r = ci(plain);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^safe-render: error: ci checks a Git repository: /m);
  assert.equal(r.stdout, '');
  for (const flags of [
    ['--jobs', '0'],
    ['--shard', '4/3'],
    ['--report', 'pdf=x'],
    ['--max-deletions', '-1'],
    ['a', 'b'],
  ]) {
    const u = ci(good.dir, flags);
    assert.equal(u.code, 2, flags.join(' '));
    assert.equal(u.stdout, '');
  }
  const bad = join(plain, 'bad.json');
  writeFileSync(bad, '{not json');
  const m = runCli(['ci', 'merge', bad], { cwd: plain });
  assert.equal(m.code, 2);
  assert.match(m.stderr, /bad\.json is not a JSON report/);
  assert.equal(runCli(['ci', 'merge', join(plain, 'missing.json')], { cwd: plain }).code, 2);
});

test('no origin remote and no --repo-url is a usage error; --repo-url names the repository instead', () => {
  const files = repoFiles();
  const { dir } = gitRepo(files, 'https://example.com/mirror.git');
  const r = ciJson(dir).report;
  // Against the mirror's URL, every app is of another repository.
  assert.equal(r.apps.filter((a) => a.verdict !== 'skipped').length, 0);
  const r2 = ciJson(dir, ['--repo-url', 'HTTPS://GitHub.com/acme/platform']).report;
  assert.equal(r2.apps.filter((a) => a.verdict === 'passed').length, 13);
  const none = gitRepo(repoFiles(), '').dir;
  const u = ci(none);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /no `origin` remote: give its URL as the Applications name it with --repo-url URL/);
  assert.equal(ciJson(none, ['--repo-url', REPO_URL]).r.code, 0);
});

test('--repo-url with --revision runs without git (the sidecar image has none) and gives the same report', () => {
  // Only the unpacked tools on PATH: a git call would fail with ENOENT and exit 2.
  const r = runCli(['ci', '--report', 'json=-', '--jobs', '2', '--repo-url', REPO_URL, '--revision', good.head], {
    cwd: good.dir,
    env: { PATH: TOOLS_BIN },
    timeoutMs: 300_000,
  });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.repo.revision, good.head);
  const shape = (x: Report) => x.apps.map((a) => `${a.id} ${a.verdict} ${a.sha256 ?? ''}`);
  assert.deepEqual(shape(report), shape(goodRun.report));
  const bad = ci(good.dir, ['--repo-url', REPO_URL, '--revision', 'main']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--revision takes the full commit SHA/);
  assert.equal(bad.stdout, '');
});

test('--runbook-url puts absolute runbook links in the SARIF rules; a relative one is a usage error before anything runs', () => {
  const r = ci(good.dir, [
    '--report',
    'sarif=-',
    '--runbook-url',
    'https://git.example.com/platform/safe-render/blob/v0.1.0',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rules = (
    JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string }> } } }> }
  ).runs[0]!.tool.driver.rules;
  assert.equal(
    rules.find((x) => x.id === 'duplicate-object')?.helpUri,
    'https://git.example.com/platform/safe-render/blob/v0.1.0/docs/rules/duplicate-object.md',
  );
  const bad = ci(good.dir, ['--report', 'sarif=-', '--runbook-url', 'docs/']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--runbook-url takes an absolute http\(s\) URL/);
  assert.equal(bad.stdout, '');
});

test('--shard 1/3, 2/3, 3/3 partition the apps, and ci merge gives the unsharded verdict and findings', () => {
  const dir = good.dir;
  const out = mkdtempSync(join(tmpdir(), 'safe-render-shards-'));
  const ids: string[] = [];
  const files: string[] = [];
  for (const k of [1, 2, 3]) {
    const file = join(out, `shard-${k}.json`);
    const r = ci(dir, ['--shard', `${k}/3`, '--report', `json=${file}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
    assert.deepEqual(rep.shard, { index: k, count: 3 });
    ids.push(...rep.apps.map((a) => `${a.id}#${a.verdict}#${a.sha256 ?? ''}`));
    files.push(file);
  }
  const whole = goodRun.report.apps.map((a) => `${a.id}#${a.verdict}#${a.sha256 ?? ''}`);
  assert.deepEqual(ids.sort(), [...whole].sort());
  const m = runCli(['ci', 'merge', ...files, '--report', 'json=-'], { cwd: out });
  assert.equal(m.code, 0, m.stderr);
  const merged = JSON.parse(m.stdout) as Report;
  assert.deepEqual(
    merged.apps.map((a) => `${a.id}#${a.verdict}#${a.sha256 ?? ''}`),
    goodRun.report.apps.map((a) => `${a.id}#${a.verdict}#${a.sha256 ?? ''}`),
  );
  assert.deepEqual(merged.findings, goodRun.report.findings);
  // A merge missing a shard cannot pass.
  assert.equal(runCli(['ci', 'merge', files[0]!, files[1]!], { cwd: out }).code, 2);
});

test('--jobs 1 gives the same report as --jobs 2, times aside', () => {
  const strip = (r: Report) =>
    JSON.stringify({ ...r, durationMs: 0, apps: r.apps.map((a) => ({ ...a, durationMs: 0 })) });
  const one = ciJson(good.dir, ['--jobs', '1']).report;
  assert.equal(strip(one), strip(goodRun.report));
});

test('off a terminal, stderr holds only the summary; --quiet drops it; --verbose adds each app and tool', () => {
  const plain = ci(good.dir);
  assert.equal(plain.code, 0);
  assert.equal(plain.stdout, '');
  assert.doesNotMatch(plain.stderr, /apps done/);
  assert.match(plain.stderr, /13 apps checked/);
  const quiet = ci(good.dir, ['--quiet']);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, '');
  const verbose = ci(good.dir, ['--verbose', '--jobs', '1']);
  assert.match(verbose.stderr, /^safe-render: app helm-web: passed \(engine: helm, 1 object\) in \d+ ms$/m);
  assert.match(verbose.stderr, /^safe-render: ran helm template /m);
  assert.match(verbose.stderr, /^safe-render: skipped external: another repository/m);
});

test('ci --help and ci merge --help', () => {
  const h = runCli(['ci', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /usage: safe-render ci \[REPO\]/);
  assert.match(h.stdout, /--shard K\/N/);
  const m = runCli(['ci', 'merge', '--help']);
  assert.equal(m.code, 0);
  assert.match(m.stdout, /usage: safe-render ci merge REPORT\.json/);
});

test('in ci a freeze is a warning (it stops deploys, not reviews) and a stale lock is an error', () => {
  const { dir } = gitRepo({ ...repoFiles(), '.safe-render/FREEZE': 'reason: incident 42\nby: ops\n' });
  const frozen = ciJson(dir).report;
  assert.equal(frozen.exitCode, 0);
  const a = frozen.apps.find((x) => x.id === 'plain-a')!;
  assert.deepEqual(
    a.findings.map((f) => `${f.severity}[${f.rule}]`),
    ['warning[deploy-freeze]'],
  );

  const repo = gitRepo(repoFiles()).dir;
  const lock = runCli(['lock', 'apps/plain/a', '--app', 'plain-a', '-n', 'team-a', '--repo-url', REPO_URL], {
    cwd: repo,
  });
  assert.equal(lock.code, 0, lock.stderr);
  assert.equal(ciJson(repo).r.code, 0);
  writeFileSync(join(repo, 'apps/plain/a/more.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n');
  const { r, report } = ciJson(repo);
  assert.equal(r.code, 1);
  const stale = report.apps.find((x) => x.id === 'plain-a')!;
  assert.equal(stale.verdict, 'refused');
  assert.deepEqual(
    stale.findings.map((f) => `${f.severity}[${f.rule}]`),
    ['error[lock-stale]'],
  );
});

test('cross-app checks: two apps rendering one object collide; a lock in the index that no app generates is reported', () => {
  const files = repoFiles();
  files['argocd/apps/twin.yaml'] = files['argocd/apps/plain.yaml']!.split('---\n')[0]!.replace(
    'name: plain-a',
    'name: plain-a-twin',
  );
  files['.safe-render/index'] = 'vanished\n';
  const out = mkdtempSync(join(tmpdir(), 'safe-render-reports-'));
  const dir = gitRepo(files).dir;
  const r = ci(dir, [
    '--report',
    `json=${join(out, 'r.json')}`,
    '--report',
    `sarif=${join(out, 'r.sarif')}`,
    '--report',
    `junit=${join(out, 'r.xml')}`,
    '--report',
    `markdown=${join(out, 'r.md')}`,
    '--report',
    'github=-',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report;
  const rules = report.findings.map((f) => f.rule).sort();
  assert.ok(rules.includes('cross-app-collision'), rules.join());
  assert.ok(rules.includes('lock-orphaned'), rules.join());
  assert.match(r.stderr, /error\[cross-app-collision\].*plain-a.*plain-a-twin/);
  // Every format written; stdout holds only the github annotations asked for with -.
  assert.match(r.stdout, /^::error /m);
  assert.equal((JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
  assert.match(readFileSync(join(out, 'r.xml'), 'utf8'), /<testsuites?[\s>]/);
  assert.match(readFileSync(join(out, 'r.md'), 'utf8'), /cross-app-collision/);
});

test('a report file is never written through a symlink', () => {
  const out = mkdtempSync(join(tmpdir(), 'safe-render-reports-'));
  symlinkSync('/tmp/elsewhere.json', join(out, 'r.json'));
  const r = ci(good.dir, ['--report', `json=${join(out, 'r.json')}`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /symbolic link/);
});

test('on a terminal, a progress line shows apps done, left, failures and the slowest app', () => {
  // `script` gives the process a terminal; stderr and stdout then share it.
  const r = spawnSync('script', ['-qec', `${process.execPath} ${BUNDLE} ci --jobs 2`, '/dev/null'], {
    cwd: good.dir,
    env: { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\r\x1b\[Ksafe-render ci: 13 apps done, 0 left, 0 failures, slowest \S+ \d+\.\ds/);
  assert.match(r.stdout, /13 apps checked/);
});

test('shards and ci merge of a refused repository: the same verdict and findings as one run, cross-app collisions included', () => {
  const files = repoFiles();
  files['argocd/apps/twin.yaml'] = files['argocd/apps/plain.yaml']!.split('---\n')[0]!.replace(
    'name: plain-a',
    'name: plain-a-twin',
  );
  files['apps/plain/c/bad.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n';
  const dir = gitRepo(files).dir;
  const whole = ciJson(dir);
  assert.equal(whole.r.code, 1);
  const out = mkdtempSync(join(tmpdir(), 'safe-render-shards-'));
  const shards = [1, 2, 3].map((k) => {
    const file = join(out, `s${k}.json`);
    assert.notEqual(ci(dir, ['--shard', `${k}/3`, '--report', `json=${file}`]).code, 2);
    return file;
  });
  const m = runCli(['ci', 'merge', ...shards, '--report', 'json=-'], { cwd: out });
  assert.equal(m.code, 1, m.stderr);
  const merged = JSON.parse(m.stdout) as Report;
  assert.ok(merged.findings.some((f) => f.rule === 'cross-app-collision'));
  assert.deepEqual(merged.findings, whole.report.findings);
  const verdicts = (r: Report) => r.apps.map((a) => `${a.id}#${a.verdict}#${a.findings.map((f) => f.rule).join()}`);
  assert.deepEqual(verdicts(merged), verdicts(whole.report));
});

test('an app-of-apps that renders its own Application (it manages itself) runs once and is not its own parent', () => {
  const files = repoFiles();
  files['argocd/apps/root.yaml'] = files['argocd/root.yaml']!;
  delete files['argocd/root.yaml'];
  const { r, report } = ciJson(gitRepo(files).dir);
  assert.equal(r.code, 0, r.stderr);
  const roots = report.apps.filter((a) => a.id === 'root');
  assert.equal(roots.length, 1);
  assert.equal(roots[0]!.parent, undefined);
  assert.equal(report.apps.filter((a) => a.verdict === 'passed').length, 13);
});

test('a goTemplate ApplicationSet is checked like the others; a generator that needs a cluster is reported as not evaluated, by name', () => {
  const files = repoFiles();
  files['argocd/apps/go.yaml'] = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: go-set
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  # The clusters generator cannot be checked offline: appset-may-shrink asks for this.
  syncPolicy:
    preserveResourcesOnDeletion: true
  generators:
  - list:
      elements:
      - team: Payments
  - clusters: {}
  template:
    metadata:
      name: 'go-{{ .team | lower }}'
    spec:
      project: default
      destination:
        namespace: '{{ .team | lower }}'
      source:
        repoURL: ${REPO_URL}
        targetRevision: HEAD
        path: apps/plain/a
        plugin:
          name: safe-render
`;
  const { r, report } = ciJson(gitRepo(files).dir);
  assert.equal(r.code, 0, r.stderr);
  const go = report.apps.find((a) => a.id === 'go-payments');
  assert.ok(go, report.apps.map((a) => a.id).join());
  assert.equal(go.verdict, 'passed');
  assert.equal(go.appSet, 'argocd/go-set');
  assert.equal(go.parent, 'root');
  assert.deepEqual(
    go.objects.map((o) => o.ref),
    ['core/ConfigMap/payments/a'],
  );
  const ne = report.notEvaluated as Array<{ appSet: string; generator: string }>;
  assert.deepEqual(
    ne.map((n) => `${n.appSet} ${n.generator}`),
    ['argocd/go-set clusters'],
  );
});

test('an .argocd-source file Argo CD merges into an app refuses it in ci, as in the sidecar; one for another app warns', () => {
  const files = repoFiles();
  files['apps/plain/a/.argocd-source-plain-a.yaml'] = 'plugin:\n  env: []\n';
  files['apps/plain/b/.argocd-source-someone-else.yaml'] = 'plugin:\n  env: []\n';
  const { r, report } = ciJson(gitRepo(files).dir);
  assert.equal(r.code, 1);
  const a = report.apps.find((x) => x.id === 'plain-a')!;
  const b = report.apps.find((x) => x.id === 'plain-b')!;
  assert.deepEqual(
    a.findings.map((f) => `${f.severity}[${f.rule}]`),
    ['error[source-override]'],
  );
  assert.equal(a.verdict, 'refused');
  assert.deepEqual(
    b.findings.map((f) => `${f.severity}[${f.rule}]`),
    ['warning[source-override]'],
  );
  assert.equal(b.verdict, 'passed');
});
