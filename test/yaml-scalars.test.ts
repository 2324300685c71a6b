// Plain scalars mean what they mean to Kubernetes (sigs.k8s.io/yaml: go-yaml v2, YAML 1.1 booleans,
// Go number syntax), not what a generic YAML 1.1 reader makes of them. Regression: the `yaml` package's
// 1.1 schema read `.`, `e9` or `-e1` as NaN, which the JSON stream carried as null, so an Application
// with `path: .` rendered with `"path":null`; and it left `0o17`, `0X1F` or `08` as strings.
// The expected values below are checked against Kubernetes' own reader (test/k8s-reader.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, manifest, parseJsonStream, render } from './helpers';
import { kubernetesReads, splitYamlStream } from './k8s-reader';

/** [YAML source of a value, what Kubernetes reads, why it is here] */
const SCALARS: Array<[string, unknown, string]> = [
  ['.', '.', 'a lone dot is text (Application spec.source.path)'],
  ['-.', '-.', 'sign and dot only'],
  ['._', '._', 'dot and underscore only'],
  ['e9', 'e9', 'an exponent without a mantissa is text'],
  ['E10', 'E10', 'same, upper case'],
  ['-e1', '-e1', 'same, signed'],
  ['.e1', '.e1', 'same, with a dot'],
  ['0o17', 15, 'Go octal prefix'],
  ['0O17', 15, 'Go octal prefix, upper case'],
  ['0X1F', 31, 'hex prefix, upper case'],
  ['0x_1F', 31, 'underscores are dropped anywhere'],
  ['0B101', 5, 'binary prefix, upper case'],
  ['-_1', -1, 'underscore after the sign'],
  ['0_', 0, 'trailing underscore'],
  ['0_7', 7, 'leading-zero octal with an underscore'],
  ['1_000', 1000, 'digit separators'],
  ['0777', 511, 'YAML 1.1 octal (file modes)'],
  ['08', 8, 'not octal, so a float'],
  ['0778', 778, 'not octal, so a float'],
  ['1e3', 1000, 'exponent without a dot'],
  ['.5', 0.5, 'leading dot'],
  ['-.5', -0.5, 'signed leading dot'],
  ['1.', 1, 'trailing dot'],
  ['1_2.5', 12.5, 'separators in a float'],
  ['+12', 12, 'plus sign'],
  ['+0x10', 16, 'plus sign and hex'],
  ['18446744073709551615', 18446744073709551615, 'uint64 max is still a number'],
  ['0x1FFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFF', 'hex beyond uint64 stays text'],
  ['1e400', '1e400', 'a float beyond float64 stays text'],
  ['12:30:00', '12:30:00', 'base 60 is text'],
  ['190:20:30.15', '190:20:30.15', 'base 60 float is text'],
  ['2024-01-01', '2024-01-01', 'dates are text'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00', 'timestamps are text'],
  ['yes', true, 'YAML 1.1 boolean'],
  ['y', true, 'YAML 1.1 boolean, one letter'],
  ['On', true, 'YAML 1.1 boolean'],
  ['n', false, 'YAML 1.1 boolean, one letter'],
  ['OFF', false, 'YAML 1.1 boolean'],
  ['tRUE', 'tRUE', 'mixed case is text'],
  ['~', null, 'null'],
  ['Null', null, 'null'],
  ['"0o17"', '0o17', 'quoted is always text'],
  ['!!binary aGVsbG8=', 'hello', 'binary is decoded to a string'],
  ['!!set {x, y}', { x: null, true: null }, 'a set is a map with null values (y is a boolean key)'],
  ['!!omap [{x: 1}, {y: 2}]', [{ x: 1 }, { true: 2 }], 'an omap is a list of maps'],
  ['!!float 1', 1, 'explicit float of an integer'],
  ['!!int "12"', 12, 'explicit int of a quoted string'],
  ['!!str yes', 'yes', 'explicit string'],
];

function scalarsDoc(): string {
  return manifest('Example', 'scalars', {
    apiVersion: 'example.com/v1',
    body: `spec:\n${SCALARS.map(([src], i) => `  k${i}: ${src}`).join('\n')}`,
  });
}

const SCOPES = 'scopes: {"example.com/Example": Namespaced}\n';

function expectedSpec(): Record<string, unknown> {
  return Object.fromEntries(SCALARS.map(([, v], i) => [`k${i}`, v]));
}

test('plain scalars render to the values Kubernetes reads', () => {
  const repo = makeRepo({ 'app/scalars.yaml': scalarsDoc(), 'app/safe-render.yaml': SCOPES });
  const r = render(repo, 'app', ['--namespace', 'demo']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = parseJsonStream(r.stdout);
  const spec = (obj as { spec: Record<string, unknown> }).spec;
  for (const [i, [src, want, why]] of SCALARS.entries()) {
    assert.deepEqual(spec[`k${i}`], want, `\`${src}\` (${why})`);
  }
});

test('the expected values are what Kubernetes itself reads (sigs.k8s.io/yaml via helm fromYaml)', () => {
  const [read] = kubernetesReads([scalarsDoc()]);
  assert.deepEqual((read as { spec: unknown }).spec, expectedSpec());
});

test('the YAML output reads back in Kubernetes to the same values (strings that look like numbers are quoted)', () => {
  const repo = makeRepo({ 'app/scalars.yaml': scalarsDoc(), 'app/safe-render.yaml': SCOPES });
  const r = render(repo, 'app', ['--namespace', 'demo', '--output', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  const [read] = kubernetesReads(splitYamlStream(r.stdout));
  assert.deepEqual((read as { spec: unknown }).spec, expectedSpec());
});

test('an Application with `path: .` keeps its path (it rendered as null)', () => {
  const app = manifest('Application', 'root', {
    body: 'spec:\n  project: default\n  source:\n    repoURL: https://example.com/repo.git\n    path: .\n  destination:\n    namespace: demo\n    server: https://kubernetes.default.svc',
  });
  const repo = makeRepo({ 'app/app.yaml': app });
  const r = render(repo, 'app', ['--namespace', 'demo']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = parseJsonStream(r.stdout) as Array<{ spec: { source: { path: unknown } } }>;
  assert.equal(obj!.spec.source.path, '.');
});

test('keys like e1 and e2 are distinct strings (they all became one "NaN" key)', () => {
  const repo = makeRepo({
    'app/cm.yaml': manifest('ConfigMap', 'tiers', { body: 'data:\n  e1: gold\n  e2: silver\n  E5: bronze' }),
  });
  const r = render(repo, 'app', ['--namespace', 'demo']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = parseJsonStream(r.stdout);
  assert.deepEqual(obj!.data, { e1: 'gold', e2: 'silver', E5: 'bronze' });
});
