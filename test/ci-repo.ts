// The test repository of issue 11's "Done when", built as a real Git repository (git init, a commit,
// an `origin` remote): an app-of-apps root, an ApplicationSet with a list and one with a git-directories
// generator, plugin apps of every engine (plain, kustomize, helm), two apps of other tools and one of
// another repository. `APPS` is what `ci` must find, so tests read as the table they check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from './helpers';

export const REPO_URL = 'https://github.com/acme/platform.git';

const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  app: ${name}\n${extra}`;

/** A plugin Application of this repository in `argocd` (`plugin` and `extra` replace or extend its
 * source's tool section). */
export const app = (
  name: string,
  path: string,
  ns: string,
  plugin = '  plugin:\n      name: safe-render\n',
  extra = '',
) =>
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
    repoURL: ${REPO_URL}
    targetRevision: HEAD
    path: ${path}
  ${plugin}${extra}`.trimEnd() + '\n';

const CHART = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

/** Expected checked apps: id -> source path, destination namespace, parent, ApplicationSet, plugin env. */
export interface ExpectedApp {
  path: string;
  ns: string;
  parent?: string;
  appSet?: string;
  env?: Array<{ name: string; value: string }>;
  parameters?: Array<{ name: string; string?: string; array?: string[] }>;
}

export const APPS: Record<string, ExpectedApp> = {
  root: { path: 'argocd/apps', ns: 'argocd' },
  'plain-a': { path: 'apps/plain/a', ns: 'team-a', parent: 'root' },
  'plain-b': {
    path: 'apps/plain/b',
    ns: 'team-b',
    parent: 'root',
    env: [{ name: 'WHO', value: '$ARGOCD_APP_NAME-${ARGOCD_APP_REVISION_SHORT}' }],
  },
  'plain-c': { path: 'apps/plain/c', ns: 'team-c', parent: 'root' },
  'kust-prod': { path: 'apps/kust/overlays/prod', ns: 'kust-prod', parent: 'root' },
  'kust-staging': { path: 'apps/kust/overlays/staging', ns: 'kust-staging', parent: 'root' },
  'helm-web': { path: 'apps/helm/web', ns: 'web', parent: 'root' },
  'helm-api': {
    path: 'apps/helm/api',
    ns: 'api',
    parent: 'root',
    parameters: [{ name: 'values-files', array: ['values-prod.yaml'] }],
  },
  'list-east': { path: 'apps/list/east', ns: 'east', parent: 'root', appSet: 'argocd/regions' },
  'list-west': { path: 'apps/list/west', ns: 'west', parent: 'root', appSet: 'argocd/regions' },
  'svc-billing': { path: 'services/billing', ns: 'billing', parent: 'root', appSet: 'argocd/services' },
  'svc-orders': { path: 'services/orders', ns: 'orders', parent: 'root', appSet: 'argocd/services' },
  'svc-users': { path: 'services/users', ns: 'users', parent: 'root', appSet: 'argocd/services' },
};

export const SKIPPED: Record<string, RegExp> = {
  'infra-helm': /^another tool: helm$/,
  'docs-dir': /^another tool: directory$/,
  external: /^another repository \(https:\/\/github\.com\/other\/charts\)$/,
};

const pluginOf = (a: ExpectedApp) => {
  let s = '  plugin:\n      name: safe-render\n';
  if (a.env) s += `      env:\n${a.env.map((e) => `      - name: ${e.name}\n        value: '${e.value}'\n`).join('')}`;
  if (a.parameters)
    s += `      parameters:\n${a.parameters.map((p) => `      - name: ${p.name}\n        array: [${(p.array ?? []).join(', ')}]\n`).join('')}`;
  return s;
};

