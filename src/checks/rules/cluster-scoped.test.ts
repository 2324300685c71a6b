// cluster-scoped: objects outside any namespace are refused unless the app's `clusterScoped:` allows
// the kind. Scope comes from `scopes:` overrides, CRDs in the same render, then the built-in table;
// an unknown scope is a warning and the object is treated as namespaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, render, type RunResult } from '../../../test/helpers';

const NS = ['--namespace', 'prod'];

function refusedAsCluster(r: RunResult, object: string, where: string): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const line = findingLines(r.stderr, 'cluster-scoped').find((l) => l.startsWith(`error[cluster-scoped] ${object} (`));
  assert.ok(line, `no cluster-scoped finding for ${object}:\n${r.stderr}`);
  assert.ok(line.startsWith(`error[cluster-scoped] ${object} (${where}): `), line);
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/cluster-scoped\.md\)$/);
  return line;
}

function kindsOf(stdout: string): string[] {
  return parseJsonStream(stdout).map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
}

const clusterRole = manifest('ClusterRole', 'pod-reader', {
  body: 'rules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get]',
});

const widgetCrd = (scope: string) =>
  [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    `  scope: ${scope}`,
    '  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}',
    '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]',
    '',
  ].join('\n');

const widget = (extra: { namespace?: string } = {}) =>
  manifest('Widget', 'blue', { apiVersion: 'example.com/v1', ...extra, body: 'spec: {size: 1}' });

test('cluster-scoped: a ClusterRole is refused by default, with the clusterScoped fix', () => {
  const repo = makeRepo({ 'apps/web/rbac.yaml': clusterRole, 'apps/web/cm.yaml': manifest('ConfigMap', 'settings') });
  const line = refusedAsCluster(
    render(repo, 'apps/web', NS),
    'rbac.authorization.k8s.io/ClusterRole pod-reader',
    'apps/web/rbac.yaml:1',
  );
  assert.match(line, /cluster-scoped rbac\.authorization\.k8s\.io\/ClusterRole is not allowed for this app/);
  assert.match(line, /`clusterScoped: \[rbac\.authorization\.k8s\.io\/ClusterRole\]` in safe-render\.yaml/);
});

test('cluster-scoped: `clusterScoped:` allows the kind, by bare Kind or by group/Kind', () => {
  for (const entry of ['ClusterRole', 'rbac.authorization.k8s.io/ClusterRole']) {
    const repo = makeRepo({
      'apps/web/rbac.yaml': clusterRole,
      'apps/web/safe-render.yaml': `clusterScoped: ["${entry}"]\n`,
    });
    const r = render(repo, 'apps/web', NS);
    assert.equal(r.code, 0, `${entry}: ${r.stderr}`);
    assert.deepEqual(kindsOf(r.stdout), ['ClusterRole/pod-reader']);
  }
});

test('cluster-scoped: `clusterScoped:` with the wrong group does not allow the kind', () => {
  const repo = makeRepo({
    'apps/web/rbac.yaml': clusterRole,
    'apps/web/safe-render.yaml': 'clusterScoped: [example.com/ClusterRole, Namespace]\n',
  });
  refusedAsCluster(
    render(repo, 'apps/web', NS),
    'rbac.authorization.k8s.io/ClusterRole pod-reader',
    'apps/web/rbac.yaml:1',
  );
});

test('cluster-scoped: the Namespace object of the destination namespace is allowed implicitly', () => {
  const repo = makeRepo({
    'apps/web/ns.yaml': manifest('Namespace', 'prod'),
    'apps/web/cm.yaml': manifest('ConfigMap', 'settings'),
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), ['ConfigMap/settings', 'Namespace/prod']);
});

test('cluster-scoped: a Namespace object for another namespace is refused', () => {
  const repo = makeRepo({
    'apps/web/ns.yaml': `${manifest('Namespace', 'prod')}---\n${manifest('Namespace', 'kube-public')}`,
  });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAsCluster(r, 'Namespace kube-public', 'apps/web/ns.yaml:6');
  assert.match(line, /`namespaces: \[kube-public\]`/);
  assert.equal(findingLines(r.stderr, 'cluster-scoped').length, 1, r.stderr);
});

