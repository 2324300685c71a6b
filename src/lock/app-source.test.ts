// What the lock records of a child Application's source (issue 8 §4): every field that decides what
// the child renders, readable where it is safe, a digest where it may hold a secret; bounded in size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appSources, MAX_VERBATIM, projectSource, sourceChanges, sourceSummary } from './app-source';
import { canonicalJson } from '../util/canonical-json';

const BASE = { repoURL: 'https://git.example.com/shop.git', path: 'apps/web', targetRevision: 'main' };

test('readable fields stay readable; values, parameters, env and unknown fields are only digests', () => {
  const secret = 'hunter2-supersecret';
  const s = sourceSummary({
    ...BASE,
    helm: {
      releaseName: 'web',
      valueFiles: ['values-prod.yaml'],
      values: `password: ${secret}`,
      valuesObject: { password: secret },
      parameters: [{ name: 'password', value: secret }],
    },
    plugin: {
      name: 'safe-render',
      env: [{ name: 'TOKEN', value: secret }],
      parameters: [{ name: 'p', string: secret }],
    },
    kustomize: { namePrefix: 'eu-', patches: [{ patch: secret }] },
    directory: { recurse: true, include: '*.yaml', jsonnet: { extVars: [{ name: 'x', value: secret }] } },
    futureField: secret,
  }) as Record<string, Record<string, unknown>>;
  const text = canonicalJson(s);
  assert.ok(!text.includes(secret), text);
  assert.equal(s.helm!.releaseName, 'web');
  assert.deepEqual(s.helm!.valueFiles, ['values-prod.yaml']);
  assert.match(String(s.helm!.sha256), /^sha256:[0-9a-f]{64}$/);
  assert.equal(s.plugin!.name, 'safe-render');
  assert.equal(s.kustomize!.namePrefix, 'eu-');
  assert.equal(s.directory!.include, '*.yaml');
  assert.match(String(s.other), /^sha256:/, 'a field this version does not know is still recorded');
});

test('every change of a digested field changes the summary', () => {
  const variants: unknown[] = [
    { ...BASE, helm: { values: 'a: 1' } },
    { ...BASE, helm: { values: 'a: 2' } },
    { ...BASE, helm: { valuesObject: { a: 1 } } },
    { ...BASE, helm: { parameters: [{ name: 'a', value: '1' }] } },
    { ...BASE, helm: { parameters: [{ name: 'a', value: '2' }] } },
    { ...BASE, plugin: { name: 'safe-render', env: [{ name: 'A', value: '1' }] } },
    { ...BASE, plugin: { name: 'safe-render', env: [{ name: 'A', value: '2' }] } },
    { ...BASE, plugin: { name: 'safe-render', parameters: [{ name: 'p', string: 'x' }] } },
    { ...BASE, plugin: { name: 'safe-render' } },
    { ...BASE, helm: { values: '' } },
    { ...BASE, helm: {} },
    { ...BASE, other: 1 },
    { ...BASE, other: 2 },
  ];
  const seen = new Set(variants.map((v) => canonicalJson(sourceSummary(v))));
  assert.equal(seen.size, variants.length);
});

test('a long readable value is digested, so a hostile source cannot make the lock large', () => {
  const many = Array.from({ length: 5000 }, (_, i) => `values-${i}.yaml`);
  const s = canonicalJson(sourceSummary({ ...BASE, helm: { valueFiles: many, releaseName: 'x'.repeat(10_000) } }));
  assert.ok(s.length < 2 * MAX_VERBATIM, `${s.length}`);
});

test('spec.sources wins when it holds a source; an empty list falls back to spec.source, as Argo CD does', () => {
  assert.deepEqual(appSources({ source: BASE }), BASE);
  assert.deepEqual(appSources({ source: BASE, sources: [] }), BASE);
  assert.deepEqual(appSources({ source: { ...BASE, path: 'ignored' }, sources: [BASE] }), [BASE]);
  assert.equal(appSources({}), undefined);
});

test('a format-2 summary projects onto exactly what format 1 recorded', () => {
  const full = { ...BASE, chart: 'c', ref: 'r', helm: { releaseName: 'x', values: 'y' }, plugin: { name: 'p' } };
  assert.deepEqual(projectSource(sourceSummary(full)), { ...BASE, chart: 'c', ref: 'r' });
  assert.deepEqual(projectSource([sourceSummary(full)]), [{ ...BASE, chart: 'c', ref: 'r' }]);
});

test('changes are described field by field, short', () => {
  assert.deepEqual(
    sourceChanges(
      sourceSummary({ ...BASE, plugin: { name: 'safe-render' } }),
      sourceSummary({ ...BASE, directory: { recurse: true } }),
    ),
    ['directory none -> {"recurse":true}', 'plugin {"name":"safe-render"} -> none'],
  );
  assert.deepEqual(sourceChanges(sourceSummary(BASE), [sourceSummary(BASE), sourceSummary(BASE)]), [
    'spec.source replaced by spec.sources (2 sources)',
  ]);
  assert.deepEqual(sourceChanges([BASE], [BASE, BASE]), ['sources 1 -> 2']);
  assert.deepEqual(sourceChanges([BASE], [{ ...BASE, path: 'x' }]), ['sources[0].path "apps/web" -> "x"']);
  const long = sourceChanges({ path: 'a' }, { path: 'b'.repeat(1000) })[0]!;
  assert.ok(long.length < 200, long);
});
