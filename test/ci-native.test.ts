// `safe-render ci --include-native` end to end (issue 11): apps of this repository that use Argo CD's own
// directory, kustomize or helm are skipped by default and, with the flag, rendered as safe-render renders
// the same folder, with the Application's simple tool settings mapped to plugin parameters and the others
// named. The bundle runs as a process on a real Git repository; the parity test replays each preview
// through the sidecar harness with the parameters the report carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, runCli, type RunResult } from './helpers';
import { REPO_URL, gitRepo } from './ci-repo';
import { runGenerate } from './harness/cmp-server';
import type { PluginParameter } from '../src/context/app-context';

requireTools();

const app = (name: string, path: string, ns: string, tool = '', repoURL = REPO_URL) =>
  `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: ${ns}
  source:
    repoURL: ${repoURL}
    targetRevision: HEAD
    path: ${path}
${tool}`;

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

const FILES: Record<string, string> = {
  'argocd/plugin.yaml': app('plug', 'apps/plug', 'plug', '    plugin:\n      name: safe-render\n'),
  // Argo CD picks kustomize from the kustomization file; namePrefix maps, commonLabels does not.
  'argocd/kust.yaml': app(
    'native-kust',
    'apps/kust',
    'kust',
    '    kustomize:\n      namePrefix: p-\n      commonLabels:\n        team: a\n',
  ),
  // An explicit directory source reading subfolders.
  'argocd/dir.yaml': app('native-dir', 'apps/dir', 'dir', '    directory:\n      recurse: true\n'),
  // A chart with its value files.
  'argocd/helm.yaml': app('native-helm', 'apps/chart', 'web', '    helm:\n      valueFiles: [values-prod.yaml]\n'),
  // Another repository: never rendered, with or without the flag.
  'argocd/other.yaml': app('other', 'apps/kust', 'other', '', 'https://github.com/other/repo.git'),
  'apps/plug/cm.yaml': cm('plug'),
  'apps/kust/kustomization.yaml': 'resources: [cm.yaml]\n',
  'apps/kust/cm.yaml': cm('kust'),
  'apps/dir/cm.yaml': cm('dir-top'),
  'apps/dir/sub/cm.yaml': cm('dir-sub'),
  'apps/chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'apps/chart/values.yaml': 'replicas: 1\n',
  'apps/chart/values-prod.yaml': 'replicas: 3\n',
  'apps/chart/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: "{{ .Values.replicas }}"\n',
};

interface App {
  id: string;
  verdict: string;
  skipped?: string;
  sourcePath?: string;
  engine?: string;
  sha256?: string;
  objects: Array<{ ref: string }>;
  native?: {
    tool: string;
    parameters: PluginParameter[];
    notMapped: string[];
    namespace: string;
    project: string;
    targetRevision: string;
  };
}

const repo = gitRepo(FILES);
const KUBE = ['--kube-version', '1.29.3', '--api-versions', 'v1,apps/v1'];

function ci(flags: readonly string[]): { r: RunResult; apps: Map<string, App> } {
  const r = runCli(['ci', '--report', 'json=-', '--jobs', '2', ...KUBE, ...flags], {
    cwd: repo.dir,
    timeoutMs: 120_000,
  });
  assert.notEqual(r.code, 2, r.stderr);
  const report = JSON.parse(r.stdout) as { apps: App[] };
  return { r, apps: new Map(report.apps.map((a) => [a.id, a])) };
}

const plain = ci([]);
const native = ci(['--include-native']);

test('ci without --include-native: apps of Argo CD tools are skipped with the tool named', () => {
  const { r, apps } = plain;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(apps.get('plug')?.verdict, 'passed');
  assert.equal(apps.get('native-kust')?.skipped, 'another tool: kustomize');
  assert.equal(apps.get('native-dir')?.skipped, 'another tool: directory');
  assert.equal(apps.get('native-helm')?.skipped, 'another tool: helm');
  assert.match(apps.get('other')?.skipped ?? '', /^another repository/);
  for (const a of apps.values()) assert.equal(a.native, undefined);
});

