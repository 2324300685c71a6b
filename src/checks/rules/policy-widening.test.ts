import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, runCli, writeFiles } from '../../../test/helpers';

const POLICY = `default:
  namespaces: ["*"]
apps:
  - match: {projects: [team-a]}
    namespaces: ["team-a-*"]
    clusterScoped: [Namespace]
    allowEmpty: false
`;

function generate(repo: string, env: Record<string, string>) {
  return runCli(['generate'], {
    cwd: join(repo, 'app'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'a',
      ARGOCD_APP_NAMESPACE: 'team-a-prod',
      ARGOCD_APP_PROJECT_NAME: 'team-a',
      ARGOCD_APP_SOURCE_PATH: 'app',
      SAFE_RENDER_POLICY: join(repo, 'policy/policy.yaml'),
      ...env,
    },
  });
}

test('an app config that widens the policy is refused, naming both files', () => {
  const repo = makeRepo({
    'policy/policy.yaml': POLICY,
    'app/a.yaml': manifest('ConfigMap', 'x'),
    'app/safe-render.yaml':
      'namespaces: [kube-system, team-a-dev]\nclusterScoped: [rbac.authorization.k8s.io/ClusterRole]\nallowEmpty: true\n',
  });
  const r = generate(repo, {});
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const lines = findingLines(r.stderr, 'policy-widening');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(
    lines[0]!,
    /safe-render\.yaml allows namespace "kube-system", beyond the platform policy .*policy\/policy\.yaml \(apps\[0\]\)/,
  );
  assert.match(lines[1]!, /allows cluster-scoped kind rbac\.authorization\.k8s\.io\/ClusterRole/);
  assert.match(lines[2]!, /declares allowEmpty: true/);
});

test('an app config that narrows the policy passes', () => {
  const repo = makeRepo({
    'policy/policy.yaml': POLICY,
    'app/a.yaml': [manifest('ConfigMap', 'x'), manifest('Namespace', 'team-a-prod')].join('---\n'),
    'app/safe-render.yaml': 'namespaces: [team-a-dev]\nclusterScoped: [Namespace]\n',
  });
  const r = generate(repo, {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 2);
});

test('the policy is a ceiling on the destination namespace too', () => {
  const repo = makeRepo({ 'policy/policy.yaml': POLICY, 'app/a.yaml': manifest('ConfigMap', 'x') });
  const r = generate(repo, { ARGOCD_APP_NAMESPACE: 'kube-system' });
  assert.equal(r.code, 1);
  assert.match(
    findingLines(r.stderr, 'namespace-escape')[0]!,
    /writes to namespace "kube-system"; .*within the platform policy's "team-a-\*"/,
  );
});

test('apps matched by no entry get the default', () => {
  const repo = makeRepo({ 'policy/policy.yaml': POLICY, 'app/a.yaml': manifest('ConfigMap', 'x') });
  const r = generate(repo, { ARGOCD_APP_PROJECT_NAME: 'other', ARGOCD_APP_NAMESPACE: 'anything' });
  assert.equal(r.code, 0, r.stderr);
});

test('a malformed policy refuses every render, naming the file and line', () => {
  const repo = makeRepo({
    'policy/policy.yaml': 'default:\n  namespaces: ["*"]\n  requireLok: true\n',
    'app/a.yaml': manifest('ConfigMap', 'x'),
  });
  const r = generate(repo, {});
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /policy\/policy\.yaml:3: unknown key "default\.requireLok" \(did you mean "default\.requireLock"\?\)/,
  );
});

test('a policy without default is refused', () => {
  const repo = makeRepo({ 'policy/policy.yaml': 'apps: []\n', 'app/a.yaml': manifest('ConfigMap', 'x') });
  const r = generate(repo, {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /"default" is required/);
});

test('a policy named by SAFE_RENDER_POLICY that does not exist refuses instead of rendering without it', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'x') });
  const r = generate(repo, { SAFE_RENDER_POLICY: join(repo, 'nowhere.yaml') });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /nowhere\.yaml does not exist .*refusing to render without it/);
});

test('render --policy applies the same policy on a laptop', () => {
  const repo = makeRepo({
    'policy/policy.yaml': POLICY,
    'app/a.yaml': manifest('ConfigMap', 'x'),
    'app/safe-render.yaml': 'namespaces: [kube-system]\n',
  });
  writeFiles(repo, {});
  const r = runCli(['render', 'app', '-n', 'team-a-prod', '--project', 'team-a', '--policy', 'policy/policy.yaml'], {
    cwd: repo,
  });
  assert.equal(r.code, 1);
  assert.equal(findingLines(r.stderr, 'policy-widening').length, 1);
});
