// safe-render.yaml and the platform policy through the strict reader, in-process: their own checks
// (allow-list globs, group/Kind keys, patches, apps entries, Kubernetes' own scopes), parameters
// over the file, and which policy entry an app gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../util/errors';
import { applyParameters, DEFAULT_CONFIG, parseAppConfig } from './app-config';
import { parsePolicy, policyFor } from './platform-policy';

const app = (text: string) => parseAppConfig({ file: 'apps/web/safe-render.yaml', text });
const policy = (text: string) => parsePolicy({ file: 'policy.yaml', text });

test('parseAppConfig: defaults filled in, values as written', () => {
  assert.deepEqual(app(''), DEFAULT_CONFIG);
  const c = app(
    'include: "*.yaml"\nexclude: [a/*]\nrecurse: true\nnamespaces: [team-*]\nscopes: {example.com/Widget: Cluster, core/Thing: Namespaced}\nengine: helm\nhelm: {releaseName: r, parameters: {a.b: "1"}, values: {x: [1]}}\nkustomize: {images: [nginx:1]}\npatches: [{target: {kind: ConfigMap}, patch: [{op: remove, path: /data}]}]\n',
  );
  assert.deepEqual(c.include, ['*.yaml']);
  assert.deepEqual(c.exclude, ['a/*']);
  assert.equal(c.recurse, true);
  assert.deepEqual(c.scopes, { 'example.com/Widget': 'Cluster', 'core/Thing': 'Namespaced' });
  assert.equal(c.engine, 'helm');
  assert.deepEqual(c.helm, { releaseName: 'r', parameters: { 'a.b': '1' }, values: { x: [1] } });
  assert.deepEqual(c.kustomize, { images: ['nginx:1'] });
  assert.deepEqual(c.patches, [{ target: { kind: 'ConfigMap' }, patch: [{ op: 'remove', path: '/data' }] }]);
});

test('parseAppConfig: every refusal is one line starting with file:line', () => {
  const rows: Array<[string, RegExp]> = [
    ['namespace: [a]', /^apps\/web\/safe-render\.yaml:1: unknown key "namespace" \(did you mean "namespaces"\?\)/],
    ['namespaces: ["!kube-system"]', /:1: namespaces\[0\] "!kube-system" is a negated glob/],
    ['namespaces: "!x"', /:1: namespaces "!x" is a negated glob/],
    ['scopes: {Widget: Cluster}', /:1: scopes key "Widget" must be group\/Kind .*"example\.com\/Widget"/],
    ['scopes: {a/b/c: Cluster}', /:1: scopes key "a\/b\/c" must be group\/Kind/],
    [
      'scopes:\n  example.com/W: cluster',
      /:2: scopes\.example\.com\/W must be one of Namespaced, Cluster, not "cluster"/,
    ],
    ['engine: jsonnet', /:1: engine must be one of plain, kustomize, helm, not "jsonnet"/],
    ['recurse: "true"', /:1: recurse must be true or false/],
    ['helm: {parameters: {a: 1}}', /:1: helm\.parameters\.a must be a string \(quote it\)/],
    ['helm: {releasename: x}', /unknown key "helm\.releasename" \(did you mean "helm\.releaseName"\?\)/],
    ['kustomize: {images: nginx}', null as unknown as RegExp], // a single string is a list of one: accepted
    ['patches: [{target: {kind: A}}]', /^apps\/web\/safe-render\.yaml: patches\[0\] needs a target and a patch/],
    ['patches: [{patch: []}]', /patches\[0\] needs a target and a patch/],
    ['patches: [{target: {kind: A}, patch: {op: remove}}]', /patches\[0\] needs a target and a patch/],
    ['include: a\ninclude: b', /:2: invalid YAML/],
  ];
  for (const [text, message] of rows) {
    if (!message) {
      assert.doesNotThrow(() => app(text), text);
      continue;
    }
    assert.throws(
      () => app(text),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
      text,
    );
  }
});