export function repoFiles(): Record<string, string> {
  const files: Record<string, string> = {
    // The root, found in a file; its render (argocd/apps) holds every other Application.
    'argocd/root.yaml': app('root', APPS.root!.path, 'argocd'),
    'argocd/apps/plain.yaml': ['plain-a', 'plain-b', 'plain-c']
      .map((n) => app(n, APPS[n]!.path, APPS[n]!.ns, pluginOf(APPS[n]!)))
      .join('---\n'),
    'argocd/apps/kust.yaml': ['kust-prod', 'kust-staging'].map((n) => app(n, APPS[n]!.path, APPS[n]!.ns)).join('---\n'),
    'argocd/apps/helm.yaml': ['helm-web', 'helm-api']
      .map((n) => app(n, APPS[n]!.path, APPS[n]!.ns, pluginOf(APPS[n]!)))
      .join('---\n'),
    'argocd/apps/regions.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: regions
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - region: east
      - region: west
  template:
    metadata:
      name: 'list-{{region}}'
    spec:
      project: default
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{region}}'
      source:
        repoURL: ${REPO_URL}
        targetRevision: HEAD
        path: 'apps/list/{{region}}'
        plugin:
          name: safe-render
`,
    'argocd/apps/services.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
  namespace: argocd
spec:
  generators:
  - git:
      repoURL: ${REPO_URL}
      revision: HEAD
      directories:
      - path: services/*
  template:
    metadata:
      name: 'svc-{{path.basename}}'
    spec:
      project: default
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
      source:
        repoURL: ${REPO_URL}
        targetRevision: HEAD
        path: '{{path}}'
        plugin:
          name: safe-render
`,
    // Two apps of other tools and one of another repository: listed as skipped.
    'argocd/apps/others.yaml': [
      app('infra-helm', 'infra/chart', 'infra', '  helm:\n      releaseName: infra\n'),
      app('docs-dir', 'docs/site', 'docs', ''),
      app('external', 'charts/x', 'ext', '').replace(REPO_URL, 'https://github.com/other/charts'),
    ].join('---\n'),
    'apps/plain/a/cm.yaml': cm('a'),
    'apps/plain/b/cm.yaml': cm('b'),
    'apps/plain/c/cm.yaml': cm('c'),
    'apps/kust/base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'apps/kust/base/cm.yaml': cm('kust'),
    'apps/kust/overlays/prod/kustomization.yaml': 'resources: [../../base]\nnameSuffix: -prod\n',
    'apps/kust/overlays/staging/kustomization.yaml': 'resources: [../../base]\nnameSuffix: -staging\n',
    'apps/helm/web/Chart.yaml': CHART('web'),
    'apps/helm/web/templates/cm.yaml': cm(
      '{{ .Release.Name }}-web',
      '  kube: "{{ .Capabilities.KubeVersion.Version }}"\n  batch: "{{ .Capabilities.APIVersions.Has "batch/v1" }}"\n',
    ),
    'apps/helm/api/Chart.yaml': CHART('api'),
    'apps/helm/api/values.yaml': 'replicas: 1\n',
    'apps/helm/api/values-prod.yaml': 'replicas: 3\n',
    'apps/helm/api/templates/cm.yaml': cm('{{ .Release.Name }}-api', '  replicas: "{{ .Values.replicas }}"\n'),
    'apps/list/east/cm.yaml': cm('east'),
    'apps/list/west/cm.yaml': cm('west'),
    'services/billing/cm.yaml': cm('billing'),
    'services/orders/cm.yaml': cm('orders'),
    'services/users/cm.yaml': cm('users'),
    'infra/chart/Chart.yaml': CHART('infra'),
    'infra/chart/templates/cm.yaml': cm('infra'),
    'docs/site/cm.yaml': cm('docs'),
    // Files discovery must skip without a word: not YAML, not Argo CD objects.
    'README.md': '# platform\n',
    'broken.yaml': 'a: [unclosed\n  argoproj.io\n',
    'package.json': '{"name": "x"}\n',
  };
  return files;
}

const tempDirs = new Set<string>();

function git(dir: string, args: readonly string[]): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && v !== undefined) env[k] = v;
  const r = spawnSync('git', ['-c', 'user.email=ci@test', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    env: { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A real Git repository holding `files`, committed, with `origin` set to `url` (none when ""). */
export function gitRepo(files: Record<string, string>, url = REPO_URL): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-ci-'));
  if (tempDirs.size === 0)
    process.on('exit', () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tempDirs.add(dir);
  writeFiles(dir, files);
  git(dir, ['init', '-q', '-b', 'main']);
  if (url !== '') git(dir, ['remote', 'add', 'origin', url]);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'test repository']);
  return { dir, head: git(dir, ['rev-parse', 'HEAD']) };
}
