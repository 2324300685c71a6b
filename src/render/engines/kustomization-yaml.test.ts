// The kustomization as kustomize reads it (issue 8 §7): merge keys, aliases and Go's case-insensitive
// field names cannot hide a value from the pre-walk, which sees every candidate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldFieldName, readViews } from './kustomization-yaml';

const strings = (text: string, field: string) => readViews(text)[0]!.strings(field).sort();

test('every candidate of a field: direct, repeated, merged, aliased, case-folded', () => {
  assert.deepEqual(strings('resources: [a]\n', 'resources'), ['a']);
  assert.deepEqual(strings('resources: [a]\nresources: [b]\n', 'resources'), ['a', 'b']);
  assert.deepEqual(strings('<<: {resources: [m]}\nresources: [a]\n', 'resources'), ['a', 'm']);
  assert.deepEqual(strings('<<: [{resources: [m1]}, {<<: {resources: [m2]}}]\n', 'resources'), ['m1', 'm2']);
  assert.deepEqual(strings('metadata: &r [x]\nresources: *r\n', 'resources'), ['x']);
  assert.deepEqual(strings('metadata: &u y\nresources: [*u]\n', 'resources'), ['y']);
  assert.deepEqual(strings('Resources: [a]\nRESOURCES: [b]\nre\u017fources: [c]\n', 'resources'), ['a', 'b', 'c']);
  assert.deepEqual(strings('"<<": {resources: [q]}\n', 'resources'), ['q']);
});

test('nested fields through merges and aliases', () => {
  const [k] = readViews('metadata: &c {name: sub, releaseName: a}\nhelmCharts:\n- <<: *c\n  releaseName: b\n');
  const charts = k!.list('helmCharts');
  assert.equal(charts.length, 1);
  assert.deepEqual(charts[0]!.strings('releaseName').sort(), ['a', 'b']);
  assert.deepEqual(charts[0]!.strings('name'), ['sub']);
});

test('Go folds ſ to s and the Kelvin sign to k, like the ASCII letters', () => {
  assert.equal(foldFieldName('relea\u017feName'), 'releasename');
  assert.equal(foldFieldName('\u212aind'), 'kind');
  assert.equal(foldFieldName('HelmCharts'), 'helmcharts');
});

test('an alias bomb costs nothing: every node is visited once per question', () => {
  let text = 'a0: &a0 [x]\n';
  for (let i = 1; i < 30; i++)
    text += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  text += 'resources: *a29\n';
  const t = Date.now();
  readViews(text)[0]!.strings('resources');
  assert.ok(Date.now() - t < 2000);
});
