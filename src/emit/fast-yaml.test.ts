// fastYaml writes exactly what the yaml package writes, or declines (issue 13 "Speed"). Pure, in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { K8S_YAML, K8S_YAML_STRINGIFY } from '../util/k8s-yaml';
import { fastYaml } from './fast-yaml';

const reference = (v: unknown): string => stringify(v, K8S_YAML_STRINGIFY);

// Pieces that change how a string must be written: YAML 1.1 booleans and nulls, numbers in every Go
// syntax, indicators, comment marks, document markers, quotes, blanks and line breaks in every place.
const PIECES = [
  'a',
  'web',
  'yes',
  'No',
  'on',
  'y',
  '~',
  'null',
  'true',
  '0644',
  '1e3',
  '0x1F',
  '.5',
  '1_000',
  '12:30',
  '2024-01-01',
  '-',
  '?',
  ':',
  ': ',
  '#',
  ' #',
  '---',
  '...',
  '%',
  '@',
  '`',
  '!',
  '&',
  '*',
  '|',
  '>',
  "'",
  '"',
  '\\',
  ',',
  '[',
  '{',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r',
  '\x01',
  'é',
  '世',
  '\ud800',
  '<<',
  '=',
];
const tricky = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((a) => a.join(''));
// Everyday text too, so most values are in the subset and the comparison covers its answers.
const WORDS = ['web', 'app.kubernetes.io/name', 'nginx:1.27', 'a b', 'x-1', 'line', '8080', 'v1', '/healthz'];
const everyday = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
  .chain((ws) => fc.constantFrom(' ', '-', '\n', '_').map((sep) => ws.join(sep)));
const str = fc.oneof({ arbitrary: tricky, weight: 1 }, { arbitrary: everyday, weight: 8 });
const scalar = fc.oneof(
  { arbitrary: str, weight: 6 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0, 1.5, 2 ** 60, -1e21, Number.MAX_SAFE_INTEGER), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('v'), { maxLength: 4 }),
  map: fc.dictionary(str, tie('v'), { maxKeys: 4 }),
})).map;

test('fastYaml equals the yaml package whenever it answers', () => {
  let answered = 0;
  fc.assert(
    fc.property(value, (v) => {
      const fast = fastYaml(v);
      if (fast !== undefined) {
        answered++;
        assert.equal(fast, reference(v));
      }
    }),
    { seed: 20261130, numRuns: 5000 },
  );
  assert.ok(answered > 700, `the comparison must cover many answers, covered ${answered}`);
});

test('fastYaml answers for everyday manifests, and they read back to the same values', () => {
  const bodies = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod', labels: { 'app.kubernetes.io/name': 'web' }, annotations: {} },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27.2',
                args: ['--port=8080', '--feature-gates=Foo=true,Bar=false'],
                env: [{ name: 'A', value: 'yes' }, { name: 'B', value: '' }, { name: 'C' }],
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
              },
            ],
            volumes: [],
            securityContext: { runAsNonRoot: true },
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: {
        'nginx.conf': 'server {\n  listen 8080;\n\n  # comment\n}\n',
        'a.json': '{\n  "x": 1\n}',
        mode: '0644',
        on: 'true',
        'with space': 'a b: c',
        empty: '',
      },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' }, spec: null },
  ];
  for (const b of bodies) {
    const fast = fastYaml(b);
    assert.ok(fast !== undefined, `declined ${JSON.stringify(b)}`);
    assert.equal(fast, reference(b));
    assert.deepEqual(parse(fast, K8S_YAML), b);
  }
});

test('fastYaml declines what it does not cover: not a mapping, floats, bigints, escapes', () => {
  for (const v of [[1], 'x', null, { a: 1.5 }, { a: BigInt(1) << BigInt(60) }, { a: 'x\x01' }, { a: ' lead\n' }])
    assert.equal(fastYaml(v), undefined);
  assert.equal(fastYaml({}), reference({}));
});
