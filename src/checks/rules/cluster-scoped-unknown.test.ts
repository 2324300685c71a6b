// Issue 8 §9: a platform policy can make an unknown scope an error instead of a warning, since a
// warning is invisible in Argo CD and an unknown kind is checked as namespaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, runCli, type RunResult } from '../../../test/helpers';

const widget = manifest('Widget', 'w', { apiVersion: 'example.com/v1', body: 'spec: {}' });
const gadget = manifest('Gadget', 'g', { apiVersion: 'example.org/v1alpha1', body: 'spec: {}' });

function generate(files: Record<string, string>, env: Record<string, string> = {}): RunResult {
  const repo = makeRepo(files);
  return runCli(['generate'], {
    cwd: join(repo, 'app'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'a',
      ARGOCD_APP_NAMESPACE: 'team-a',
      ARGOCD_APP_PROJECT_NAME: 'team-a',
      ARGOCD_APP_SOURCE_PATH: 'app',
      SAFE_RENDER_POLICY: join(repo, 'policy.yaml'),
      ...env,
    },
  });
}

const STRICT = 'default:\n  namespaces: ["team-a"]\n  unknownScopes: error\n';

test('unknownScopes: error refuses every kind of unknown scope, naming the policy and the ways out', () => {
  const r = generate({
    'policy.yaml': STRICT,
    'app/a.yaml': `${widget}---\n${gadget}---\n${manifest('Widget', 'w2', { apiVersion: 'example.com/v2' })}`,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = findingLines(r.stderr, 'cluster-scoped');
  assert.equal(lines.length, 2, r.stderr);
  assert.ok(
    lines[0]!.startsWith(
      'error[cluster-scoped] example.com/Widget (app/a.yaml:1, app/a.yaml:13): scope of kind example.com/Widget is unknown',
    ),
    lines[0],
  );
  assert.match(
    lines[0]!,
    /the platform policy .*policy\.yaml \(default\) makes an unknown scope an error \(unknownScopes: error\)/,
  );
  assert.match(
    lines[0]!,
    /Fix: declare it in safe-render\.yaml: `scopes: \{"example\.com\/Widget": Namespaced\}` \(or Cluster\), or ask the platform team to declare it in scopes of .*policy\.yaml/,
  );
  assert.ok(lines[1]!.startsWith('error[cluster-scoped] example.org/Gadget (app/a.yaml:7): '), lines[1]);
  assert.deepEqual(findingLines(r.stderr, 'cluster-scoped', 'warning'), []);
});

test("unknownScopes: error passes once the scope is known from a CRD, the app's scopes or the policy's", () => {
  const crd = manifest('CustomResourceDefinition', 'widgets.example.com', {
    body: 'spec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n  versions: [{name: v1, served: true, storage: true}]',
  });
  const cases: Record<string, string>[] = [
    {
      'policy.yaml': `${STRICT}  clusterScoped: [CustomResourceDefinition]\n`,
      'app/crd.yaml': crd,
      'app/safe-render.yaml': 'clusterScoped: [CustomResourceDefinition]\n',
    },
    { 'policy.yaml': STRICT, 'app/safe-render.yaml': 'scopes: {"example.com/Widget": Namespaced}\n' },
    { 'policy.yaml': `scopes: {"example.com/Widget": Namespaced}\n${STRICT}` },
  ];
  for (const files of cases) {
    const r = generate({ ...files, 'app/w.yaml': widget });
    assert.equal(r.code, 0, `${Object.keys(files).join(', ')}: ${r.stderr}`);
    assert.equal(r.stderr.includes('[cluster-scoped]'), false, r.stderr);
    assert.ok(parseJsonStream(r.stdout).some((o) => o.kind === 'Widget'));
  }
});

test('unknownScopes: the default, and an explicit warning, keep an unknown scope a warning', () => {
  for (const policy of [
    'default:\n  namespaces: ["team-a"]\n',
    'default:\n  namespaces: ["team-a"]\n  unknownScopes: warning\n',
  ]) {
    const r = generate({ 'policy.yaml': policy, 'app/w.yaml': widget });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(findingLines(r.stderr, 'cluster-scoped', 'warning').length, 1, r.stderr);
  }
});

test('unknownScopes: set per policy entry, like every other limit', () => {
  const policy =
    'default:\n  unknownScopes: warning\napps:\n  - match: {projects: [team-a]}\n    unknownScopes: error\n';
  assert.equal(generate({ 'policy.yaml': policy, 'app/w.yaml': widget }).code, 1);
  const other = generate({ 'policy.yaml': policy, 'app/w.yaml': widget }, { ARGOCD_APP_PROJECT_NAME: 'team-b' });
  assert.equal(other.code, 0, other.stderr);
});

test('unknownScopes: a value other than warning or error makes the policy unreadable (exit 2)', () => {
  for (const v of ['Error', 'true', 'refuse']) {
    const r = generate({ 'policy.yaml': `default:\n  unknownScopes: ${v}\n`, 'app/w.yaml': widget });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /policy\.yaml:2: default\.unknownScopes must be (one of warning, error|a string)/);
  }
});

test('unknownScopes: error also holds for render on a laptop with --policy', () => {
  const repo = makeRepo({ 'policy.yaml': STRICT, 'app/w.yaml': widget });
  const r = runCli(['render', 'app', '-n', 'team-a', '--policy', 'policy.yaml'], { cwd: repo });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(findingLines(r.stderr, 'cluster-scoped').length, 1, r.stderr);
});