test('applyParameters: parameters override the file; empty strings leave the default', () => {
  const base = app(
    'include: [a]\nhelm: {releaseName: file, parameters: {x: "1", w: "2"}}\nkustomize: {images: [a:1], namePrefix: p-}',
  );
  const values = (
    strings: Record<string, string> = {},
    arrays: Record<string, string[]> = {},
    maps: Record<string, Record<string, string>> = {},
  ) => ({
    strings: new Map(Object.entries(strings)),
    arrays: new Map(Object.entries(arrays)),
    maps: new Map(Object.entries(maps)),
  });
  assert.deepEqual(applyParameters(base, values() as never), base);
  const c = applyParameters(
    base,
    values(
      { recurse: 'true', 'release-name': 'param', 'name-prefix': '' },
      { include: ['b'], 'kustomize-images': ['b:2'] },
      { 'helm-parameters': { w: '3', z: '4' } },
    ) as never,
  );
  assert.deepEqual(c.include, ['b']);
  assert.equal(c.recurse, true);
  assert.deepEqual(c.helm, { releaseName: 'param', parameters: { x: '1', w: '3', z: '4' } });
  assert.deepEqual(c.kustomize, { images: ['a:1', 'b:2'], namePrefix: 'p-' });
  assert.equal(applyParameters(base, values({ recurse: 'yes' }) as never).recurse, false); // only "true" turns it on
  assert.equal(applyParameters(base, values({ 'release-name': '' }) as never).helm.releaseName, 'file');
  assert.deepEqual(base.helm.parameters, { x: '1', w: '2' }, 'the file config is not changed');
});

test("parsePolicy: the default entry is required; apps need a match; Kubernetes' own kinds keep their scope", () => {
  const rows: Array<[string, RegExp]> = [
    ['', /^policy\.yaml:1: "default" is required$/],
    ['apps: []', /^policy\.yaml:1: "default" is required$/],
    ['default: {}\napps: [{requireLock: true}]', /^policy\.yaml: apps\[0\] needs match\.names or match\.projects$/],
    ['default: {}\napps: [{match: {}}]', /apps\[0\] needs match\.names or match\.projects/],
    [
      'default: {requirelock: true}',
      /:1: unknown key "default\.requirelock" \(did you mean "default\.requireLock"\?\)/,
    ],
    ['default:\n  deletionBudget: {objects: -1}', /:2: default\.deletionBudget\.objects must be a number of 0 or more/],
    ['default: {unknownScopes: fatal}', /default\.unknownScopes must be one of warning, error/],
    [
      'default: {}\nscopes: {core/Namespace: Namespaced}',
      /scopes declares core\/Namespace Namespaced, but Kubernetes serves it Cluster/,
    ],
    [
      'default: {}\nscopes: {apps/Deployment: Cluster}',
      /scopes declares apps\/Deployment Cluster, but Kubernetes serves it Namespaced/,
    ],
    ['default: {}\nargocd: {instanceLabelKey: "Bad Key"}', /argocd\.instanceLabelKey "Bad Key" must be a label key/],
    [
      'default: {}\nargocd: {trackingMethod: labels}',
      /argocd\.trackingMethod must be one of annotation, label, annotation\+label/,
    ],
    [
      'default: {}\napps: [{match: {names: [a]}, engines: {helmCommand: 3}}]',
      /apps\[0\]\.engines\.helmCommand must be a string or a list of strings/,
    ],
  ];
  for (const [text, message] of rows) {
    assert.throws(
      () => policy(text),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
      text,
    );
  }
  assert.deepEqual(policy('default: {}\nscopes: {example.com/W: Cluster, core/Namespace: Cluster}').scopes, {
    'example.com/W': 'Cluster',
    'core/Namespace': 'Cluster',
  });
  assert.equal(
    policy('default: {}\nargocd: {instanceLabelKey: app.kubernetes.io/instance}').argocd?.instanceLabelKey,
    'app.kubernetes.io/instance',
  );
});

test('policyFor: the first entry whose every given criterion matches, else default', () => {
  const p = policy(`default: {requireLock: false}
apps:
  - match: {names: [web-*], projects: [shop]}
    requireLock: true
  - match: {names: [web-*]}
    allowEmpty: false
  - match: {projects: ["#team"]}
    protectedKinds: [Secret]
  - match: {names: []}
    requireLock: true
`);
  const rows: Array<[string, string, string, object]> = [
    ['web-1', 'shop', 'apps[0]', { requireLock: true }],
    ['web-1', 'other', 'apps[1]', { allowEmpty: false }],
    ['api', '#team', 'apps[2]', { protectedKinds: ['Secret'] }], // a glob starting with "#" is not a comment
    ['api', 'shop', 'default', { requireLock: false }],
    ['web', 'shop', 'default', { requireLock: false }],
    ['WEB-1', 'shop', 'default', { requireLock: false }], // case matters
  ];
  for (const [name, project, entry, limits] of rows) {
    const a = policyFor(p, name, project);
    assert.equal(a.entry, entry, `${name} ${project}`);
    assert.deepEqual(a.limits, limits, `${name} ${project}`);
    assert.equal(a.file, 'policy.yaml');
  }
});
