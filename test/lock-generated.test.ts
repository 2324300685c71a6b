// `lock --application APPSET.yaml --generated NAME` (issue 11, "Adoption in one command"): a lock for an
// Application an ApplicationSet generates, named and rendered as Argo CD would; and `lock --application`
// reporting YAML errors in the file instead of reading half of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { makeRepo, runCli } from './helpers';
import { assertClean, assertLocked, configMaps, generate, lockFile, readLock, REPO_URL } from './lock-helpers';

function appSet(generators: string, opts: { namespace?: string; name?: string } = {}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: shops
  namespace: ${opts.namespace ?? 'argocd'}
spec:
  generators:
${generators
  .trimEnd()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
  template:
    metadata:
      name: '${opts.name ?? '{{name}}-app'}'
    spec:
      project: default
      source:
        repoURL: ${REPO_URL}
        path: 'apps/{{name}}'
        targetRevision: main
        plugin:
          name: safe-render
          env:
            - {name: REGION, value: '{{name}}'}
      destination: {server: https://kubernetes.default.svc, namespace: 'shop-{{name}}'}
`;
}

const list = (names: string[]) => `- list:\n    elements: [${names.map((n) => `{name: ${n}}`).join(', ')}]\n`;

test('--generated NAME locks the Application the ApplicationSet generates, as Argo CD names and renders it', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(2),
    'apps/cart/cms.yaml': configMaps(1),
    'argocd/shops.yaml': appSet(list(['web', 'cart'])),
  });
  const r = runCli(['lock', '--application', 'argocd/shops.yaml', '--generated', 'web-app'], { cwd: repo });
  assertLocked(r);
  const text = readLock(repo, 'web-app');
  assert.match(text, /^app web-app$/m);
  assert.match(text, new RegExp(`^source \\{"path":"apps/web","repoURL":"${REPO_URL}"\\}$`, 'm'));
  assert.match(text, /^object core\/ConfigMap\/shop-web\/cm-2$/m, 'objects take the generated destination namespace');
  assertClean(generate(repo, { path: 'apps/web', name: 'web-app', namespace: 'shop-web' }));
  // NAMESPACE/NAME works too, from a subfolder as well.
  assertLocked(
    runCli(['lock', '--application', 'shops.yaml', '--generated', 'argocd/cart-app'], { cwd: `${repo}/argocd` }),
  );
  assert.match(readLock(repo, 'cart-app'), /^object core\/ConfigMap\/shop-cart\/cm-1$/m);
});

test('--generated: an ApplicationSet outside the control-plane namespace generates NS_NAME apps', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(1),
    'argocd/shops.yaml': appSet(list(['web']), { namespace: 'team-a' }),
  });
  assertLocked(runCli(['lock', '--application', 'argocd/shops.yaml', '--generated', 'web-app'], { cwd: repo }));
  assert.match(readLock(repo, 'team-a_web-app'), /^app team-a_web-app$/m);
  assert.ok(!existsSync(lockFile(repo, 'web-app')));
});

test('--generated with a git directories generator reads the repository', () => {
  const git = `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories:\n      - path: 'apps/*'\n`;
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(1),
    'apps/cart/cms.yaml': configMaps(1),
    'argocd/shops.yaml': appSet(git, { name: '{{path.basename}}' }).replace(/'apps\/\{\{name\}\}'/, "'{{path}}'"),
  });
  assertLocked(runCli(['lock', '--application', 'argocd/shops.yaml', '--generated', 'cart'], { cwd: repo }));
  assert.match(readLock(repo, 'cart'), /"path":"apps\/cart"/);
});

test('--generated: a name the ApplicationSet does not generate is a usage error listing up to 10 it does', () => {
  const names = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
  const repo = makeRepo({ 'argocd/shops.yaml': appSet(list(names)) });
  const r = runCli(['lock', '--application', 'argocd/shops.yaml', '--generated', 'web'], { cwd: repo });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(
    r.stderr,
    /--generated web: the ApplicationSet in argocd\/shops\.yaml generates argocd\/s00-app, argocd\/s01-app, .*argocd\/s09-app and 2 more, not web/,
  );
  assert.doesNotMatch(r.stderr, /s10-app/);
});

test('--generated: usage errors for a file without an ApplicationSet, and without --application', () => {
  const repo = makeRepo({ 'argocd/cm.yaml': configMaps(1) });
  const none = runCli(['lock', '--application', 'argocd/cm.yaml', '--generated', 'web'], { cwd: repo });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /holds no argoproj\.io ApplicationSet/);
  const alone = runCli(['lock', '--generated', 'web'], { cwd: repo });
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--generated NAME needs --application APPSET\.yaml/);
});

test('--application with an ApplicationSet and no --generated says how to pick one', () => {
  const repo = makeRepo({ 'argocd/shops.yaml': appSet(list(['web'])) });
  const r = runCli(['lock', '--application', 'argocd/shops.yaml'], { cwd: repo });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /found 0; it holds an ApplicationSet: name the Application it generates with --generated NAME/,
  );
});

test('--application reports a YAML error in the file (file:line), instead of reading what parsed', () => {
  const repo = makeRepo({
    'argocd/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source: {path: apps/web\n`,
  });
  const r = runCli(['lock', '--application', 'argocd/web.yaml'], { cwd: repo });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /argocd\/web\.yaml:\d+: invalid YAML: /);
  const missing = runCli(['lock', '--application', 'argocd/nope.yaml'], { cwd: repo });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read argocd\/nope\.yaml: ENOENT/);
});
