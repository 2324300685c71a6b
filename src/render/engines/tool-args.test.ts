// The checks on values that reach a tool's argv (issue 8 §1), in-process: helm's release name rule,
// and that nothing accepted can start with "-" or hold a character helm would split on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RenderFailure } from '../../util/errors';
import {
  checkApiVersion,
  checkChartVersion,
  checkKubeVersion,
  checkNamespace,
  checkPathArg,
  checkPlainArg,
  checkReleaseName,
  checkSetKey,
  checkSetValue,
  shown,
} from './tool-args';

const accepts = (f: (v: string, what: string) => string, v: string) => {
  try {
    f(v, 'x');
    return true;
  } catch (e) {
    assert.ok(e instanceof RenderFailure, String(e));
    assert.ok(!(e as Error).message.includes('\n'), 'one line');
    return false;
  }
};

test("release names: helm's ValidateReleaseName (DNS-1123 labels with dots, at most 53)", () => {
  for (const v of ['a', 'web', 'my-rel.v2', '1st', 'a'.repeat(53), 'a.b.c']) assert.ok(accepts(checkReleaseName, v), v);
  for (const v of [
    '',
    '-h',
    '--post-renderer=/bin/sh',
    'a'.repeat(54),
    'Web',
    'a_b',
    'a-',
    '.a',
    'a..b',
    'a b',
    'a\n',
    'a=b',
    'é',
  ])
    assert.ok(!accepts(checkReleaseName, v), JSON.stringify(v));
});

test('property: no accepted value starts with "-" or holds a comma, "=", space or control character', () => {
  const checks = [checkReleaseName, checkNamespace, checkKubeVersion, checkApiVersion, checkSetKey];
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom(...checks), (v, check) => {
      if (!accepts(check, v)) return true;
      return !v.startsWith('-') && !/[,=\s\u0000-\u001f\u007f]/.test(v);
    }),
    { seed: 8001, numRuns: 5000 },
  );
});

test('versions and API versions as Argo CD sends them are accepted', () => {
  for (const v of ['1.29.3', 'v1.31.4', '1.29.3+k3s1', '1.28.5-gke.1217000', '1.29'])
    assert.ok(accepts(checkKubeVersion, v), v);
  for (const v of ['v1', 'v1/ConfigMap', 'apps/v1', 'apps/v1/Deployment', 'cert-manager.io/v1/ClusterIssuer'])
    assert.ok(accepts(checkApiVersion, v), v);
  for (const v of ['-1', '1.2.3 x', 'v1,v2', '"v1"', 'a/b/c/d'])
    assert.ok(!accepts(checkApiVersion, v) || !accepts(checkKubeVersion, v), v);
});

test('paths for --values may not hold a comma (helm splits them); --set keys are value paths', () => {
  assert.ok(accepts(checkPathArg, '/repo/app/values-prod.yaml'));
  assert.ok(!accepts(checkPathArg, '/repo/app/v,/etc/passwd'));
  assert.ok(!accepts(checkPathArg, '/repo/app/v\n'));
  for (const k of ['image.tag', 'a[0].b', 'a\\.b', 'x_y-z']) assert.ok(accepts(checkSetKey, k), k);
  for (const k of ['-a', 'a,b', 'a=b', 'a b', '']) assert.ok(!accepts(checkSetKey, k), k);
});

test('a value in a message is quoted, escaped and truncated', () => {
  assert.equal(shown('a\nb'), '"a\\nb"');
  assert.equal(shown('\u202eevil'), '"\\u202eevil"');
  assert.ok(shown('x'.repeat(500)).length < 70);
});

test('tables: what each check accepts and refuses', () => {
  const rows: Array<[(v: string, what: string) => string, string, boolean]> = [
    [checkNamespace, 'default', true],
    [checkNamespace, 'kube-system', true],
    [checkNamespace, 'a'.repeat(63), true],
    [checkNamespace, 'a'.repeat(64), false],
    [checkNamespace, 'a.b', false], // a label, not a subdomain
    [checkNamespace, '', false],
    [checkNamespace, '-a', false],
    [checkKubeVersion, '1', true],
    [checkKubeVersion, 'v1.31', true],
    [checkKubeVersion, '1.31.4-eks-a1b2c3', true],
    [checkKubeVersion, '1.2.3.4', false],
    [checkKubeVersion, 'latest', false],
    [checkKubeVersion, '', false],
    [checkChartVersion, '1.2.3', true],
    [checkChartVersion, '^1.2', true],
    [checkChartVersion, '>=1.0.0<2.0.0', true],
    [checkChartVersion, '1.x', true],
    [checkChartVersion, '*', true],
    [checkChartVersion, '-1', false],
    [checkChartVersion, '1.0 || 2.0', false],
    [checkChartVersion, '1,2', false],
    [checkChartVersion, '', false],
    [checkChartVersion, '1'.repeat(129), false],
    [checkPlainArg, 'any text, with spaces = and commas', true],
    [checkPlainArg, '', true],
    [checkPlainArg, 'tab\there', false],
    [checkPlainArg, 'del\u007f', false],
    [checkPlainArg, 'x'.repeat(4097), false],
    [checkSetValue, 'a,b\nc', true],
    [checkSetValue, '--flag', true],
    [checkSetValue, 'nul\0', false],
    [checkSetValue, 'x'.repeat(1024 * 1024 + 1), false],
    [checkApiVersion, 'v1/ConfigMap', true],
    [checkApiVersion, 'a/b/c/d', false],
    [checkApiVersion, '/v1', false],
    [checkApiVersion, 'v1 ', false],
  ];
  for (const [check, v, ok] of rows)
    assert.equal(accepts(check, v), ok, `${check.name}(${JSON.stringify(v.slice(0, 40))})`);
});

test('a refusal names what was refused and where, and offers a fix', () => {
  try {
    checkReleaseName('-x', 'release name', 'apps/web');
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof RenderFailure);
    assert.match(e.message, /^release name "-x" is not a valid helm release name/);
    assert.equal(e.where, 'apps/web');
    assert.ok(e.fix);
  }
});
