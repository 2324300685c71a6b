import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../model/object';
import { newEvalCtx } from './eval-ctx';
import { generateApplications } from './generate';
import { AppSetInvalid, NotEvaluable } from './limits';
import { appSetObject, appSetYaml, REPO, repoOf } from './test-fixtures';
import { transform } from './transform';

const list = (...elements: JsonObject[]) => ({ list: { elements } });
const params = (gen: JsonObject, goTemplate = false, repo = repoOf()) =>
  transform(gen, {}, newEvalCtx(goTemplate, [], repo, {}), {}, 'top').flatMap((t) => t.params);

// argo-cd applicationset/generators/matrix_test.go TestMatrixGenerate
test('matrix: the product of two lists (matrix_test.go "happy flow - generate params from two lists")', () => {
  assert.deepEqual(params({ matrix: { generators: [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })] } }), [
    { a: '1', b: '1' },
    { a: '1', b: '2' },
    { a: '2', b: '1' },
    { a: '2', b: '2' },
  ]);
});

test('matrix with goTemplate: the first generator wins a conflict (TestMatrixGenerateGoTemplate "parameter override")', () => {
  const first = { booleanFalse: false, booleanTrue: true, stringFalse: 'false', stringTrue: 'true' };
  const second = { booleanFalse: true, booleanTrue: false, stringFalse: 'true', stringTrue: 'false' };
  assert.deepEqual(params({ matrix: { generators: [list(first), list(second)] } }, true), [first]);
  // Nested maps merge key by key, the first child's keys winning.
  assert.deepEqual(params({ matrix: { generators: [list({ m: { a: 1 } }), list({ m: { a: 2, b: 3 } })] } }, true), [
    { m: { a: 1, b: 3 } },
  ]);
});

test('matrix in the default style: the same key with different values is an error (utils/map.go CombineStringMaps)', () => {
  assert.deepEqual(params({ matrix: { generators: [list({ a: 'x' }), list({ a: 'x', b: 'y' })] } }), [
    { a: 'x', b: 'y' },
  ]);
  assert.throws(
    () => params({ matrix: { generators: [list({ a: 'x' }), list({ a: 'z' })] } }),
    (e) => e instanceof AppSetInvalid && /found duplicate key a with different value/.test(e.message),
  );
});

test('matrix needs exactly two generators, each naming one generator (matrix_test.go errors)', () => {
  assert.throws(() => params({ matrix: { generators: [list({ a: '1' })] } }), AppSetInvalid);
  assert.throws(
    () => params({ matrix: { generators: [list({ a: '1' }), list({ b: '1' }), list({ c: '1' })] } }),
    AppSetInvalid,
  );
  assert.throws(
    () =>
      params({
        matrix: {
          generators: [{ ...list({ a: '1' }), git: { repoURL: REPO, directories: [{ path: '*' }] } }, list({ b: '1' })],
        },
      }),
    /only one generator/,
  );
});

test('matrix: the second generator is interpolated with each set of the first (InterpolateGenerator)', () => {
  const repo = repoOf({ 'apps/dev/x/f': '', 'apps/prod/y/f': '', 'apps/prod/z/f': '' });
  const got = params(
    {
      matrix: {
        generators: [
          list({ env: 'dev' }, { env: 'prod' }),
          { git: { repoURL: REPO, directories: [{ path: 'apps/{{env}}/*' }] } },
        ],
      },
    },
    false,
    repo,
  );
  assert.deepEqual(
    got.map((p) => `${p.env as string}:${p.path as string}`),
    ['dev:apps/dev/x', 'prod:apps/prod/y', 'prod:apps/prod/z'],
  );
});

test('matrix or merge with a cluster generator is not evaluated as a whole, naming the child', () => {
  assert.throws(
    () => params({ matrix: { generators: [{ clusters: {} }, list({ a: '1' })] } }),
    (e) => e instanceof NotEvaluable && e.generator === 'matrix' && /clusters child/.test(e.why),
  );
  assert.throws(
    () => params({ merge: { mergeKeys: ['a'], generators: [list({ a: '1' }), { scmProvider: {} }] } }),
    (e) => e instanceof NotEvaluable && e.generator === 'merge' && /scmProvider child/.test(e.why),
  );
});

test('matrix: two levels nest; a third level is dropped as Argo CD drops it (ApplicationSetTerminalGenerator)', () => {
  const inner = { matrix: { generators: [list({ a: '1' }), list({ b: '1' })] } };
  assert.deepEqual(params({ matrix: { generators: [inner, list({ c: '1' })] } }), [{ a: '1', b: '1', c: '1' }]);
  const third = { matrix: { generators: [inner, list({ c: '1' })] } };
  assert.throws(
    () => params({ matrix: { generators: [third, list({ d: '1' })] } }),
    (e) => e instanceof AppSetInvalid && /generated no parameters/.test(e.message),
  );
});

