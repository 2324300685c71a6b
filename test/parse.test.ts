// The stream Argo CD gets holds exactly what Kubernetes would read from the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, parseJsonStream, render } from './helpers';

function renderOne(yaml: string): Record<string, unknown>[] {
  const repo = makeRepo({ 'app/a.yaml': yaml });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  return parseJsonStream(r.stdout);
}

test('YAML 1.1 scalars resolve as sigs.k8s.io/yaml resolves them', () => {
  const [cm] = renderOne(
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: scalars',
      'spec:',
      '  yes: yes',
      '  off: off',
      '  octal: 0755',
      '  hex: 0x1F',
      '  float: 1.5',
      '  null1: ~',
      '  port: 22:22',
      '  date: 2024-01-02',
      '  quoted: "yes"',
      '  big: 1_000',
      '',
    ].join('\n'),
  );
  assert.deepEqual(cm!.spec, {
    true: true,
    false: false,
    octal: 493,
    hex: 31,
    float: 1.5,
    null1: null,
    port: '22:22',
    date: '2024-01-02',
    quoted: 'yes',
    big: 1000,
  });
});

test('documents keep file order, files are sorted by path, empty and null documents are dropped', () => {
  const repo = makeRepo({
    'app/b.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b1}\n---\n---\n# only a comment\n---\nnull\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b2}\n',
    'app/a.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'app/A.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"upper"}}',
    'app/notes.txt': 'not a manifest',
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    parseJsonStream(r.stdout).map((o) => (o.metadata as { name: string }).name),
    ['upper', 'a', 'b1', 'b2'],
  );
});

test('any object with an items array is flattened like Argo CD does, with item lines', () => {
  const repo = makeRepo({
    'app/list.yaml':
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n  data: {x: "1"}\n',
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[duplicate-object\] ConfigMap ns\/one \(app\/list\.yaml:4, app\/list\.yaml:7\)/);
});

test('merge keys are applied', () => {
  const [cm] = renderOne(
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\nbase: &b {a: 1, b: 2}\ndata:\n  <<: *b\n  b: "3"\n',
  );
  assert.deepEqual(cm!.data, { a: 1, b: '3' });
});

test('hidden files and folders are never read, and only top-level files without recurse', () => {
  const repo = makeRepo({
    'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'app/.hidden.yaml': 'not: [valid',
    'app/.safe-render/lock.yaml': 'not: [valid',
    'app/sub/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('recurse with include and exclude globs, {a,b} braces and ** work', () => {
  const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
  const repo = makeRepo({
    'app/safe-render.yaml':
      'recurse: true\ninclude: "{base,prod}/**/*.yaml"\nexclude: ["**/*-test.yaml", "prod/skip/*"]\n',
    'app/base/a.yaml': cm('a'),
    'app/base/deep/b.yaml': cm('b'),
    'app/base/a-test.yaml': cm('test'),
    'app/prod/c.yaml': cm('c'),
    'app/prod/skip/d.yaml': cm('d'),
    'app/dev/e.yaml': cm('e'),
    'app/top.yaml': cm('top'),
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    parseJsonStream(r.stdout).map((o) => (o.metadata as { name: string }).name),
    ['a', 'b', 'c'],
  );
});

test('a pattern without a slash matches files in every folder, as in Argo CD', () => {
  const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
  const repo = makeRepo({
    'app/safe-render.yaml': 'recurse: true\nexclude: "*.json"\n',
    'app/x/a.yaml': cm('a'),
    'app/x/b.json': '{"nope": [',
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('--output yaml prints documents that read back to the same objects', () => {
  const yaml =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yy\ndata:\n  a: "yes"\n  b: "0755"\n  c: "22:22"\n  d: "multi\\nline"\n';
  const repo = makeRepo({ 'app/a.yaml': yaml });
  const json = render(repo, 'app', ['-n', 'ns']);
  const asYaml = render(repo, 'app', ['-n', 'ns', '--output', 'yaml']);
  assert.equal(asYaml.code, 0);
  const again = makeRepo({ 'app/a.yaml': asYaml.stdout });
  assert.equal(render(again, 'app', ['-n', 'ns']).stdout, json.stdout);
});
