// parseGroupVersion reads apiVersion as Go's schema.ParseGroupVersion does and refuses what can never
// name a served object (issue 9 §1); isValidKind is the API server's kind rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupOf, isValidKind, parseGroupVersion } from './identity';

test('parseGroupVersion: legitimate apiVersions give the group Kubernetes reads', () => {
  const cases: Record<string, [string, string]> = {
    v1: ['', 'v1'],
    'apps/v1': ['apps', 'v1'],
    'example.com/v1alpha1': ['example.com', 'v1alpha1'],
    'rbac.authorization.k8s.io/v1': ['rbac.authorization.k8s.io', 'v1'],
    'extensions/v1beta1': ['extensions', 'v1beta1'],
    'my-group.io/v2': ['my-group.io', 'v2'],
  };
  for (const [apiVersion, [group, version]] of Object.entries(cases)) {
    assert.deepEqual(parseGroupVersion(apiVersion), { group, version }, apiVersion);
    assert.equal(groupOf(apiVersion), group, 'resolve keeps using groupOf, which agrees on every valid apiVersion');
  }
});

test('parseGroupVersion: what Go refuses, and what parses but names no served group or version, is a problem', () => {
  const bad: Record<string, RegExp> = {
    'core/v1': /group called "core"/,
    'apps/v1/x': /more than one "\/"/,
    'apps//v1': /more than one "\/"/,
    '/v1': /empty group/,
    '/': /empty group/,
    'apps/': /empty version/,
    'Apps/v1': /not a valid API group/,
    'apps_x/v1': /not a valid API group/,
    '.apps/v1': /not a valid API group/,
    'apps/V1': /not a valid API version/,
    'apps/v1 ': /not a valid API version/,
    'apps/v1\nkind: Secret': /not a valid API version/,
    'apps/1': /not a valid API version/,
    [`${'a'.repeat(254)}/v1`]: /not a valid API group/,
    [`apps/v${'1'.repeat(63)}`]: /not a valid API version/,
  };
  for (const [apiVersion, why] of Object.entries(bad)) {
    const r = parseGroupVersion(apiVersion);
    assert.ok('problem' in r, JSON.stringify(apiVersion));
    assert.match(r.problem, why, JSON.stringify(apiVersion));
  }
});

test('isValidKind: CamelCase identifiers (and "-", as the API server allows) pass; anything else is refused', () => {
  for (const k of ['ConfigMap', 'Deployment', 'A', 'MyCustomThing2', 'X-Thing', 'apiService'])
    assert.ok(isValidKind(k), k);
  for (const k of [
    'Config\nMap',
    'Config Map',
    'Config/Map',
    'Config.Map',
    'Config_Map',
    '2Fast',
    '-Kind',
    'Kind-',
    'Kínd',
    'Kind\u200b',
    '',
    'K'.repeat(64),
  ]) {
    assert.equal(isValidKind(k), false, JSON.stringify(k));
  }
});

test('identity helpers: alias groups folded, keys, refs as people read them, metadata that is not an object', async () => {
  const { annotationsOf, canonicalGroup, displayRef, identityKey, metadataOf } = await import('./identity');
  const groups: Array<[string, string, string]> = [
    ['extensions', 'Deployment', 'apps'],
    ['extensions', 'DaemonSet', 'apps'],
    ['extensions', 'ReplicaSet', 'apps'],
    ['extensions', 'Ingress', 'networking.k8s.io'],
    ['extensions', 'NetworkPolicy', 'networking.k8s.io'],
    ['extensions', 'PodSecurityPolicy', 'policy'],
    ['extensions', 'Widget', 'extensions'],
    ['apps', 'Deployment', 'apps'],
    ['', 'Deployment', ''],
    ['extensions', 'deployment', 'extensions'],
    ['extensions', 'toString', 'extensions'],
    ['constructor', 'x', 'constructor'], // no prototype keys
  ];
  for (const [group, kind, want] of groups) assert.equal(canonicalGroup(group, kind), want, `${group}/${kind}`);
  assert.equal(identityKey('', 'ConfigMap', 'prod', 'a'), '/ConfigMap/prod/a');
  assert.equal(identityKey('apps', 'Deployment', '', 'a'), 'apps/Deployment//a');
  const refs: Array<[[string, string, string, string], string]> = [
    [['apps', 'Deployment', 'prod', 'web'], 'apps/Deployment prod/web'],
    [['', 'ConfigMap', 'prod', 'settings'], 'ConfigMap prod/settings'],
    [['rbac.authorization.k8s.io', 'ClusterRole', '', 'admin'], 'rbac.authorization.k8s.io/ClusterRole admin'],
    [['', 'Namespace', '', 'prod'], 'Namespace prod'],
  ];
  for (const [[group, kind, namespace, name], want] of refs)
    assert.equal(displayRef({ group, kind, namespace, name }), want);
  const bodies: Array<[Record<string, unknown>, object, object]> = [
    [{}, {}, {}],
    [{ metadata: null }, {}, {}],
    [{ metadata: [] }, {}, {}],
    [{ metadata: 'x' }, {}, {}],
    [{ metadata: { name: 'a' } }, { name: 'a' }, {}],
    [{ metadata: { annotations: null } }, { annotations: null }, {}],
    [{ metadata: { annotations: ['a'] } }, { annotations: ['a'] }, {}],
    [{ metadata: { annotations: { a: 'b' } } }, { annotations: { a: 'b' } }, { a: 'b' }],
  ];
  for (const [body, meta, ann] of bodies) {
    assert.deepEqual(metadataOf(body), meta, JSON.stringify(body));
    assert.deepEqual(annotationsOf(body), ann, JSON.stringify(body));
  }
});