test('ci --include-native: native kustomize, directory and helm apps are checked, mapped settings applied, the others named', () => {
  const { r, apps } = native;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(apps.get('plug')?.native, undefined, 'a plugin app is not a preview');
  const kust = apps.get('native-kust')!;
  assert.equal(kust.verdict, 'passed');
  assert.equal(kust.engine, 'kustomize');
  assert.deepEqual(kust.native?.parameters, [{ name: 'name-prefix', string: 'p-' }]);
  assert.deepEqual(kust.native?.notMapped, ['kustomize.commonLabels']);
  assert.deepEqual(
    kust.objects.map((o) => o.ref),
    ['core/ConfigMap/kust/p-kust'],
  );
  const dir = apps.get('native-dir')!;
  assert.equal(dir.verdict, 'passed');
  assert.equal(dir.native?.tool, 'directory');
  assert.deepEqual(dir.native?.parameters, [{ name: 'recurse', string: 'true' }]);
  assert.deepEqual(dir.objects.map((o) => o.ref).sort(), ['core/ConfigMap/dir/dir-sub', 'core/ConfigMap/dir/dir-top']);
  const helm = apps.get('native-helm')!;
  assert.equal(helm.verdict, 'passed');
  assert.deepEqual(helm.native?.parameters, [{ name: 'values-files', array: ['values-prod.yaml'] }]);
  assert.deepEqual(helm.native && [helm.native.namespace, helm.native.project, helm.native.targetRevision], [
    'web',
    'default',
    'HEAD',
  ]);
  // Another repository stays skipped: the flag previews this repository's apps only.
  assert.equal(apps.get('other')?.verdict, 'skipped');
  assert.match(apps.get('other')?.skipped ?? '', /^another repository/);
});

test('ci --include-native: each preview is the bytes the sidecar renders for the same folder and the parameters it reports', async () => {
  for (const id of ['native-kust', 'native-dir', 'native-helm']) {
    const a = native.apps.get(id)!;
    const g = await runGenerate({
      repoDir: repo.dir,
      name: id,
      repoURL: REPO_URL,
      path: a.sourcePath,
      revision: repo.head,
      targetRevision: a.native!.targetRevision,
      project: a.native!.project,
      destinationNamespace: a.native!.namespace,
      kubeVersion: 'v1.29.3',
      apiVersions: ['v1', 'apps/v1'],
      plugin: { name: 'safe-render', parameters: a.native!.parameters },
    });
    assert.ok(g.ok, `${id}: ${g.error ?? ''} ${g.stderr}`);
    assert.equal(createHash('sha256').update(g.stdout).digest('hex'), a.sha256, `${id}: ci and generate differ`);
    if (id === 'native-helm') assert.match(g.stdout, /"replicas":"3"/);
  }
});

test('ci --include-native: an explicit directory source over a kustomize folder is named as not mapped', () => {
  const r = gitRepo({
    ...FILES,
    'argocd/kust.yaml': app('native-kust', 'apps/kust', 'kust', '    directory:\n      recurse: false\n'),
  });
  const out = runCli(['ci', '--include-native', '--report', `json=${join(r.dir, 'r.json')}`], { cwd: r.dir });
  assert.notEqual(out.code, 2, out.stderr);
  const report = JSON.parse(readFileSync(join(r.dir, 'r.json'), 'utf8')) as { apps: App[] };
  const kust = report.apps.find((a) => a.id === 'native-kust')!;
  assert.deepEqual(kust.native?.notMapped, [
    "tool (Argo CD: directory; safe-render selects kustomize from the folder's files)",
  ]);
});

test('ci --include-native reports merge back (the validator accepts native); --init with it is a usage error', () => {
  const files = ['1/2', '2/2'].map((k, i) => {
    const file = join(repo.dir, `native-${i}.json`);
    const r = runCli(['ci', '--include-native', '--shard', k, '--report', `json=${file}`], { cwd: repo.dir });
    assert.notEqual(r.code, 2, r.stderr);
    return file;
  });
  const m = runCli(['ci', 'merge', ...files, '--report', 'json=-'], { cwd: repo.dir });
  assert.equal(m.code, 0, m.stderr);
  const merged = JSON.parse(m.stdout) as { apps: App[] };
  assert.deepEqual(merged.apps.find((a) => a.id === 'native-kust')?.native, native.apps.get('native-kust')?.native);
  const bad = runCli(['ci', '--include-native', '--init'], { cwd: repo.dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--include-native .* cannot be combined with --init/);
  assert.equal(bad.stdout, '');
});
