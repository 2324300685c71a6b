// A generator's selector as Argo CD applies it to parameter sets (applicationset/utils/selector.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenParams, isQualifiedName, parseSelector, selectorMatches } from './label-selector';

function verdict(selector: unknown, params: unknown): string {
  const sel = parseSelector(selector);
  if ('invalid' in sel) return 'invalid';
  return selectorMatches(sel, params).kind;
}

test('parseSelector: what Argo CD rejects is invalid, never a match', () => {
  for (const bad of [
    { matchLabels: { 'bad key!': 'x' } },
    { matchLabels: { '': 'x' } },
    { matchLabels: { env: 1 } },
    { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['a'] }] },
    { matchExpressions: [{ key: 'env', operator: 'in', values: ['a'] }] },
    { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] },
    { matchExpressions: [{ key: 'env', operator: 'NotIn' }] },
    { matchExpressions: [{ key: 'env', operator: 'Exists', values: ['a'] }] },
    { matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] },
    'env=prod',
    [],
  ])
    assert.equal(verdict(bad, { env: 'prod' }), 'invalid', JSON.stringify(bad));
});

test('selectorMatches: matchLabels and matchExpressions, as Requirement.Matches reads them', () => {
  const rows: [unknown, unknown, string][] = [
    [{}, { env: 'prod' }, 'match'],
    [{ matchLabels: {} }, {}, 'match'],
    [{ matchLabels: { env: 'prod' } }, { env: 'prod' }, 'match'],
    [{ matchLabels: { env: 'prod' } }, { env: 'staging' }, 'no-match'],
    [{ matchLabels: { env: 'prod' } }, {}, 'no-match'],
    [{ matchLabels: { env: 'prod', tier: 'web' } }, { env: 'prod' }, 'no-match'],
    // Values are not validated: cluster URLs match (Argo CD's reason for its copy of the selector).
    [{ matchLabels: { server: 'https://k8s.example:6443' } }, { server: 'https://k8s.example:6443' }, 'match'],
    [{ matchLabels: { 'values.region': 'eu' } }, { values: { region: 'eu' } }, 'match'],
    [{ matchLabels: { 'list.1': 'b' } }, { list: ['a', 'b'] }, 'match'],
    [{ matchLabels: { flag: 'true' } }, { flag: true }, 'match'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'qa'] }] }, { env: 'qa' }, 'match'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, {}, 'no-match'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {}, 'match'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, { env: 'prod' }, 'no-match'],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { env: '' }, 'match'],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { env: 'x' }, 'no-match'],
    // An empty map or list leaves no label behind (flatten drops it).
    [{ matchExpressions: [{ key: 'meta', operator: 'Exists' }] }, { meta: {} }, 'no-match'],
    // Go prints a number with %v; we do not guess it, unless another requirement already fails.
    [{ matchLabels: { replicas: '3' } }, { replicas: 3 }, 'unknown'],
    [{ matchLabels: { replicas: '3', env: 'prod' } }, { replicas: 3, env: 'dev' }, 'no-match'],
    [{ matchExpressions: [{ key: 'replicas', operator: 'Exists' }] }, { replicas: 3 }, 'match'],
  ];
  for (const [sel, params, want] of rows)
    assert.equal(verdict(sel, params), want, `${JSON.stringify(sel)} on ${JSON.stringify(params)}`);
});

test('isQualifiedName and flattenParams', () => {
  assert.ok(isQualifiedName('app.kubernetes.io/instance'));
  assert.ok(isQualifiedName('a'.repeat(63)));
  assert.ok(!isQualifiedName('a'.repeat(64)));
  assert.ok(!isQualifiedName('-a'));
  assert.ok(!isQualifiedName('Example.com/a'));
  assert.deepEqual(
    [...flattenParams({ a: { b: ['x', { c: 'y' }] }, d: null })],
    [
      ['a.b.0', 'x'],
      ['a.b.1.c', 'y'],
      ['d', null],
    ],
  );
});
