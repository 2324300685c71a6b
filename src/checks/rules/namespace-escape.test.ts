// namespace-escape: a namespaced object may only go to the destination namespace (ARGOCD_APP_NAMESPACE,
// --namespace) or a namespace the app's `namespaces:` globs allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  findingLines,
  makeRepo,
  manifest,
  parseJsonStream,
  render,
  runCli,
  type RunResult,
} from '../../../test/helpers';

const NS = ['--namespace', 'prod'];

function refusedAsEscape(r: RunResult, object: string, where: string): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const line = findingLines(r.stderr, 'namespace-escape').find((l) =>
    l.startsWith(`error[namespace-escape] ${object} (`),
  );
  assert.ok(line, `no namespace-escape finding for ${object}:\n${r.stderr}`);
  assert.ok(line.startsWith(`error[namespace-escape] ${object} (${where}): `), line);
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/namespace-escape\.md\)$/);
  return line;
}

function namespacesOf(stdout: string): string[] {
  return parseJsonStream(stdout).map((o) => String((o.metadata as { namespace?: string }).namespace ?? ''));
}

test('namespace-escape: an object written to another namespace is refused, with the allow-list and the fix', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': `${manifest('ConfigMap', 'settings')}---\n${manifest('ConfigMap', 'coredns', { namespace: 'kube-system' })}`,
  });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAsEscape(r, 'ConfigMap kube-system/coredns', 'apps/web/a.yaml:6');
  assert.match(line, /writes to namespace "kube-system"; the app may write only "prod"/);
  assert.match(line, /`namespaces: \[kube-system\]` in safe-render\.yaml/);
  assert.equal(findingLines(r.stderr, 'namespace-escape').length, 1, r.stderr);
});

test('namespace-escape: the destination namespace written out explicitly is allowed', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('Deployment', 'web', { namespace: 'prod', body: 'spec: {}' }) });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(namespacesOf(r.stdout), ['prod']);
});

test('namespace-escape: `namespaces:` globs allow matching namespaces and nothing else', () => {
  const files = {
    'apps/web/a.yaml': [
      manifest('ConfigMap', 'a', { namespace: 'team-a' }),
      manifest('ConfigMap', 'b', { namespace: 'team-b-canary' }),
      manifest('ConfigMap', 'c', { namespace: 'shared-blue' }),
      manifest('ConfigMap', 'd'),
    ].join('---\n'),
    'apps/web/safe-render.yaml': 'namespaces: ["team-*", "shared-{blue,green}"]\n',
  };
  const ok = render(makeRepo(files), 'apps/web', NS);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(namespacesOf(ok.stdout), ['team-a', 'team-b-canary', 'shared-blue', '']);

  const repo = makeRepo({ ...files, 'apps/web/b.yaml': manifest('ConfigMap', 'e', { namespace: 'teams' }) });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAsEscape(r, 'ConfigMap teams/e', 'apps/web/b.yaml:1');
  assert.match(line, /the app may write only "prod", "team-\*", "shared-\{blue,green\}"/);
  assert.equal(findingLines(r.stderr, 'namespace-escape').length, 1, r.stderr);
});

test('namespace-escape: a negated glob is refused as config, so it cannot turn the allow-list into "everything except"', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'c', { namespace: 'payments' }),
    'apps/web/safe-render.yaml': 'namespaces:\n  - prod-*\n  - "!kube-system"\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^safe-render: error: apps\/web\/safe-render\.yaml:3: namespaces\[1\] "!kube-system" is a negated glob/m,
  );
});

test('namespace-escape: a namespaced object with no namespace and no destination namespace is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('Service', 'web') });
  const r = render(repo, 'apps/web', []);
  const line = refusedAsEscape(r, 'Service web', 'apps/web/a.yaml:1');
  assert.match(line, /namespaced object without metadata\.namespace, and the app has no destination namespace/);
  assert.match(line, /Fix: set spec\.destination\.namespace/);
});

test('namespace-escape: without a destination, explicit namespaces in the allow-list still pass', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('Service', 'web', { namespace: 'edge' }),
    'apps/web/safe-render.yaml': 'namespaces: [edge]\n',
  });
  const r = render(repo, 'apps/web', []);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(namespacesOf(r.stdout), ['edge']);
});

test('namespace-escape: an object of unknown scope is treated as namespaced and checked', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('Widget', 'w', { apiVersion: 'example.com/v1', namespace: 'other' }),
  });
  const r = render(repo, 'apps/web', NS);
  refusedAsEscape(r, 'example.com/Widget other/w', 'apps/web/a.yaml:1');
  assert.equal(findingLines(r.stderr, 'cluster-scoped', 'warning').length, 1, r.stderr);
});

test('namespace-escape: `scopes:` cannot call a Kubernetes namespaced kind Cluster to skip the check', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('Deployment', 'miner', { namespace: 'kube-system', body: 'spec: {}' }),
    'apps/web/safe-render.yaml': 'scopes: {"apps/Deployment": Cluster}\nclusterScoped: [apps/Deployment]\n',
  });
  const line = refusedAsEscape(render(repo, 'apps/web', NS), 'apps/Deployment kube-system/miner', 'apps/web/a.yaml:1');
  // The message names the source that decided the scope (issue 8 §3), not "Kubernetes or a CRD".
  assert.match(line, /\(Namespaced per Kubernetes' own API; its `scopes:` entry saying Cluster does not apply\)/);
});

test('namespace-escape: metadata.namespace on a cluster-scoped object is not an escape', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ClusterRole', 'reader', { namespace: 'kube-system', body: 'rules: []' }),
    'apps/web/safe-render.yaml': 'clusterScoped: [ClusterRole]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('namespace-escape: generate reads the destination from ARGOCD_APP_NAMESPACE', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': `${manifest('ConfigMap', 'a')}---\n${manifest('ConfigMap', 'b', { namespace: 'staging' })}`,
  });
  const run = (ns: string) =>
    runCli(['generate'], {
      cwd: join(repo, 'apps/web'),
      cleanEnv: true,
      env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: ns, ARGOCD_APP_SOURCE_PATH: 'apps/web' },
    });
  refusedAsEscape(run('prod'), 'ConfigMap staging/b', 'apps/web/a.yaml:6');
  const ok = run('staging');
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(namespacesOf(ok.stdout), ['', 'staging']);
});
