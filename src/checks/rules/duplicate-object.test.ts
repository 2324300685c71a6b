// duplicate-object: the same live object (group with aliases folded, kind, namespace after defaulting,
// name; version ignored) defined twice. Differing copies are refused (Argo CD would keep the last one,
// InfluxData); identical copies are merged with a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, render, type RunResult } from '../../../test/helpers';

const NS = ['--namespace', 'prod'];

function refusedAsDuplicate(r: RunResult, object: string, where: readonly string[]): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const lines = findingLines(r.stderr, 'duplicate-object');
  assert.equal(lines.length, 1, r.stderr);
  const line = lines[0]!;
  assert.ok(line.startsWith(`error[duplicate-object] ${object} (${where.join(', ')}): `), line);
  assert.match(line, new RegExp(`defined ${where.length} times with different content`));
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/duplicate-object\.md\)$/);
  return line;
}

const deployment = (apiVersion: string, replicas: number, namespace?: string) =>
  manifest('Deployment', 'web', {
    apiVersion,
    ...(namespace ? { namespace } : {}),
    body: `spec:\n  replicas: ${replicas}`,
  });

test('duplicate-object: the same Deployment under extensions/v1beta1 and apps/v1 is one object, refused', () => {
  const repo = makeRepo({
    'apps/web/old.yaml': deployment('extensions/v1beta1', 1),
    'apps/web/new.yaml': deployment('apps/v1', 3),
  });
  refusedAsDuplicate(render(repo, 'apps/web', NS), 'apps/Deployment prod/web', [
    'apps/web/new.yaml:1',
    'apps/web/old.yaml:1',
  ]);
});

test('duplicate-object: two Applications with one name in one file (InfluxData) name both lines', () => {
  const app = (path: string) =>
    manifest('Application', 'prod-engine', {
      namespace: 'argocd',
      body: `spec:\n  project: default\n  source: {repoURL: https://git.example.com/apps, path: ${path}}\n  destination: {server: https://kubernetes.default.svc, namespace: engine}`,
    });
  const repo = makeRepo({
    'apps/root/apps.yaml': `${app('engines/prod')}---\n${app('engines/new')}`,
    'apps/root/safe-render.yaml': 'namespaces: [argocd]\n',
  });
  const line = refusedAsDuplicate(
    render(repo, 'apps/root', ['--namespace', 'argocd']),
    'argoproj.io/Application argocd/prod-engine',
    ['apps/root/apps.yaml:1', 'apps/root/apps.yaml:11'],
  );
  assert.match(line, /Argo CD would silently keep only the last copy/);
  // Which fields differ (issue 14), so the reader sees the copy-paste without opening both files.
  assert.match(line, /; the copies differ in spec\.source\.path: "engines\/prod" vs "engines\/new"\. Fix: /);
});

test('duplicate-object: a namespace defaulted from --namespace collides with the same namespace written out', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'settings', { body: 'data:\n  mode: blue' }),
    'apps/web/b.yaml': manifest('ConfigMap', 'settings', { namespace: 'prod', body: 'data:\n  mode: green' }),
  });
  refusedAsDuplicate(render(repo, 'apps/web', NS), 'ConfigMap prod/settings', [
    'apps/web/a.yaml:1',
    'apps/web/b.yaml:1',
  ]);
});

test('duplicate-object: a cluster-scoped object is the same whatever metadata.namespace says', () => {
  const role = (namespace: string | undefined, verb: string) =>
    manifest('ClusterRole', 'reader', {
      ...(namespace ? { namespace } : {}),
      body: `rules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [${verb}]`,
    });
  const repo = makeRepo({
    'apps/web/a.yaml': role(undefined, 'get'),
    'apps/web/b.yaml': role('other', 'list'),
    'apps/web/safe-render.yaml': 'clusterScoped: [ClusterRole]\n',
  });
  refusedAsDuplicate(render(repo, 'apps/web', NS), 'rbac.authorization.k8s.io/ClusterRole reader', [
    'apps/web/a.yaml:1',
    'apps/web/b.yaml:1',
  ]);
});

