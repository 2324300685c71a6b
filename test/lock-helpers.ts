// Helpers for the lock tests: write a lock the way CI does (`safe-render lock` from the repository
// root) and render the way Argo CD does (`safe-render generate` in the app folder, ARGOCD_APP_* set).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, manifest, runCli, type RunResult } from './helpers';

export const REPO_URL = 'https://git.example.com/shop.git';

/** How Argo CD names and places one app. */
export interface App {
  /** Repo-relative source path (ARGOCD_APP_SOURCE_PATH). */
  path: string;
  /** ARGOCD_APP_NAME. */
  name: string;
  /** ARGOCD_APP_NAMESPACE. */
  namespace: string;
  repoURL?: string;
}

/** A freeze folder that never exists, so a freeze on the machine running the tests cannot leak in. */
const NO_FREEZE = { SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-test-freeze', SAFE_RENDER_POLICY: undefined };

/** `safe-render lock PATH --app NAME --namespace NS --repo-url URL ...extra`, cwd = repository root. */
export function lock(
  repo: string,
  app: App,
  extra: readonly string[] = [],
  env: Record<string, string | undefined> = {},
): RunResult {
  return runCli(
    [
      'lock',
      app.path,
      '--app',
      app.name,
      '--namespace',
      app.namespace,
      '--repo-url',
      app.repoURL ?? REPO_URL,
      ...extra,
    ],
    { cwd: repo, env: { ...NO_FREEZE, ...env } },
  );
}

/** `safe-render generate` as the Argo CD sidecar runs it: cwd = the app folder, a clean environment. */
export function generate(repo: string, app: App, env: Record<string, string> = {}): RunResult {
  return runCli(['generate'], {
    cwd: join(repo, env.ARGOCD_APP_SOURCE_PATH ?? app.path),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: app.name,
      ARGOCD_APP_NAMESPACE: app.namespace,
      ARGOCD_APP_SOURCE_PATH: app.path,
      ARGOCD_APP_SOURCE_REPO_URL: app.repoURL ?? REPO_URL,
      ...NO_FREEZE,
      ...env,
    },
  });
}

/** `safe-render render PATH` with the same identity, cwd = repository root. */
export function renderApp(repo: string, app: App, extra: readonly string[] = []): RunResult {
  return runCli(
    ['render', app.path, '--app', app.name, '-n', app.namespace, '--repo-url', app.repoURL ?? REPO_URL, ...extra],
    { cwd: repo, env: NO_FREEZE },
  );
}

export function lockFile(repo: string, appName: string): string {
  return join(repo, '.safe-render/locks', `${appName}.lock`);
}

export function readLock(repo: string, appName: string): string {
  const f = lockFile(repo, appName);
  assert.ok(existsSync(f), `expected ${f} to exist`);
  return readFileSync(f, 'utf8');
}

/** The `object ...` lines of a lock. */
export function lockObjects(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('object '));
}

/** Asserts a refusal by rule (exit 1, nothing on stdout) and returns that rule's error lines. */
export function assertRefused(r: RunResult, rule: string): string[] {
  assert.equal(r.code, 1, `expected a refusal by ${rule}, got exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', 'a refusal prints nothing on stdout');
  const lines = findingLines(r.stderr, rule);
  assert.ok(lines.length > 0, `expected error[${rule}] on stderr, got:\n${r.stderr}`);
  return lines;
}

/** Asserts the run succeeded with no finding at all on stderr (generate is silent when clean). */
export function assertClean(r: RunResult): void {
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /^(error|warning)\[/m, 'no finding expected');
}

/** Asserts `lock` wrote the lock (exit 0, "wrote" on stderr). */
export function assertLocked(r: RunResult): void {
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^safe-render: wrote \.safe-render\/locks\/.*\.lock: /m);
}

/** `n` ConfigMaps named `${prefix}-1..n`, one YAML stream. */
export function configMaps(n: number, prefix = 'cm'): string {
  return Array.from({ length: n }, (_, i) => manifest('ConfigMap', `${prefix}-${i + 1}`)).join('---\n');
}

/** An Argo CD Application for an app-of-apps folder. */
export function application(
  name: string,
  opts: {
    path: string;
    destNamespace?: string;
    server?: string;
    namespace?: string;
    finalizer?: boolean;
    syncPolicy?: string;
  } = { path: '.' },
): string {
  const lines = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${opts.namespace ?? 'argocd'}`,
    ...(opts.finalizer ? ['  finalizers:', '    - resources-finalizer.argocd.argoproj.io'] : []),
    'spec:',
    '  project: default',
    '  source:',
    `    repoURL: ${REPO_URL}`,
    `    path: ${opts.path}`,
    '    targetRevision: main',
    '  destination:',
    `    server: ${opts.server ?? 'https://kubernetes.default.svc'}`,
    `    namespace: ${opts.destNamespace ?? name}`,
    ...(opts.syncPolicy
      ? [
          '  syncPolicy:',
          ...opts.syncPolicy
            .trimEnd()
            .split('\n')
            .map((l) => `    ${l}`),
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** An ApplicationSet (default `shops` in argocd) for the rules about rendered AppSets. `generators`
 * is the YAML of spec.generators (default: a list generator over `regions`). */
export function applicationSet(
  opts: { name?: string; generators?: string; regions?: string[]; namespace?: string; preserve?: boolean } = {},
): string {
  const regions = (opts.regions ?? ['eu']).map((r) => `{region: ${r}}`).join(', ');
  const generators = opts.generators ?? `- list:\n    elements: [${regions}]\n`;
  const syncPolicy =
    opts.preserve === undefined ? '' : `  syncPolicy:\n    preserveResourcesOnDeletion: ${opts.preserve}\n`;
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${opts.name ?? 'shops'}
  namespace: argocd
spec:
  generators:
${generators
  .trimEnd()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
${syncPolicy}  template:
    metadata:
      name: 'shop-{{region}}'
    spec:
      project: default
      source: {repoURL: ${REPO_URL}, path: apps/shop, targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: '${opts.namespace ?? 'shop-{{region}}'}'}
`;
}