// argo-cd applicationset/generators/merge_test.go TestMergeGenerate
test('merge: the base sets, overridden by later generators with the same merge key (merge_test.go)', () => {
  const merge = (mergeKeys: string[], ...generators: JsonObject[]) => params({ merge: { mergeKeys, generators } });
  assert.deepEqual(
    merge(
      ['b'],
      list({ a: '1_1', b: 'same', c: '1_3' }),
      list({ a: '2_1', b: 'same' }),
      list({ a: '3_1', b: 'different', c: '3_3' }),
    ),
    [{ a: '2_1', b: 'same', c: '1_3' }],
  );
  assert.deepEqual(merge(['b'], list({ a: 'a' }), list({ a: 'a' })), [{ a: 'a' }]);
  assert.deepEqual(merge(['b'], list({ a: 'a' }), list({ b: 'b' })), [{ a: 'a' }]);
  const nestedMatrix = { matrix: { generators: [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })] } };
  assert.deepEqual(merge(['a', 'b'], nestedMatrix, list({ a: '1', b: '1', c: 'added' })), [
    { a: '1', b: '1', c: 'added' },
    { a: '1', b: '2' },
    { a: '2', b: '1' },
    { a: '2', b: '2' },
  ]);
  const nestedMerge = {
    merge: {
      mergeKeys: ['a'],
      generators: [
        list({ a: '1', b: '1' }, { a: '2', b: '2' }),
        list({ a: '1', b: '3', c: 'added' }, { a: '3', b: '2' }),
      ],
    },
  };
  assert.deepEqual(merge(['a', 'b'], nestedMerge, list({ a: '1', b: '3', d: 'added' })), [
    { a: '1', b: '3', c: 'added', d: 'added' },
    { a: '2', b: '2' },
  ]);
  assert.throws(() => merge(['b'], list({ a: '1' })), AppSetInvalid);
  assert.throws(() => merge([], list({ a: '1' }), list({ a: '2' })), /no merge keys/);
  assert.throws(() => merge(['a'], list({ a: '1' }, { a: '1' }), list({ a: '2' })), /not unique/);
});

// generator_spec_processor.go Transform: the selector filters the flattened parameters.
test('selector: keeps the sets whose flattened params match (matchLabels, matchExpressions)', () => {
  const gen = (selector: unknown, goTemplate = false) =>
    params(
      {
        list: { elements: [{ env: 'prod', m: { tier: 'a' } }, { env: 'dev', m: { tier: 'b' } }, { env: 'qa' }] },
        selector,
      },
      goTemplate,
    );
  assert.throws(() => gen({ matchLabels: { env: 'prod' } }), AppSetInvalid); // default style: nested values are an error
  assert.deepEqual(
    gen({ matchLabels: { env: 'prod' } }, true).map((p) => p.env),
    ['prod'],
  );
  assert.deepEqual(
    gen({ matchExpressions: [{ key: 'm.tier', operator: 'In', values: ['a', 'b'] }] }, true).map((p) => p.env),
    ['prod', 'dev'],
  );
  assert.deepEqual(
    gen({ matchExpressions: [{ key: 'm.tier', operator: 'DoesNotExist' }] }, true).map((p) => p.env),
    ['qa'],
  );
  assert.throws(() => gen({ matchExpressions: [{ key: 'env', operator: 'Bogus' }] }, true), AppSetInvalid);
});

test('an ApplicationSet with a matrix of a git directory and a list generator (list-and-git example)', () => {
  const r = generateApplications(
    appSetObject(
      appSetYaml(`  goTemplate: false
  generators:
  - matrix:
      generators:
      - git: {repoURL: ${REPO}, revision: HEAD, directories: [{path: 'addons/*'}]}
      - list: {elements: [{cluster: a, url: 'https://a'}, {cluster: b, url: 'https://b'}]}
  template:
    metadata: {name: '{{path.basename}}-{{cluster}}'}
    spec: {project: default, destination: {server: '{{url}}', namespace: '{{path.basename}}'}}
`),
    ),
    repoOf({ 'addons/x/f': '', 'addons/y/f': '' }),
    {},
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.apps.map((a) => (a.body.metadata as { name: string }).name),
    ['x-a', 'x-b', 'y-a', 'y-b'],
  );
});