test('cluster-scoped: a Namespace object for a namespace named literally in `namespaces:` is allowed', () => {
  const repo = makeRepo({
    'apps/web/ns.yaml': manifest('Namespace', 'prod-canary'),
    'apps/web/safe-render.yaml': 'namespaces: ["prod-*", prod-canary]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), ['Namespace/prod-canary']);
});

test('cluster-scoped: a CRD in the render makes its custom resources cluster-scoped', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': widgetCrd('Cluster'),
    'apps/web/widget.yaml': widget({ namespace: 'prod' }),
  });
  const r = render(repo, 'apps/web', NS);
  // The namespace written on the custom resource is dropped, as the API server would.
  refusedAsCluster(r, 'example.com/Widget blue', 'apps/web/widget.yaml:1');
  refusedAsCluster(r, 'apiextensions.k8s.io/CustomResourceDefinition widgets.example.com', 'apps/web/crd.yaml:1');
  assert.deepEqual(findingLines(r.stderr, 'cluster-scoped', 'warning'), [], 'the CRD makes the scope known');
});

test('cluster-scoped: the CRD and its cluster-scoped resources pass once both kinds are allowed', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': widgetCrd('Cluster'),
    'apps/web/widget.yaml': widget(),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition, example.com/Widget]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), ['CustomResourceDefinition/widgets.example.com', 'Widget/blue']);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
});

test('cluster-scoped: a namespaced CRD in the render makes its resources namespaced, with no warning', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': widgetCrd('Namespaced'),
    'apps/web/widget.yaml': widget(),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), ['CustomResourceDefinition/widgets.example.com', 'Widget/blue']);
});

test('cluster-scoped: a kind of unknown scope is a warning (exit 0), once per kind, naming every place', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': `${widget()}---\n${manifest('Widget', 'green', { apiVersion: 'example.com/v1' })}`,
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  const warnings = findingLines(r.stderr, 'cluster-scoped', 'warning');
  assert.equal(warnings.length, 1, r.stderr);
  assert.ok(
    warnings[0]!.startsWith(
      'warning[cluster-scoped] example.com/Widget (apps/web/a.yaml:1, apps/web/a.yaml:7): scope of kind example.com/Widget is unknown',
    ),
    warnings[0],
  );
  assert.match(warnings[0]!, /`scopes: \{"example\.com\/Widget": Namespaced\}`/);
  assert.deepEqual(kindsOf(r.stdout), ['Widget/blue', 'Widget/green']);
});

test('cluster-scoped: `scopes:` declares an unknown kind cluster-scoped, so it is refused until allowed', () => {
  const files = {
    'apps/web/a.yaml': widget(),
    'apps/web/safe-render.yaml': 'scopes: {"example.com/Widget": Cluster}\n',
  };
  const r = render(makeRepo(files), 'apps/web', NS);
  refusedAsCluster(r, 'example.com/Widget blue', 'apps/web/a.yaml:1');
  assert.deepEqual(findingLines(r.stderr, 'cluster-scoped', 'warning'), []);

  const ok = render(
    makeRepo({
      ...files,
      'apps/web/safe-render.yaml': 'scopes: {"example.com/Widget": Cluster}\nclusterScoped: [example.com/Widget]\n',
    }),
    'apps/web',
    NS,
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(kindsOf(ok.stdout), ['Widget/blue']);
});

test('cluster-scoped: `scopes:` declares a kind namespaced, which silences the warning', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': widget(),
    'apps/web/safe-render.yaml': 'scopes: {"example.com/Widget": Namespaced}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), ['Widget/blue']);
});

test('cluster-scoped: a `scopes:` key without a group is a config error, not an entry that matches nothing', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': widget(), 'apps/web/safe-render.yaml': 'scopes:\n  Widget: Cluster\n' });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^safe-render: error: apps\/web\/safe-render\.yaml:2: scopes key "Widget" must be group\/Kind .*"example\.com\/Widget"/m,
  );
});

