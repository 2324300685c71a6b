import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRenders } from './compare';
import { jsonPatch } from './json-patch';
import { IGNORED_FIELD_NAMES, LAST_APPLIED } from './normalize';
import { configMap, deployment, obj } from './test-fixture';

test('compareRenders: removed, added and changed by identity, each sorted by ref; a rename is one removal and one addition', () => {
  const base = [deployment('web', 'web:1'), configMap('settings', { a: '1' }), deployment('api', 'api:1')];
  const head = [deployment('api-v2', 'api:1'), deployment('web', 'web:2')];
  const d = compareRenders(base, head);
  assert.deepEqual(
    d.removed.map((o) => o.ref),
    ['apps/Deployment/prod/api', 'core/ConfigMap/prod/settings'],
  );
  assert.deepEqual(
    d.added.map((o) => o.ref),
    ['apps/Deployment/prod/api-v2'],
  );
  assert.deepEqual(
    d.changed.map((o) => o.display),
    ['apps/Deployment prod/web'],
  );
  assert.equal(d.unchanged, 0);
  const web = d.changed[0]!;
  assert.match(web.unified, /^- +image: web:1$/m);
  assert.match(web.unified, /^\+ +image: web:2$/m);
  assert.deepEqual(web.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' }]);
  assert.match(d.removed[1]!.yaml, /^kind: ConfigMap$/m);
});

test('compareRenders: fields the API server owns, and key order, are no change; the ignored list is said', () => {
  const base = configMap(
    's',
    { a: '1', b: '2' },
    { uid: 'x', resourceVersion: '1', managedFields: [{ manager: 'k' }] },
  );
  const head = obj({
    data: { b: '2', a: '1' },
    metadata: { namespace: 'prod', name: 's', generation: 4, creationTimestamp: '2026-01-01T00:00:00Z' },
    kind: 'ConfigMap',
    apiVersion: 'v1',
    status: { phase: 'x' },
  });
  const d = compareRenders([base], [head]);
  assert.deepEqual([d.removed, d.added, d.changed, d.unchanged], [[], [], [], 1]);
  assert.ok(IGNORED_FIELD_NAMES.includes('metadata.managedFields') && IGNORED_FIELD_NAMES.includes('status'));
  assert.deepEqual(d.ignoredFields, IGNORED_FIELD_NAMES);
  // The same render twice: nothing.
  const same = compareRenders([deployment('w', 'i:1')], [deployment('w', 'i:1')]);
  assert.equal(same.changed.length + same.added.length + same.removed.length, 0);
});

test('compareRenders: an identity twice in one render keeps both, the second as ref#2', () => {
  const d = compareRenders([], [configMap('a', { x: '1' }), configMap('a', { x: '2' })]);
  assert.deepEqual(
    d.added.map((o) => o.ref),
    ['core/ConfigMap/prod/a', 'core/ConfigMap/prod/a#2'],
  );
});

test('jsonPatch: integers beyond 2^53 (bigints) survive fast-json-patch and come back as bigints', () => {
  const ops = jsonPatch({ a: { n: 1n << 60n, s: 'x' } }, { a: { n: (1n << 60n) + 1n, s: 'x', m: [1n << 61n] } });
  assert.deepEqual(ops, [
    { op: 'replace', path: '/a/n', value: (1n << 60n) + 1n },
    { op: 'add', path: '/a/m', value: [1n << 61n] },
  ]);
});

test('compareRenders leaves the renders it reads as they were (Secrets and ignored fields included)', () => {
  const secret = (v: string) =>
    obj({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'prod', uid: 'u', annotations: { [LAST_APPLIED]: v } },
      data: { k: v },
      status: {},
    });
  const base = [secret('b2xk'), configMap('c', { a: '1' }, { managedFields: [] })];
  const head = [secret('bmV3'), configMap('c', { a: '2' })];
  const before = JSON.stringify([base, head].map((r) => r.map((o) => o.body)));
  compareRenders(base, head);
  assert.equal(JSON.stringify([base, head].map((r) => r.map((o) => o.body))), before);
});
