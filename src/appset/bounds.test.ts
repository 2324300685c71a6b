import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateApplications } from './generate';
import { MAX_APPS, MAX_PARAM_SETS } from './limits';
import { appSetObject, appSetYaml, REPO, repoOf } from './test-fixtures';

// Hostile ApplicationSets (issue 11, house rules): every bound ends in "not evaluated", never a guess
// and never a hang.
const gen = (spec: string, files: Record<string, string> = {}) =>
  generateApplications(appSetObject(appSetYaml(spec)), repoOf(files), {});
const TEMPLATE = `  template: {metadata: {name: 'x-{{n}}{{m}}'}, spec: {}}\n`;
const elements = (n: number, key = 'n') => JSON.stringify(Array.from({ length: n }, (_, i) => ({ [key]: String(i) })));

test('bounds: a list larger than the cap is not evaluated', () => {
  const r = gen(`  generators:\n  - list: {elements: ${elements(MAX_PARAM_SETS + 1)}}\n${TEMPLATE}`);
  assert.deepEqual(r.apps, []);
  assert.deepEqual(
    r.notEvaluated.map((n) => n.generator),
    ['list'],
  );
});

test('bounds: a matrix product past the cap is not evaluated, and fast', () => {
  const start = Date.now();
  const r = gen(
    `  generators:\n  - matrix:\n      generators:\n      - list: {elements: ${elements(200)}}\n      - list: {elements: ${elements(200, 'm')}}\n${TEMPLATE}`,
  );
  assert.deepEqual(
    r.notEvaluated.map((n) => n.generator),
    ['matrix'],
  );
  assert.match(r.notEvaluated[0]!.why, /more than 10000 parameter sets/);
  assert.ok(Date.now() - start < 5000);
});

test('bounds: more Applications than the cap from several generators is not evaluated as a whole', () => {
  const half = elements(MAX_APPS / 2 + 1);
  const r = gen(
    `  generators:\n  - list: {elements: ${half}}\n  - list: {elements: ${half}}\n  template: {metadata: {name: 'x'}, spec: {}}\n`,
  );
  assert.deepEqual(r.apps, []);
  assert.equal(r.notEvaluated[0]!.generator, 'ApplicationSet');
});

test('bounds: a deep template, a deep elementsYaml and a huge git file are refused', () => {
  let deep = 'x';
  for (let i = 0; i < 100; i++) deep = `{a: ${deep}}`;
  const r1 = gen(
    `  generators:\n  - list: {elements: [{n: a}]}\n  template: {metadata: {name: '{{n}}'}, spec: ${deep}}\n`,
  );
  assert.match(r1.notEvaluated[0]!.why, /nests deeper/);
  const r2 = gen(`  generators:\n  - list: {elementsYaml: '${'['.repeat(5000)}'}\n${TEMPLATE}`);
  assert.equal(r2.notEvaluated[0]!.generator, 'list');
  const r3 = gen(`  generators:\n  - git: {repoURL: ${REPO}, files: [{path: 'c/*.yaml'}]}\n${TEMPLATE}`, {
    'c/a.yaml': `n: ${'x'.repeat(2 << 20)}\n`,
  });
  assert.equal(r3.notEvaluated[0]!.generator, 'git');
});

test('bounds: goTemplate output and loops are bounded', () => {
  const r = gen(`  goTemplate: true
  generators:
  - list: {elements: [{n: a}]}
  template:
    metadata: {name: '{{ range 1000000000 }}x{{ end }}'}
    spec: {}
`);
  assert.deepEqual(r.apps, []);
  assert.equal(r.notEvaluated[0]!.generator, 'ApplicationSet');
});

test('hostile values: {{ in parameters is never templated again, in either style', () => {
  const fast = gen(
    `  generators:\n  - list: {elements: [{a: '{{m}}', m: secret}]}\n  template: {metadata: {name: 'x-{{a}}'}, spec: {}}\n`,
  );
  assert.equal((fast.apps[0]!.body.metadata as { name: string }).name, 'x-{{m}}');
  const go = gen(
    `  goTemplate: true\n  generators:\n  - list: {elements: [{a: '{{ .m }}', m: secret}]}\n  template: {metadata: {name: 'x-{{ .a }}'}, spec: {}}\n`,
  );
  assert.equal((go.apps[0]!.body.metadata as { name: string }).name, 'x-{{ .m }}');
});
