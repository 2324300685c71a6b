// `generate` (Argo CD's environment, cwd = app dir) and `render` with the flags that stand in for that
// environment must produce the same bytes: a laptop or CI render is only a preview if it is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, render, runCli } from './helpers';

const APP_FILES = {
  'apps/guestbook/deploy.yaml': manifest('Deployment', 'guestbook-ui', {
    body: 'spec:\n  replicas: 2\n  selector: {matchLabels: {app: guestbook-ui}}\n  template:\n    metadata: {labels: {app: guestbook-ui}}\n    spec: {containers: [{name: ui, image: "example/ui:0.2", ports: [{containerPort: 80}]}]}',
  }),
  'apps/guestbook/svc.yaml': `${manifest('Service', 'guestbook-ui', { body: 'spec: {ports: [{port: 80, targetPort: 80}], selector: {app: guestbook-ui}}' })}---\n${manifest('ConfigMap', 'flags', { namespace: 'guestbook-canary', body: 'data:\n  on: "yes"\n  port: "0777"' })}`,
  'apps/guestbook/ns.yaml': manifest('Namespace', 'guestbook'),
  'apps/guestbook/nested/extra.yaml': manifest('ConfigMap', 'nested'),
  // An unknown kind, so both commands run with a warning on stderr.
  'apps/guestbook/widget.yaml': manifest('Widget', 'w', {
    apiVersion: 'example.com/v1',
    annotations: { 'argocd.argoproj.io/tracking-id': 'guestbook:example.com/Widget:guestbook/w' },
  }),
  'apps/guestbook/safe-render.yaml': 'recurse: true\nnamespaces: ["guestbook-*"]\n',
};

function generateIn(repo: string, args: readonly string[] = []) {
  return runCli(['generate', ...args], {
    cwd: join(repo, 'apps/guestbook'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'guestbook',
      ARGOCD_APP_NAMESPACE: 'guestbook',
      ARGOCD_APP_PROJECT_NAME: 'default',
      ARGOCD_APP_SOURCE_PATH: 'apps/guestbook',
      ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/apps.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
      ARGOCD_APP_REVISION: '0123456789abcdef0123456789abcdef01234567',
      KUBE_VERSION: '1.32.0',
      KUBE_API_VERSIONS: 'v1,apps/v1',
      ARGOCD_APP_PARAMETERS: 'null',
    },
  });
}

const RENDER_FLAGS = [
  '--app',
  'guestbook',
  '--namespace',
  'guestbook',
  '--project',
  'default',
  '--repo-url',
  'https://git.example.com/apps.git',
  '--revision',
  '0123456789abcdef0123456789abcdef01234567',
  '--kube-version',
  '1.32.0',
  '--api-versions',
  'v1,apps/v1',
];

test('generate and render with equivalent flags print the same stdout bytes', () => {
  const repo = makeRepo(APP_FILES);
  const g = generateIn(repo);
  const r = render(repo, 'apps/guestbook', RENDER_FLAGS);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(g.stdout, r.stdout);
  // Not vacuous: every object is there, in file order, and the warning was raised by both.
  assert.deepEqual(
    parseJsonStream(g.stdout).map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`),
    [
      'Deployment/guestbook-ui',
      'ConfigMap/nested',
      'Namespace/guestbook',
      'Service/guestbook-ui',
      'ConfigMap/flags',
      'Widget/w',
    ],
  );
  assert.equal(findingLines(g.stderr, 'cluster-scoped', 'warning').length, 1, g.stderr);
  assert.equal(findingLines(r.stderr, 'cluster-scoped', 'warning').length, 1, r.stderr);
  // YAML 1.1 scalars are read as Kubernetes reads them, identically by both.
  assert.deepEqual((parseJsonStream(g.stdout)[4] as { data: unknown }).data, { true: 'yes', port: '0777' });
});

test('generate and render agree byte for byte on the YAML stream too', () => {
  const repo = makeRepo(APP_FILES);
  const g = generateIn(repo, ['--output', 'yaml']);
  const r = render(repo, 'apps/guestbook', [...RENDER_FLAGS, '--output', 'yaml']);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(g.stdout.includes('kind: Deployment'), g.stdout);
  assert.equal(g.stdout, r.stdout);
});

test('generate and render refuse the same render with the same findings', () => {
  const repo = makeRepo({
    ...APP_FILES,
    'apps/guestbook/escape.yaml': manifest('ConfigMap', 'x', { namespace: 'kube-system' }),
  });
  const g = generateIn(repo);
  const r = render(repo, 'apps/guestbook', RENDER_FLAGS);
  assert.equal(g.code, 1, g.stderr);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(g.stdout, '');
  assert.equal(r.stdout, '');
  const gl = findingLines(g.stderr, 'namespace-escape');
  assert.equal(gl.length, 1, g.stderr);
  assert.deepEqual(findingLines(r.stderr, 'namespace-escape'), gl);
});
