// Issue 9 §1: numbers keep their value. Kubernetes reads a number with go-yaml v2 (int64, else uint64,
// else float64), writes JSON and reads it back into unstructured as int64 when it fits, else float64.
// What Argo CD reads from our stdout (the harness's independent go-yaml model, test/harness/manifests.ts)
// must hold, for every literal, the value Kubernetes would keep reading the source itself: integers in
// int64 with every digit (9223372036854775807 used to come out as 9223372036854776000), the rest as
// the same float64. Text that is not a number for go-yaml (1e400, 0x1_0000_0000_0000_0000) stays text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, render, writeFiles } from './helpers';
import { goYamlV2Plain, parsePluginOutput } from './harness/manifests';
import { generate, lock, readLock } from './lock-helpers';

const NS = ['--namespace', 'prod'];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** apimachinery's reading of go-yaml's value after a JSON round trip: int64 stays, everything else
 * numeric is a float64; safe integers are compared as numbers. */
function unstructured(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= INT64_MIN &&
      v <= INT64_MAX &&
      (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      ? v
      : Number(v);
  if (Object.is(v, -0)) return 0;
  // A float64 with an integral value in int64 range is written by json.Marshal without a fraction and
  // read back as int64 (123456789012345678.5 becomes the int64 123456789012345680).
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && v >= -(2 ** 63) && v < 2 ** 63)
    return BigInt(v);
  return v;
}

const LITERALS = [
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775806',
  '9007199254740993',
  '-9007199254740993',
  '9007199254740992',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999',
  '0x7FFFFFFFFFFFFFFF',
  '0xFFFFFFFFFFFFFFFF',
  '0x10000000000000000',
  '0o777777777777777777777',
  '0777777777777777777777',
  '0b111111111111111111111111111111111111111111111111111111111111111',
  '1_000_000_000_000_000_001',
  '+9223372036854775807',
  '-0',
  '0',
  '42',
  '1e3',
  '1E21',
  '1e400',
  '-1e400',
  '1.5e300',
  '2.5e-7',
  '123456789012345678.5',
  '9.223372036854775807e18',
  '.5',
  '-.5e3',
  '1e-400',
  '4.9e-324',
];

function renderNumbers(format: 'json' | 'yaml'): { value: Record<string, unknown>; stdout: string } {
  const data = LITERALS.map((l, i) => `  n${i}: ${l}\n`).join('');
  const list = LITERALS.map((l) => `    - ${l}\n`).join('');
  const repo = makeRepo({
    'apps/web/cm.yaml': `apiVersion: example.com/v1\nkind: Numbers\nmetadata:\n  name: nums\nspec:\n${data}  list:\n${list}`,
  });
  const r = render(repo, 'apps/web', [...NS, '--output', format]);
  assert.equal(r.code, 0, r.stderr);
  const argo = parsePluginOutput(r.stdout.replace(/\n$/, ''));
  assert.equal(argo.error, undefined, argo.error);
  assert.equal(argo.objects.length, 1);
  return { value: argo.objects[0]!.spec as Record<string, unknown>, stdout: r.stdout };
}

for (const format of ['json', 'yaml'] as const) {
  test(`exact numbers (${format}): Argo CD reads from our output the value Kubernetes keeps from the source, for every literal`, () => {
    const { value } = renderNumbers(format);
    const list = value.list as unknown[];
    LITERALS.forEach((literal, i) => {
      const expected = unstructured(goYamlV2Plain(literal));
      assert.deepEqual(unstructured(value[`n${i}`]), expected, `${literal} (in a map)`);
      assert.deepEqual(unstructured(list[i]), expected, `${literal} (in a list)`);
    });
  });
}

test('exact numbers: int64 extremes are written digit for digit, never rounded', () => {
  const { stdout } = renderNumbers('json');
  assert.match(stdout, /"n0":9223372036854775807,/);
  assert.match(stdout, /"n1":-9223372036854775808,/);
  assert.match(stdout, /"n3":9007199254740993,/);
  assert.match(stdout, /"n11":9223372036854775807,/); // 0x7FFFFFFFFFFFFFFF
  assert.doesNotMatch(stdout, /9223372036854776000,"n1"/);
  const yaml = renderNumbers('yaml').stdout;
  assert.match(yaml, /^ {2}n0: 9223372036854775807$/m);
  assert.match(yaml, /^ {2}n4: -9007199254740993$/m);
});