test('duplicate-object: identical copies are merged with a warning and emitted once', () => {
  const cm = manifest('ConfigMap', 'settings', { body: 'data:\n  mode: blue' });
  const repo = makeRepo({
    'apps/web/a.yaml': `${cm}---\n${manifest('Service', 'web')}`,
    'apps/web/b.yaml': cm,
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'duplicate-object'), []);
  const warnings = findingLines(r.stderr, 'duplicate-object', 'warning');
  assert.equal(warnings.length, 1, r.stderr);
  assert.ok(
    warnings[0]!.startsWith(
      'warning[duplicate-object] ConfigMap prod/settings (apps/web/a.yaml:1, apps/web/b.yaml:1): defined 2 times with identical content; emitted once',
    ),
    warnings[0],
  );
  const objs = parseJsonStream(r.stdout);
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`),
    ['ConfigMap/settings', 'Service/web'],
  );
});

test('duplicate-object: identical copies that differ only in key order are still identical', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: "1", b: "2"}\n',
    'apps/web/b.yaml': 'kind: ConfigMap\ndata: {b: "2", a: "1"}\nmetadata: {name: s}\napiVersion: v1\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(findingLines(r.stderr, 'duplicate-object', 'warning').length, 1, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('duplicate-object: the same name in different namespaces is two objects', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'settings', { body: 'data:\n  mode: blue' }),
    'apps/web/b.yaml': manifest('ConfigMap', 'settings', { namespace: 'prod-canary', body: 'data:\n  mode: green' }),
    'apps/web/safe-render.yaml': 'namespaces: [prod-canary]\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'duplicate-object'), []);
  assert.deepEqual(findingLines(r.stderr, 'duplicate-object', 'warning'), []);
  assert.equal(parseJsonStream(r.stdout).length, 2);
});

test('duplicate-object: the same name under different kinds or groups is not a duplicate', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': [
      manifest('ConfigMap', 'web'),
      manifest('Service', 'web'),
      manifest('Deployment', 'web'),
      manifest('Deployment', 'web', { apiVersion: 'example.com/v1', body: 'spec: {}' }),
    ].join('---\n'),
    'apps/web/safe-render.yaml': 'scopes: {"example.com/Deployment": Namespaced}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('duplicate-object'), false, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 4);
});

test('duplicate-object: objects with the same generateName are distinct and all emitted', () => {
  const job = (image: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: ${image}}]}}}\n`;
  const repo = makeRepo({ 'apps/web/a.yaml': `${job('a')}---\n${job('b')}---\n${job('b')}` });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('duplicate-object'), false, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 3);
});

test('duplicate-object: a real name ending in "*" is still checked (it is not a generateName)', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('Widget', 'all*', { apiVersion: 'example.com/v1', body: 'spec: {size: 1}' }),
    'apps/web/b.yaml': manifest('Widget', 'all*', { apiVersion: 'example.com/v1', body: 'spec: {size: 2}' }),
    'apps/web/safe-render.yaml': 'scopes: {"example.com/Widget": Namespaced}\n',
  });
  refusedAsDuplicate(render(repo, 'apps/web', NS), 'example.com/Widget prod/all*', [
    'apps/web/a.yaml:1',
    'apps/web/b.yaml:1',
  ]);
});

test('duplicate-object: three differing copies are one finding naming all three places', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': `${deployment('apps/v1', 1)}---\n${deployment('apps/v1', 2, 'prod')}`,
    'apps/web/b.yaml': deployment('extensions/v1beta1', 3),
  });
  const line = refusedAsDuplicate(render(repo, 'apps/web', NS), 'apps/Deployment prod/web', [
    'apps/web/a.yaml:1',
    'apps/web/a.yaml:8',
    'apps/web/b.yaml:1',
  ]);
  // More than two copies: the two compared are named.
  assert.match(
    line,
    /; the copies at apps\/web\/a\.yaml:1 and apps\/web\/a\.yaml:8 differ in metadata\.namespace: \(absent\) vs "prod", spec\.replicas: 1 vs 2\. Fix: /,
  );
});

test('duplicate-object: a Secret defined twice says which keys differ, never their values', () => {
  const secret = (value: string, extra = '') =>
    manifest('Secret', 'db', { body: `stringData:\n  password: ${value}\n  user: admin${extra}` });
  const repo = makeRepo({
    'apps/web/a.yaml': secret('hunter2-first-value'),
    'apps/web/b.yaml': secret('s3cret-second-value', '\n  token: tok-third-value'),
  });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAsDuplicate(r, 'Secret prod/db', ['apps/web/a.yaml:1', 'apps/web/b.yaml:1']);
  assert.match(
    line,
    /; the copies differ in stringData\.password: \(secret value, not shown\) vs \(secret value, not shown\), stringData\.token: \(absent\) vs \(secret value, not shown\)\. Fix: /,
  );
  for (const v of ['hunter2', 's3cret', 'tok-third']) assert.ok(!r.stderr.includes(v), `${v} leaked:\n${r.stderr}`);
});