test('cluster-scoped: `scopes:` cannot call a kind Cluster that a CRD in the render declares Namespaced', () => {
  // Otherwise scopes + clusterScoped would let the custom resource write into any namespace.
  const repo = makeRepo({
    'apps/web/crd.yaml': widgetCrd('Namespaced'),
    'apps/web/widget.yaml': widget({ namespace: 'kube-system' }),
    'apps/web/safe-render.yaml':
      'clusterScoped: [CustomResourceDefinition, example.com/Widget]\nscopes: {"example.com/Widget": Cluster}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const [line] = findingLines(r.stderr, 'namespace-escape');
  assert.ok(
    line?.startsWith('error[namespace-escape] example.com/Widget kube-system/blue (apps/web/widget.yaml:1): '),
    r.stderr,
  );
  assert.match(line ?? '', /its `scopes:` entry saying Cluster does not apply/);
});

test('cluster-scoped: `scopes:` cannot call a well-known cluster-scoped CRD kind namespaced (issue 8 §3)', () => {
  // This passed before issue 8: the app's `scopes:` corrected the well-known table, so an app allowed no
  // cluster-scoped kind could own cert-manager's ClusterIssuer.
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ClusterIssuer', 'letsencrypt', { apiVersion: 'cert-manager.io/v1', body: 'spec: {}' }),
    'apps/web/safe-render.yaml': 'scopes: {"cert-manager.io/ClusterIssuer": Namespaced}\n',
  });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAsCluster(r, 'cert-manager.io/ClusterIssuer letsencrypt', 'apps/web/a.yaml:1');
  assert.match(
    line,
    /\(Cluster per safe-render's table of well-known CRDs; its `scopes:` entry saying Namespaced does not apply\)/,
  );
  const entry = findingLines(r.stderr, 'cluster-scoped').find((l) =>
    l.startsWith('error[cluster-scoped] cert-manager.io/ClusterIssuer: '),
  );
  assert.ok(entry, r.stderr);
  assert.match(
    entry,
    /`scopes:` declares cert-manager\.io\/ClusterIssuer Namespaced, but it is Cluster per safe-render's table of well-known CRDs/,
  );
  assert.match(entry, /Fix: remove the cert-manager\.io\/ClusterIssuer entry from scopes in safe-render\.yaml/);
});

test('cluster-scoped: `scopes:` cannot make a Kubernetes cluster-scoped kind namespaced to slip past the rule', () => {
  const repo = makeRepo({
    'apps/web/rbac.yaml': clusterRole,
    'apps/web/safe-render.yaml': 'scopes: {"rbac.authorization.k8s.io/ClusterRole": Namespaced}\n',
  });
  const line = refusedAsCluster(
    render(repo, 'apps/web', NS),
    'rbac.authorization.k8s.io/ClusterRole pod-reader',
    'apps/web/rbac.yaml:1',
  );
  assert.match(line, /its `scopes:` entry saying Namespaced does not apply/);
});

test('cluster-scoped: `scopes:` cannot make a kind namespaced that a CRD in the render declares cluster-scoped', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': widgetCrd('Cluster'),
    'apps/web/widget.yaml': widget(),
    'apps/web/safe-render.yaml':
      'clusterScoped: [CustomResourceDefinition]\nscopes: {"example.com/Widget": Namespaced}\n',
  });
  refusedAsCluster(render(repo, 'apps/web', NS), 'example.com/Widget blue', 'apps/web/widget.yaml:1');
});

test('cluster-scoped: namespaced kinds of well-known operators are not mistaken for cluster-scoped', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': [
      manifest('ThanosRuler', 'ruler', { apiVersion: 'monitoring.coreos.com/v1', body: 'spec: {}' }),
      manifest('IngressController', 'internal', { apiVersion: 'operator.openshift.io/v1', body: 'spec: {}' }),
      manifest('OperatorCondition', 'my-operator', { apiVersion: 'operators.coreos.com/v2', body: 'spec: {}' }),
    ].join('---\n'),
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
  assert.deepEqual(kindsOf(r.stdout), [
    'ThanosRuler/ruler',
    'IngressController/internal',
    'OperatorCondition/my-operator',
  ]);
});

test('cluster-scoped: a namespace glob does not let the app own every matching Namespace', () => {
  const repo = makeRepo({
    'app/safe-render.yaml': 'namespaces: ["team-*"]\n',
    'app/ns.yaml': manifest('Namespace', 'team-other'),
  });
  const r = render(repo, 'app', ['-n', 'team-a']);
  assert.equal(r.code, 1);
  assert.match(findingLines(r.stderr, 'cluster-scoped')[0]!, /Namespace team-other/);
});
