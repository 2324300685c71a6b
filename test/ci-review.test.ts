// Review of issue 11 (`safe-render ci`): attacks by an unreviewed pull request, each one a test that
// failed before its fix. The bundle runs as a process on a real Git repository, as in ci.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools, runCli, type RunResult } from './helpers';
import { REPO_URL, gitRepo } from './ci-repo';

requireTools();

interface Report {
  apps: Array<{ id: string; verdict: string; skipped?: string; findings: Array<{ rule: string; message?: string }> }>;
  findings: Array<{ rule: string }>;
}

function ciJson(dir: string, flags: readonly string[] = []): { r: RunResult; report: Report } {
  const r = runCli(['ci', '--report', 'json=-', ...flags], { cwd: dir, timeoutMs: 300_000 });
  assert.notEqual(r.code, 2, r.stderr);
  return { r, report: JSON.parse(r.stdout) as Report };
}

/** A plugin Application of `path`, as in the test repository. */
const app = (name: string, path: string, repoURL = REPO_URL) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: ${name}
  source:
    repoURL: ${repoURL}
    targetRevision: HEAD
    path: ${path}
    plugin:
      name: safe-render
`;

// An object the sidecar refuses (invalid-object): every app below renders it.
const REFUSED = { 'bad/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' };

test('discovery finds an Application whose apiVersion is spelled with a YAML or JSON escape', () => {
  const { r, report } = ciJson(
    gitRepo({
      ...REFUSED,
      'apps/esc.yaml': app('esc', 'bad').replace(
        'apiVersion: argoproj.io/v1alpha1',
        'apiVersion: "argoproj\\x2eio/v1alpha1"',
      ),
      'apps/esc.json': JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'esc-json', namespace: 'argocd' },
        spec: {
          project: 'default',
          destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
          source: { repoURL: REPO_URL, path: 'bad', plugin: { name: 'safe-render' } },
        },
      }).replace('argoproj.io', 'argoproj\\u002eio'),
    }).dir,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    report.apps.map((a) => [a.id, a.verdict]),
    [
      ['esc', 'refused'],
      ['esc-json', 'refused'],
    ],
  );
});

test('discovery reads an Application with a duplicate key as Argo CD does (the last wins), not skip it', () => {
  const dup = app('dup', 'good').replace('    path: good\n', '    path: good\n    path: bad\n');
  const { r, report } = ciJson(
    gitRepo({
      ...REFUSED,
      'good/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      'apps/dup.yaml': dup,
    }).dir,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    report.apps.map((a) => [a.id, a.verdict]),
    [['dup', 'refused']],
  );
});

test('an app whose repoURL is this repository in another form git fetches (trailing slash, SSH) is checked', () => {
  const { r, report } = ciJson(
    gitRepo({
      ...REFUSED,
      'apps/slash.yaml': app('slash', 'bad', 'https://github.com/acme/platform/'),
      'apps/ssh.yaml': app('ssh', 'bad', 'git@github.com:acme/platform.git'),
      'apps/other.yaml': app('other', 'bad', 'https://github.com/acme/platform-other'),
    }).dir,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    report.apps.map((a) => [a.id, a.verdict]),
    [
      ['other', 'skipped'],
      ['slash', 'refused'],
      ['ssh', 'refused'],
    ],
  );
});

test('a report is never written through a folder of the checkout that is a symlink (committed by the pull request)', () => {
  const dir = gitRepo({ 'good/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' }).dir;
  const outside = mkdtempSync(join(tmpdir(), 'safe-render-outside-'));
  symlinkSync(outside, join(dir, 'reports'));
  const r = runCli(['ci', '--report', 'json=reports/ci.json'], { cwd: dir, timeoutMs: 300_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /symbolic link/);
  assert.equal(existsSync(join(outside, 'ci.json')), false);
  // A folder that does not exist yet is created, as a real folder.
  const ok = runCli(['ci', '--report', 'json=out/ci.json'], { cwd: dir, timeoutMs: 300_000 });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(existsSync(join(dir, 'out', 'ci.json')), true);
});

test('shards: the children a chart builds without naming argoproj.io in any file are checked by their shard, and merge sees them all', () => {
  const root = app('root', 'root');
  const children = `{{- range $i := until 9 }}
---
apiVersion: {{ printf "%s.%s" "argoproj" "io" }}/v1alpha1
kind: Application
metadata: {name: child-{{ $i }}, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: c{{ $i }}}
  source: {repoURL: ${REPO_URL}, path: bad, plugin: {name: safe-render}}
{{- end }}
`;
  const dir = gitRepo({
    ...REFUSED,
    'root.yaml': root,
    'root/Chart.yaml': 'apiVersion: v2\nname: root\nversion: 0.1.0\n',
    'root/templates/apps.yaml': children,
  }).dir;
  const whole = ciJson(dir).report.apps.map((a) => a.id);
  assert.equal(whole.length, 10);
  const out = mkdtempSync(join(tmpdir(), 'safe-render-shards-'));
  const files = [1, 2, 3].map((k) => {
    const f = join(out, `s${k}.json`);
    const r = runCli(['ci', '--shard', `${k}/3`, '--report', `json=${f}`], { cwd: dir, timeoutMs: 300_000 });
    assert.notEqual(r.code, 2, r.stderr);
    return f;
  });
  const merged = runCli(['ci', 'merge', '--report', 'json=-', ...files], { cwd: dir, timeoutMs: 300_000 });
  assert.equal(merged.code, 1, merged.stderr);
  const ids = (JSON.parse(merged.stdout) as Report).apps.map((a) => a.id);
  assert.deepEqual([...ids].sort(), [...whole].sort());
  for (const f of files) assert.ok(readFileSync(f, 'utf8').startsWith('{'));
});

test('the InfluxData case in files: one Application name in two files of one folder fails, though each renders fine', () => {
  const ok = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`;
  const { r, report } = ciJson(
    gitRepo({
      'good/cm.yaml': ok('a'),
      'good2/cm.yaml': ok('b'),
      'apps/foo.yaml': app('foo', 'good'),
      'apps/bar.yaml': app('foo', 'good2'), // meant to be "bar"
    }).dir,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.ok(report.apps.every((a) => a.verdict === 'passed'));
  assert.deepEqual(
    report.findings.map((f) => f.rule),
    ['cross-app-collision'],
  );
  assert.match(r.stderr, /argoproj\.io\/Application foo \(apps\/bar\.yaml:1, apps\/foo\.yaml:1\)/);
});

test('an Application in a YAML file over the discovery limit stops ci (exit 2) instead of passing without it', () => {
  const pad = `# ${'x'.repeat(100)}\n`.repeat(45_000); // about 4.6 MB
  const big = gitRepo({
    ...REFUSED,
    'apps/big.yaml': app('big', 'bad') + pad,
    'data/other.yaml': `a: 1\n${pad}`,
  }).dir;
  const r = runCli(['ci'], { cwd: big, timeoutMs: 300_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /apps\/big\.yaml: over the 4 MiB ci reads to find Applications/);
  assert.equal(r.stdout, '');
  // A big file that names no Argo CD object is still skipped without a word.
  const plain = gitRepo({
    'good/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
    'data/other.yaml': `a: 1\n${pad}`,
  }).dir;
  assert.equal(runCli(['ci'], { cwd: plain, timeoutMs: 300_000 }).code, 0);
});
