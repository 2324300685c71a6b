import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNames, sourceContext } from './application-source';

test('appNames: name in the control-plane namespace, namespace/name (id) and namespace_name (ARGOCD_APP_NAME) outside', () => {
  assert.deepEqual(appNames('web', undefined, 'argocd'), { id: 'web', appName: 'web', namespace: 'argocd' });
  assert.deepEqual(appNames('web', 'argocd', 'argocd'), { id: 'web', appName: 'web', namespace: 'argocd' });
  assert.deepEqual(appNames('web', 'team-a', 'argocd'), {
    id: 'team-a/web',
    appName: 'team-a_web',
    namespace: 'team-a',
  });
  assert.deepEqual(appNames('web', 'gitops', 'gitops'), { id: 'web', appName: 'web', namespace: 'gitops' });
});

test('sourceContext: the context generate builds from what Argo CD sends for this source', () => {
  const ctx = sourceContext({
    names: appNames('web', 'team-a', 'argocd'),
    spec: { destination: { namespace: 'prod' } },
    source: {
      repoURL: 'https://g/x.git',
      path: 'apps/web',
      targetRevision: 'main',
      plugin: {
        name: 'safe-render',
        env: [
          { name: 'WHO', value: '$ARGOCD_APP_NAME@${ARGOCD_APP_REVISION_SHORT} in $ARGOCD_APP_NAMESPACE $HOME $$' },
          { name: 'A=B', value: 'c' },
          { name: 'DUP', value: '1' },
          { name: 'DUP', value: '2' },
        ],
        parameters: [{ name: 'values-files', array: ['v.yaml'] }],
      },
    },
    revision: '0123456789abcdef0123456789abcdef01234567',
    kubeVersion: '1.29.3',
    apiVersions: ['v1', 'apps/v1', 'v1'],
    appDir: '/r/apps/web',
    repoRoot: '/r',
    where: 'a.yaml:1',
  });
  assert.equal(ctx.appName, 'team-a_web');
  assert.equal(ctx.namespace, 'prod');
  assert.equal(ctx.project, 'default');
  assert.equal(ctx.sourcePath, 'apps/web');
  assert.equal(ctx.targetRevision, 'main');
  assert.deepEqual(ctx.apiVersions, ['apps/v1', 'v1']);
  // Interpolated against the build vars only; a name with `=` is cut there by the process env; last wins.
  assert.deepEqual(ctx.env, { WHO: 'team-a_web@0123456 in prod  $', A: 'B=c', DUP: '2' });
  assert.deepEqual(ctx.parameters, [{ name: 'values-files', array: ['v.yaml'] }]);
});

test('sourceContext: parameters of the wrong shape are refused, never guessed', () => {
  assert.throws(
    () =>
      sourceContext({
        names: appNames('web', undefined, 'argocd'),
        spec: {},
        source: { plugin: { parameters: [{ name: 'x', string: 1 }] } },
        revision: '',
        kubeVersion: '',
        apiVersions: [],
        appDir: '/r',
        repoRoot: '/r',
        where: 'a.yaml:1',
      }),
    /"string" must be a string/,
  );
});
