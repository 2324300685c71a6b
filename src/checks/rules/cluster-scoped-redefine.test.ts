// Issue 8 §3: scope that neither the render nor a config can redefine. Kubernetes' own kinds keep
// their scope whatever a CRD in the render says, a CRD for a Kubernetes group is itself refused, the
// well-known CRD table wins over a render's CRD and over `scopes:`, and `scopes:` stays under the
// platform policy. Every message names the source that decided the scope.
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

function crd(o: {
  group: string;
  kind: string;
  scope: string;
  plural?: string;
  annotations?: Record<string, string>;
}): string {
  const plural = o.plural ?? `${o.kind.toLowerCase()}s`;
  return manifest('CustomResourceDefinition', o.group ? `${plural}.${o.group}` : plural, {
    annotations: o.annotations,
    body: [
      'spec:',
      `  group: ${JSON.stringify(o.group)}`,
      `  scope: ${o.scope}`,
      `  names: {kind: ${o.kind}, plural: ${plural}}`,
      '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]',
    ].join('\n'),
  });
}

const adminBinding = manifest('ClusterRoleBinding', 'take-over', {
  body: 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: web, namespace: prod}]',
});

function refused(r: RunResult): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal leaves stdout empty');
}

function lineFor(r: RunResult, rule: string, prefix: string): string {
  const line = findingLines(r.stderr, rule).find((l) => l.startsWith(prefix));
  assert.ok(line, `no ${rule} finding starting with ${prefix}:\n${r.stderr}`);
  assert.match(line, new RegExp(`\\(runbook: docs/rules/${rule}\\.md\\)$`));
  return line;
}

test('scope: a CRD calling ClusterRoleBinding namespaced does not let a binding to cluster-admin pass', () => {
  for (const annotations of [undefined, { 'api-approved.kubernetes.io': 'unapproved, testing' }]) {
    const repo = makeRepo({
      'apps/web/crd.yaml': crd({
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRoleBinding',
        scope: 'Namespaced',
        annotations,
      }),
      'apps/web/rbac.yaml': adminBinding,
      'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
    });
    const r = render(repo, 'apps/web', NS);
    refused(r);
    const binding = lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] rbac.authorization.k8s.io/ClusterRoleBinding take-over (apps/web/rbac.yaml:1): ',
    );
    assert.match(binding, /\(Cluster per Kubernetes' own API\)/);
    const def = lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition clusterrolebindings.rbac.authorization.k8s.io (apps/web/crd.yaml:1): ',
    );
    assert.match(
      def,
      /defines rbac\.authorization\.k8s\.io\/ClusterRoleBinding Namespaced in group rbac\.authorization\.k8s\.io, which Kubernetes serves itself/,
    );
    assert.match(def, /ClusterRoleBinding stays Cluster per Kubernetes' own API/);
    if (annotations) assert.match(def, /Kubernetes serves this group's kinds itself/);
    else assert.match(def, /needs the api-approved\.kubernetes\.io annotation/);
  }
});

test('scope: a CRD for the core group cannot make a Namespace namespaced', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': crd({ group: '', kind: 'Namespace', scope: 'Namespaced' }),
    'apps/web/ns.yaml': manifest('Namespace', 'kube-system'),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.match(
    lineFor(r, 'cluster-scoped', 'error[cluster-scoped] Namespace kube-system (apps/web/ns.yaml:1): '),
    /\(Cluster per Kubernetes' own API\)/,
  );
  const def = lineFor(
    r,
    'cluster-scoped',
    'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition namespaces (apps/web/crd.yaml:1): ',
  );
  assert.match(
    def,
    /in the core group, which Kubernetes serves itself: the API server refuses it \(a CRD group must be a domain with at least one dot, and the core group is Kubernetes' own\)/,
  );
});

test('scope: a CRD calling a Deployment cluster-scoped does not let it skip namespace-escape', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': crd({ group: 'apps', kind: 'Deployment', scope: 'Cluster' }),
    'apps/web/deploy.yaml': manifest('Deployment', 'miner', { namespace: 'kube-system', body: 'spec: {}' }),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition, apps/Deployment]\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.match(
    lineFor(
      r,
      'namespace-escape',
      'error[namespace-escape] apps/Deployment kube-system/miner (apps/web/deploy.yaml:1): ',
    ),
    /\(Namespaced per Kubernetes' own API\)/,
  );
  assert.match(
    lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition deployments.apps ',
    ),
    /group apps, which Kubernetes serves itself: the API server refuses it \(a CRD group must be a domain with at least one dot\)/,
  );
});

