// Issue 8 §3, last sentence: hook annotations never hide an object from the checks. Whatever an
// object's argocd.argoproj.io/hook, helm.sh/hook, compare-options, sync-options or other annotations
// say, it is emitted, so Argo CD may apply it (a hook runs with the same rights as any other object),
// and every rule reads it. (Audit: no rule and no resolve step reads an annotation to skip an object;
// only foreign-tracking reads tracking-id, and the lock reads the safety annotations.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, requireTools, runCli, render, type RunResult } from './helpers';

const VARIANTS: Record<string, string>[] = [
  { 'argocd.argoproj.io/hook': 'PreSync' },
  { 'argocd.argoproj.io/hook': 'Sync' },
  {
    'argocd.argoproj.io/hook': 'PostSync',
    'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,BeforeHookCreation',
  },
  { 'argocd.argoproj.io/hook': 'SyncFail' },
  { 'argocd.argoproj.io/hook': 'Skip' },
  { 'argocd.argoproj.io/hook': 'PreDelete' },
  { 'argocd.argoproj.io/hook': 'PostDelete' },
  { 'argocd.argoproj.io/hook': '' },
  { 'argocd.argoproj.io/hook': 'presync' },
  { 'argocd.argoproj.io/hook': 'PreSync,Skip' },
  { 'argocd.argoproj.io/hook': 'NoSuchHook' },
  { 'helm.sh/hook': 'pre-install' },
  {
    'helm.sh/hook': 'post-install,post-upgrade',
    'helm.sh/hook-weight': '-5',
    'helm.sh/hook-delete-policy': 'hook-succeeded',
  },
  { 'helm.sh/hook': 'crd-install' },
  { 'helm.sh/hook': 'test' },
  { 'helm.sh/hook': 'pre-delete' },
  { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install' },
  { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' },
  { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true,IncludeMutationWebhook=true' },
  { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' },
  {
    'argocd.argoproj.io/sync-options':
      'SkipDryRunOnMissingResource=true,Replace=true,ServerSideApply=true,Validate=false',
  },
  { 'argocd.argoproj.io/sync-wave': '-100' },
  { 'argocd.argoproj.io/skip-reconcile': 'true' },
  { 'config.kubernetes.io/local-config': 'true' },
];

/** One object for each of the four rules the brief names, every one carrying `annotations`. */
function offendingObjects(annotations: Record<string, string>): string {
  return [
    manifest('ConfigMap', 'escape', { namespace: 'kube-system', annotations, body: 'data: {a: "1"}' }),
    manifest('ClusterRoleBinding', 'bind', {
      annotations,
      body: 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: web, namespace: prod}]',
    }),
    manifest('ConfigMap', 'dup', { annotations, body: 'data: {copy: "1"}' }),
    manifest('ConfigMap', 'dup', { annotations, body: 'data: {copy: "2"}' }),
    manifest('ConfigMap', 'foreign', {
      annotations: { ...annotations, 'argocd.argoproj.io/tracking-id': 'other-app:/ConfigMap:prod/foreign' },
      body: 'data: {}',
    }),
  ].join('---\n');
}

function assertAllChecked(r: RunResult, where: string): void {
  assert.equal(r.code, 1, `${where}: ${r.stderr}`);
  assert.equal(r.stdout, '', `${where}: a refusal leaves stdout empty`);
  const has = (rule: string, object: string) =>
    assert.ok(
      findingLines(r.stderr, rule).some((l) => l.startsWith(`error[${rule}] ${object} (`)),
      `${where}: no ${rule} finding for ${object}:\n${r.stderr}`,
    );
  has('namespace-escape', 'ConfigMap kube-system/escape');
  has('cluster-scoped', 'rbac.authorization.k8s.io/ClusterRoleBinding bind');
  has('duplicate-object', 'ConfigMap prod/dup');
  has('foreign-tracking', 'ConfigMap prod/foreign');
}

test('hooks: a hook or an annotated object is still checked by namespace-escape, cluster-scoped, duplicate-object and foreign-tracking', () => {
  for (const annotations of VARIANTS) {
    const repo = makeRepo({ 'apps/web/objs.yaml': offendingObjects(annotations) });
    assertAllChecked(render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web']), JSON.stringify(annotations));
  }
});

test('hooks: in the sidecar too (generate), a hook is checked like any object', () => {
  for (const annotations of [VARIANTS[0]!, VARIANTS[4]!, VARIANTS[11]!]) {
    const repo = makeRepo({ 'apps/web/objs.yaml': offendingObjects(annotations) });
    const r = runCli(['generate'], {
      cwd: join(repo, 'apps/web'),
      cleanEnv: true,
      env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: 'apps/web' },
    });
    assertAllChecked(r, `generate ${JSON.stringify(annotations)}`);
  }
});

test('hooks: hook templates of a Helm chart (helm template prints them) are checked', () => {
  requireTools();
  const hook = (extra: string) => `{{- /* a hook, rendered by helm template like any template */ -}}\n${extra}`;
  const repo = makeRepo({
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': manifest('ConfigMap', 'settings'),
    'chart/templates/pre-install.yaml': hook(
      manifest('ConfigMap', 'migrate', {
        namespace: 'kube-system',
        annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' },
      }),
    ),
    'chart/templates/tests/test.yaml': hook(
      manifest('ClusterRoleBinding', 'test-bind', {
        annotations: { 'helm.sh/hook': 'test' },
        body: 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: []',
      }),
    ),
    'chart/templates/argo-hook.yaml': hook(
      manifest('ConfigMap', 'presync', { namespace: 'other', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }),
    ),
  });
  const r = render(repo, 'chart', ['--namespace', 'prod']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(
    findingLines(r.stderr, 'namespace-escape').some((l) =>
      l.startsWith('error[namespace-escape] ConfigMap kube-system/migrate ('),
    ),
    r.stderr,
  );
  assert.ok(
    findingLines(r.stderr, 'namespace-escape').some((l) =>
      l.startsWith('error[namespace-escape] ConfigMap other/presync ('),
    ),
    r.stderr,
  );
  assert.ok(
    findingLines(r.stderr, 'cluster-scoped').some((l) =>
      l.startsWith('error[cluster-scoped] rbac.authorization.k8s.io/ClusterRoleBinding test-bind ('),
    ),
    r.stderr,
  );
});

test('hooks: a hook that breaks no rule is emitted unchanged, annotations included', () => {
  const repo = makeRepo({
    'apps/web/job.yaml': manifest('ConfigMap', 'pre', {
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      },
    }),
  });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { metadata: { annotations: Record<string, string> } });
  assert.equal(obj!.metadata.annotations['argocd.argoproj.io/hook'], 'PreSync');
});
