// split --template: the syntax, encoded values, and paths that cannot leave the output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManifestObject } from '../model/object';
import { RenderFailure, UsageError } from '../util/errors';
import { parseTemplate, templatePath } from './split-template';

const obj = (o: Partial<ManifestObject>): ManifestObject =>
  ({
    body: {},
    source: { file: 'a.yaml', line: 1 },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    group: 'apps',
    name: 'web',
    declaredNamespace: 'prod',
    namespace: 'prod',
    scope: 'Namespaced',
    key: '',
    ...o,
  }) as ManifestObject;

test('templatePath: fields, functions, and the values of core and cluster-scoped objects', () => {
  const t = parseTemplate('{namespace}/{group}.{version}/{kind|lower}-{name|upper}.yaml');
  assert.equal(templatePath(t, obj({})), 'prod/apps.v1/deployment-WEB.yaml');
  assert.equal(
    templatePath(
      t,
      obj({ apiVersion: 'v1', group: '', kind: 'Namespace', name: 'x', namespace: '', scope: 'Cluster' }),
    ),
    '_cluster/core.v1/namespace-X.yaml',
  );
  assert.equal(templatePath(t, obj({ namespace: '', scope: 'Unknown' })), '_namespaced/apps.v1/deployment-WEB.yaml');
});

test('templatePath: a value never adds a folder or leaves DIR', () => {
  const t = parseTemplate('{name}');
  assert.equal(templatePath(t, obj({ name: 'a/../../b' })), 'a%2F..%2F..%2Fb');
  assert.equal(templatePath(t, obj({ name: 'system:x y' })), 'system%3Ax%20y');
  assert.throws(() => templatePath(t, obj({ name: '..' })), RenderFailure);
  assert.throws(() => templatePath(t, obj({ name: '.safe-render-output' })), /own file/);
  assert.throws(() => templatePath(parseTemplate('{name}/x'), obj({ name: 'Kustomization.yaml' })), /own file/);
});

test('parseTemplate: refuses what it cannot read, with the reason', () => {
  for (const [t, msg] of [
    ['{{.kind}}', /not Go templates/],
    ['{kind', /without a closing/],
    ['{kind|lower|upper}', /unknown function/],
    ['{metadata.name}', /unknown field/],
    ['x.yaml', /no \{field\}/],
    ['/{name}', /absolute/],
    ['{name}\n', /literal text/],
  ] as const)
    assert.throws(
      () => parseTemplate(t),
      (e: unknown) => e instanceof UsageError && msg.test(e.message),
      t,
    );
});