test('scope: a CRD for a new kind in a Kubernetes group is refused, and its objects stay unknown', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': crd({
      group: 'networking.k8s.io',
      kind: 'Tunnel',
      scope: 'Namespaced',
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/1' },
    }),
    'apps/web/t.yaml': manifest('Tunnel', 't', { apiVersion: 'networking.k8s.io/v1', body: 'spec: {}' }),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.match(
    lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition tunnels.networking.k8s.io ',
    ),
    /the kind is never checked as this CRD says/,
  );
  assert.equal(
    findingLines(r.stderr, 'cluster-scoped', 'warning').length,
    1,
    'the CRD defines nothing: the kind stays unknown',
  );
});

test('scope: a CRD without a dot in its group defines nothing and says why', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': crd({ group: 'widgets', kind: 'Widget', scope: 'Namespaced' }),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.match(
    lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition widgets.widgets ',
    ),
    /which has no dot: the API server refuses the CRD/,
  );
});

test('scope: a render CRD cannot make a well-known cluster-scoped kind namespaced (or the reverse)', () => {
  const issuer = manifest('ClusterIssuer', 'letsencrypt', { apiVersion: 'cert-manager.io/v1', body: 'spec: {}' });
  const r = render(
    makeRepo({
      'apps/web/crd.yaml': crd({ group: 'cert-manager.io', kind: 'ClusterIssuer', scope: 'Namespaced' }),
      'apps/web/issuer.yaml': issuer,
      'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
    }),
    'apps/web',
    NS,
  );
  refused(r);
  assert.match(
    lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] cert-manager.io/ClusterIssuer letsencrypt (apps/web/issuer.yaml:1): ',
    ),
    /\(Cluster per safe-render's table of well-known CRDs\)/,
  );
  assert.match(
    lineFor(
      r,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition clusterissuers.cert-manager.io (apps/web/crd.yaml:1): ',
    ),
    /says cert-manager\.io\/ClusterIssuer is Namespaced, but it is Cluster per safe-render's table of well-known CRDs; .*spec\.scope of an established CRD is immutable/,
  );

  // The reverse: calling Argo CD's Application cluster-scoped would let one go to any namespace.
  const r2 = render(
    makeRepo({
      'apps/web/crd.yaml': crd({ group: 'argoproj.io', kind: 'Application', scope: 'Cluster' }),
      'apps/web/app.yaml': manifest('Application', 'evil', { namespace: 'argocd', body: 'spec: {}' }),
      'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition, argoproj.io/Application]\n',
    }),
    'apps/web',
    NS,
  );
  refused(r2);
  assert.match(
    lineFor(
      r2,
      'namespace-escape',
      'error[namespace-escape] argoproj.io/Application argocd/evil (apps/web/app.yaml:1): ',
    ),
    /\(Namespaced per safe-render's table of well-known CRDs\)/,
  );
  lineFor(
    r2,
    'cluster-scoped',
    'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition applications.argoproj.io ',
  );
});

test('scope: a CRD that agrees with the well-known table, or an approved one for a community group, passes', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': [
      crd({ group: 'cert-manager.io', kind: 'ClusterIssuer', scope: 'Cluster' }),
      crd({
        group: 'gateway.networking.k8s.io',
        kind: 'GatewayClass',
        scope: 'Cluster',
        plural: 'gatewayclasses',
        annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466' },
      }),
    ].join('---\n'),
    'apps/web/objs.yaml': [
      manifest('ClusterIssuer', 'letsencrypt', { apiVersion: 'cert-manager.io/v1', body: 'spec: {}' }),
      manifest('GatewayClass', 'internal', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        body: 'spec: {controllerName: example.com/gw}',
      }),
    ].join('---\n'),
    'apps/web/safe-render.yaml':
      'clusterScoped: [CustomResourceDefinition, cert-manager.io/ClusterIssuer, gateway.networking.k8s.io/GatewayClass]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 4);
});