test('exact numbers: small and ordinary numbers are unchanged (the usual path)', () => {
  const repo = makeRepo({
    'apps/web/d.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  x: 1.5\n  w: -7\n  z: 1e3\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"spec":\{"replicas":3,"x":1\.5,"w":-7,"z":1000\}/);
});

test('exact numbers: a big integer in a locked Application field is written to the lock without a crash', () => {
  const repo = makeRepo({
    'apps/web/app.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: child\nspec:\n  project: default\n  destination: {server: "https://kubernetes.default.svc", namespace: child}\n  source: {repoURL: "https://git.example.com/x.git", path: child, targetRevision: main}\n  syncPolicy:\n    retry: {limit: 9223372036854775807}\n',
  });
  const app = { name: 'web', path: 'apps/web', namespace: 'prod' };
  const locked = lock(repo, app);
  assert.equal(locked.code, 0, locked.stderr);
  assert.match(readLock(repo, 'web'), /"limit":9223372036854775807/);
  const r = generate(repo, app);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"limit":9223372036854775807/);
});

test('exact numbers: a map key that is a float or an integer beyond int64 is refused (sigs.k8s.io/yaml writes it differently, or refuses it)', () => {
  for (const key of [
    '1e6',
    '1.0',
    '.5',
    '-2.5e-3',
    '9223372036854775808',
    '18446744073709551615',
    '0xFFFFFFFFFFFFFFFF',
    '!!float 3',
    '1_000.5',
  ]) {
    const repo = makeRepo({
      'apps/web/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ok: x\n  ${key}: x\n`,
    });
    const r = render(repo, 'apps/web', NS);
    assert.equal(r.code, 2, `${key}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^error\[render-failed\] apps\/web\/cm\.yaml:7: a map key is the number .*Fix: quote the key/m,
      key,
    );
  }
});

test('exact numbers: integer keys within int64, and quoted keys, keep their text', () => {
  const repo = makeRepo({
    'apps/web/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  12: a\n  0x10: b\n  -9223372036854775808: c\n  9223372036854775807: d\n  "1e6": e\n  "1.0": f\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /"data":\{"12":"a","16":"b","-9223372036854775808":"c","9223372036854775807":"d","1e6":"e","1\.0":"f"\}/,
  );
});

test('exact numbers: a patch applies to an object that holds a big integer, which keeps every digit', () => {
  const repo = makeRepo({
    'apps/web/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "1"}\nx: 9223372036854775807\nshared: &s {k: 1}\nother: *s\n',
    'apps/web/safe-render.yaml':
      'patches:\n- target: {kind: ConfigMap, name: c}\n  patch:\n  - {op: add, path: /data/b, value: "2"}\n  - {op: replace, path: /shared/k, value: 2}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  // Each alias is its own copy, as Kubernetes reads it: patching one leaves the other.
  assert.match(r.stdout, /"data":\{"a":"1","b":"2"\},"x":9223372036854775807,"shared":\{"k":2\},"other":\{"k":1\}/);
});

// The lock reader kept JSON.parse: 9007199254740993 came back as ...992, so a lock written from this very
// render was "out of date", and a change of the last digit was "up to date" (review9).
test('exact numbers: a lock holding a big integer reads back exactly: up to date when equal, a change in the last digit is seen', () => {
  const appYaml = (n: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: child\nspec:\n  project: default\n  destination: {server: "https://kubernetes.default.svc", namespace: child}\n  source: {repoURL: "https://git.example.com/x.git", path: child, targetRevision: main}\n  syncPolicy:\n    retry: {limit: ${n}, backoff: {duration: "5s", factor: 2, maxDuration: "3m"}}\n`;
  const app = { name: 'web', path: 'apps/web', namespace: 'prod' };
  for (const [was, now] of <Array<[string, string]>>[
    ['9007199254740993', '9007199254740992'],
    ['9223372036854775807', '9223372036854775806'],
    ['-9007199254740993', '-9007199254740994'],
    ['0x7FFFFFFFFFFFFFFF', '9223372036854775806'],
  ]) {
    const repo = makeRepo({ 'apps/web/app.yaml': appYaml(was) });
    assert.equal(lock(repo, app).code, 0);
    const same = lock(repo, app, ['--check']);
    assert.equal(same.code, 0, `${was}: ${same.stderr}`);
    assert.match(same.stderr, /is up to date/);
    writeFiles(repo, { 'apps/web/app.yaml': appYaml(now) });
    const changed = lock(repo, app, ['--check']);
    assert.equal(changed.code, 1, `${was} -> ${now}: ${changed.stderr}`);
    assert.match(changed.stderr, /^error\[lock-stale\]/m);
  }
});