test('scope: CRDs in one render that disagree on a kind are refused, and the kind is checked as Cluster', () => {
  const repo = makeRepo({
    'apps/web/crd.yaml': `${crd({ group: 'example.com', kind: 'Widget', scope: 'Namespaced' })}---\n${crd({ group: 'example.com', kind: 'Widget', scope: 'Cluster', plural: 'widgetz' })}`,
    'apps/web/w.yaml': manifest('Widget', 'w', { apiVersion: 'example.com/v1', body: 'spec: {}' }),
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.match(
    lineFor(r, 'cluster-scoped', 'error[cluster-scoped] example.com/Widget (apps/web/crd.yaml:1, apps/web/crd.yaml:'),
    /CRDs in this render disagree on the scope of example\.com\/Widget/,
  );
  assert.match(
    lineFor(r, 'cluster-scoped', 'error[cluster-scoped] example.com/Widget w '),
    /\(Cluster per the CRD at apps\/web\/crd\.yaml:\d+\)/,
  );
});

test('scope: `scopes:` cannot contradict a Kubernetes kind, even for a kind the render does not hold', () => {
  for (const [entry, kind] of [
    ['core/Namespace: Namespaced', 'Namespace'],
    ['/PersistentVolume: Namespaced', 'PersistentVolume'],
    ['apps/StatefulSet: Cluster', 'apps/StatefulSet'],
    ['extensions/Deployment: Cluster', 'apps/Deployment'],
  ]) {
    const repo = makeRepo({
      'apps/web/cm.yaml': manifest('ConfigMap', 'c'),
      'apps/web/safe-render.yaml': `scopes:\n  ${entry}\n`,
    });
    const r = render(repo, 'apps/web', NS);
    refused(r);
    assert.match(
      lineFor(r, 'cluster-scoped', `error[cluster-scoped] ${kind}: `),
      /per Kubernetes' own API; `scopes:` may only declare kinds that no other source defines/,
    );
  }
});

test('scope: `scopes:` that agrees with a known scope, or declares an unknown kind, passes', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': `${manifest('Widget', 'w', { apiVersion: 'example.com/v1', body: 'spec: {}' })}---\n${manifest('ConfigMap', 'c')}`,
    'apps/web/safe-render.yaml':
      'scopes:\n  core/ConfigMap: Namespaced\n  cert-manager.io/ClusterIssuer: Cluster\n  example.com/Widget: Namespaced\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('warning['), false, r.stderr);
});

// --- through the platform policy, in the sidecar ---------------------------------------------------

function generate(repo: string, policy: string, env: Record<string, string> = {}): RunResult {
  return runCli(['generate'], {
    cwd: join(repo, 'app'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'a',
      ARGOCD_APP_NAMESPACE: 'team-a',
      ARGOCD_APP_PROJECT_NAME: 'team-a',
      ARGOCD_APP_SOURCE_PATH: 'app',
      SAFE_RENDER_POLICY: join(repo, policy),
      ...env,
    },
  });
}

test('scope: under a policy that allows no cluster-scoped kind, `scopes:` cannot own a ClusterIssuer', () => {
  const repo = makeRepo({
    'policy.yaml': 'default:\n  namespaces: ["team-a"]\n  clusterScoped: []\n',
    'app/issuer.yaml': manifest('ClusterIssuer', 'letsencrypt', { apiVersion: 'cert-manager.io/v1', body: 'spec: {}' }),
    'app/safe-render.yaml': 'scopes: {"cert-manager.io/ClusterIssuer": Namespaced}\n',
  });
  const r = generate(repo, 'policy.yaml');
  refused(r);
  lineFor(r, 'cluster-scoped', 'error[cluster-scoped] cert-manager.io/ClusterIssuer letsencrypt (app/issuer.yaml:1): ');
});

test("scope: the policy's `scopes:` declares kinds for every app, and an app cannot contradict it", () => {
  const policy =
    'scopes:\n  example.com/Widget: Cluster\n  cert-manager.io/ClusterIssuer: Namespaced\ndefault:\n  namespaces: ["team-a"]\n  clusterScoped: []\n';
  const widget = manifest('Widget', 'w', { apiVersion: 'example.com/v1', body: 'spec: {}' });
  const contradicted = generate(
    makeRepo({
      'policy.yaml': policy,
      'app/w.yaml': widget,
      'app/safe-render.yaml': 'scopes: {"example.com/Widget": Namespaced}\n',
    }),
    'policy.yaml',
  );
  refused(contradicted);
  assert.match(
    lineFor(contradicted, 'cluster-scoped', 'error[cluster-scoped] example.com/Widget w (app/w.yaml:1): '),
    /\(Cluster per the platform policy's scopes \(.*policy\.yaml\); its `scopes:` entry saying Namespaced does not apply\)/,
  );
  lineFor(contradicted, 'cluster-scoped', 'error[cluster-scoped] example.com/Widget: ');

  // A CRD in the render cannot overrule the policy either.
  const withCrd = generate(
    makeRepo({
      'policy.yaml': policy.replace('clusterScoped: []', 'clusterScoped: [CustomResourceDefinition]'),
      'app/crd.yaml': crd({ group: 'example.com', kind: 'Widget', scope: 'Namespaced' }),
      'app/w.yaml': widget,
      'app/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
    }),
    'policy.yaml',
  );
  refused(withCrd);
  assert.match(
    lineFor(
      withCrd,
      'cluster-scoped',
      'error[cluster-scoped] apiextensions.k8s.io/CustomResourceDefinition widgets.example.com (app/crd.yaml:1): ',
    ),
    /says example\.com\/Widget is Namespaced, but it is Cluster per the platform policy's scopes .*Fix: .*or ask the platform team to correct scopes in /,
  );
  lineFor(withCrd, 'cluster-scoped', 'error[cluster-scoped] example.com/Widget w (app/w.yaml:1): ');

  // The platform team may correct the well-known table for its cluster: a ClusterIssuer it calls
  // namespaced is checked as namespaced, with no warning.
  const issuer = manifest('ClusterIssuer', 'letsencrypt', { apiVersion: 'cert-manager.io/v1', body: 'spec: {}' });
  const ok = generate(makeRepo({ 'policy.yaml': policy, 'app/issuer.yaml': issuer }), 'policy.yaml');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr.includes('warning['), false, ok.stderr);
});

test('scope: a policy whose `scopes:` contradicts Kubernetes cannot be read (exit 2)', () => {
  for (const entry of [
    'rbac.authorization.k8s.io/ClusterRoleBinding: Namespaced',
    'core/Namespace: Namespaced',
    'apps/Deployment: Cluster',
  ]) {
    const repo = makeRepo({
      'policy.yaml': `scopes:\n  ${entry}\ndefault: {}\n`,
      'app/cm.yaml': manifest('ConfigMap', 'c'),
    });
    const r = generate(repo, 'policy.yaml');
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /policy\.yaml: scopes declares .* but Kubernetes serves it (Cluster|Namespaced); remove the entry/,
    );
  }
});

test("scope: `allowAppScopes: false` puts an app's `scopes:` beyond the ceiling (policy-widening)", () => {
  const policy = 'default:\n  namespaces: ["team-a"]\n  allowAppScopes: false\n';
  const widget = manifest('Widget', 'w', { apiVersion: 'example.com/v1', body: 'spec: {}' });
  const r = generate(
    makeRepo({
      'policy.yaml': policy,
      'app/w.yaml': widget,
      'app/safe-render.yaml': 'scopes: {"example.com/Widget": Namespaced}\n',
    }),
    'policy.yaml',
  );
  refused(r);
  const [line] = findingLines(r.stderr, 'policy-widening');
  assert.match(
    line!,
    /safe-render\.yaml declares the scope of example\.com\/Widget, beyond the platform policy .*policy\.yaml \(default\)/,
  );

  const ok = generate(makeRepo({ 'policy.yaml': policy, 'app/w.yaml': widget }), 'policy.yaml');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(
    findingLines(ok.stderr, 'cluster-scoped', 'warning')[0]!,
    /ask the platform team to declare it in scopes of .*policy\.yaml \(its policy does not let apps declare scopes\)/,
  );
});

test('scope: thousands of CRD copies for one kind make one bounded finding each, in linear time', () => {
  const copies = (n: number, doc: string) => Array.from({ length: n }, () => doc).join('---\n');
  const bad = crd({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', scope: 'Namespaced' });
  const a = crd({ group: 'example.com', kind: 'Widget', scope: 'Namespaced' });
  const b = crd({ group: 'example.com', kind: 'Widget', scope: 'Cluster', plural: 'widgetz' });
  const repo = makeRepo({
    'apps/web/crd.yaml': `${copies(1000, bad)}---\n${copies(1000, a)}---\n${copies(1000, b)}`,
    'apps/web/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
  });
  const started = Date.now();
  const r = render(repo, 'apps/web', NS);
  refused(r);
  assert.ok(Date.now() - started < 60_000, 'bounded time');
  const defs = findingLines(r.stderr, 'cluster-scoped').filter((l) => l.includes('which Kubernetes serves itself'));
  assert.equal(defs.length, 1, 'identical copies are one finding');
  assert.equal(defs[0]!.match(/apps\/web\/crd\.yaml:\d+/g)!.length <= 6, true, defs[0]);
  const disagree = findingLines(r.stderr, 'cluster-scoped').find((l) => l.includes('CRDs in this render disagree'));
  assert.ok(disagree && disagree.length < 2000, disagree);
  assert.match(disagree, /and 1995 more\)/);
});
