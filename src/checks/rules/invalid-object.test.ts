// invalid-object: every document must be a Kubernetes object with apiVersion, kind and a valid
// metadata.name (or generateName). One bad document refuses the whole render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, render, type RunResult } from '../../../test/helpers';

const NS = ['--namespace', 'prod'];

/** Exit 1, nothing on stdout, and exactly one invalid-object line for `where` (object optional). */
function refusedAt(r: RunResult, where: string, object?: string): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const lines = findingLines(r.stderr, 'invalid-object').filter((l) => l.includes(`(${where}): `));
  assert.equal(lines.length, 1, `expected one invalid-object finding at ${where}:\n${r.stderr}`);
  const line = lines[0]!;
  assert.ok(
    line.startsWith(object ? `error[invalid-object] ${object} (${where}): ` : `error[invalid-object] (${where}): `),
    line,
  );
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/invalid-object\.md\)$/);
  return line;
}

test('invalid-object: a Deployment with an invalid namespace is refused, named by group/Kind namespace/name', () => {
  const repo = makeRepo({
    'apps/web/ok.yaml': manifest('ConfigMap', 'settings'),
    'apps/web/web.yaml': manifest('Deployment', 'web', { namespace: 'Bad_NS' }),
  });
  const r = render(repo, 'apps/web', NS);
  const line = refusedAt(r, 'apps/web/web.yaml:1', 'apps/Deployment Bad_NS/web');
  assert.match(line, /metadata\.namespace "Bad_NS" is not a valid namespace name/);
  assert.match(line, /Fix: .*namespace/);
  assert.match(r.stderr, /safe-render: refused: 1 error; nothing was emitted/);
});

test('invalid-object: a scalar document is refused at its line', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': `${manifest('ConfigMap', 'settings')}---\njust a string\n` });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:6');
  assert.match(line, /the document is a string, not an object/);
});

test('invalid-object: a YAML list document is refused (only objects with items: are Lists)', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n' });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1');
  assert.match(line, /the document is a list, not an object/);
});

test('invalid-object: a document without kind is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': 'apiVersion: v1\nmetadata:\n  name: settings\ndata: {a: b}\n' });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1');
  assert.match(line, /kind is missing/);
});

test('invalid-object: a document without apiVersion is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': 'kind: ConfigMap\nmetadata:\n  name: settings\n' });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1', 'ConfigMap settings');
  assert.match(line, /apiVersion is missing/);
});

test('invalid-object: an object without metadata.name (and no generateName) is refused', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  namespace: prod\nspec: {}\n',
  });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1', 'apps/Deployment prod/(unnamed)');
  assert.match(line, /metadata\.name is missing/);
});

test('invalid-object: a name that is not a string (YAML 1.1 reads `yes` as true) is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yes\n' });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1', 'ConfigMap (unnamed)');
  assert.match(line, /metadata\.name must be a string, not a boolean \(true\)/);
  assert.match(line, /Fix: set metadata\.name to a valid name .*quote/);
});

test('invalid-object: a name with a slash is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a/b') });
  // Quoted, so the slash cannot be read as namespace/name.
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/a.yaml:1', 'ConfigMap "a/b"');
  assert.match(line, /may not contain "\/" or "%"/);
});

test("invalid-object: an invalid item of a List is reported at the item's own line", () => {
  const repo = makeRepo({
    'apps/web/list.yaml': [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: good}',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {}',
      '',
    ].join('\n'),
  });
  const line = refusedAt(render(repo, 'apps/web', NS), 'apps/web/list.yaml:7', 'ConfigMap (unnamed)');
  assert.match(line, /metadata\.name is missing/);
});

test('invalid-object: every bad document is reported, not only the first', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': 'hello\n---\n- x\n---\nkind: ConfigMap\n' });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(findingLines(r.stderr, 'invalid-object').length, 3, r.stderr);
});

test('invalid-object: generateName instead of name is allowed and the object is emitted unchanged', () => {
  const repo = makeRepo({
    'apps/web/job.yaml':
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}}}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'invalid-object'), []);
  const objs = parseJsonStream(r.stdout);
  assert.equal(objs.length, 1);
  assert.deepEqual(objs[0]!.metadata, { generateName: 'migrate-' });
});

test('invalid-object: a well-formed object with a valid explicit namespace passes', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'settings', { namespace: 'prod', body: 'data:\n  a: "1"' }),
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseJsonStream(r.stdout), [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' }, data: { a: '1' } },
  ]);
});

// --- identity as the API server reads it (issue 9 §1) ------------------------------------------------

/** One document per variant, each in its own render; every one must be refused with `why`, on ONE line. */
function refusesEach(docs: Record<string, string>, why: RegExp): void {
  for (const [what, doc] of Object.entries(docs)) {
    // A valid object beside it, so that the render is not empty (empty-render would add its own line).
    const r = render(makeRepo({ 'apps/web/a.yaml': `${doc}---\n${manifest('ConfigMap', 'ok')}` }), 'apps/web', NS);
    assert.equal(r.code, 1, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const found = findingLines(r.stderr, 'invalid-object');
    assert.equal(found.length, 1, `${what}: ${r.stderr}`);
    const line = found[0]!;
    assert.match(
      line,
      /^error\[invalid-object\] .*\(apps\/web\/a\.yaml:1\): .*\. Fix: \S.* \(runbook: docs\/rules\/invalid-object\.md\)$/,
      what,
    );
    assert.match(line, why, what);
    // One finding, one head line and its fix line (issue 14): nothing the document holds (newlines,
    // control characters) may split either.
    assert.deepEqual(
      r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('safe-render: ')),
      [line.slice(0, line.indexOf('. Fix: ')), `  ${line.slice(line.indexOf('. Fix: ') + 2)}`],
      `${what}: ${r.stderr}`,
    );
    assert.ok(line.length < 900, `${what}: a bounded line`);
  }
}

const doc = (apiVersion: string, kind: string, name = 'x', extra = '') =>
  `apiVersion: ${JSON.stringify(apiVersion)}\nkind: ${JSON.stringify(kind)}\nmetadata:\n  name: ${JSON.stringify(name)}\n${extra}`;

test('invalid-object: an apiVersion Kubernetes cannot parse, or that names no servable group, is refused', () => {
  refusesEach(
    {
      'core/v1 (a group named "core")': doc('core/v1', 'PersistentVolumeClaim'),
      'apps/v1/x': doc('apps/v1/x', 'StatefulSet'),
      'apps//v1': doc('apps//v1', 'StatefulSet'),
      '/v1': doc('/v1', 'ConfigMap'),
      'apps/': doc('apps/', 'Deployment'),
      'upper-case group': doc('Apps/v1', 'Deployment'),
      'upper-case version': doc('apps/V1', 'Deployment'),
      'trailing space': doc('apps/v1 ', 'Deployment'),
      newline: doc('apps/v1\nkind: Secret', 'Deployment'),
      'underscore in group': doc('my_group.io/v1', 'Widget'),
    },
    /apiVersion .* (has|names) /,
  );
});

test('invalid-object: core/v1 says why: a group named "core" is not the core group', () => {
  const r = render(makeRepo({ 'apps/web/a.yaml': doc('core/v1', 'PersistentVolumeClaim', 'data') }), 'apps/web', NS);
  const line = refusedAt(r, 'apps/web/a.yaml:1', 'PersistentVolumeClaim data');
  assert.match(line, /apiVersion "core\/v1" names an API group called "core", which is not the core group/);
  assert.match(line, /Fix: write apiVersion as the API serves it: `v1` for the core group/);
});

test('invalid-object: a kind that is not a letters-and-digits identifier is refused, shown escaped on one line', () => {
  refusesEach(
    {
      newline: doc('v1', 'Config\nMap'),
      'newline then a fake finding': doc('v1', 'ConfigMap\nerror[x] fake'),
      space: doc('v1', 'Config Map'),
      slash: doc('v1', 'Config/Map'),
      dot: doc('v1', 'Config.Map'),
      underscore: doc('v1', 'Config_Map'),
      'leading digit': doc('v1', '1ConfigMap'),
      'control character': doc('v1', 'Config\u0007Map'),
      'zero-width space': doc('v1', 'ConfigMap\u200b'),
      'too long': doc('v1', `K${'k'.repeat(63)}`),
    },
    /kind .* is not a valid kind/,
  );
  const r = render(makeRepo({ 'apps/web/a.yaml': doc('v1', 'Config\nMap') }), 'apps/web', NS);
  assert.match(
    r.stderr,
    /^error\[invalid-object\] "Config\\nMap" x \(apps\/web\/a\.yaml:1\): kind "Config\\nMap" is not a valid kind/m,
  );
});

test('invalid-object: names Kubernetes refuses for the kind are refused before they reach a lock, a file or a message', () => {
  refusesEach(
    {
      'ConfigMap with upper case': doc('v1', 'ConfigMap', 'Settings'),
      'Deployment with underscore': doc('apps/v1', 'Deployment', 'my_app'),
      'Secret ending with a dash': doc('v1', 'Secret', 'token-'),
      'Service starting with a digit (DNS-1035)': doc('v1', 'Service', '1web'),
      'Service with a dot': doc('v1', 'Service', 'web.x'),
      'Namespace with a dot (DNS-1123 label)': doc('v1', 'Namespace', 'team.a'),
      'Namespace of 64 characters': doc('v1', 'Namespace', 'n'.repeat(64)),
      'generateName with upper case': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: Migrate-\n',
    },
    /metadata\.(name|generateName) .* is not a DNS-1(123|035) (subdomain|label)/,
  );
  refusesEach(
    {
      'newline in a custom resource name': doc('example.com/v1', 'Widget', 'a\nb'),
      'tab in an RBAC name': doc('rbac.authorization.k8s.io/v1', 'Role', 'a\tb'),
      'bidi control in a name': doc('example.com/v1', 'Widget', 'a\u202eb'),
      'line separator': doc('example.com/v1', 'Widget', 'a\u2028b'),
    },
    /metadata\.name may not contain spaces or control characters/,
  );
  refusesEach(
    { 'a name of 10 000 characters': doc('example.com/v1', 'Widget', 'w'.repeat(10_000)) },
    /metadata\.name is longer than 253 characters/,
  );
});

test('invalid-object: legitimate identities pass unchanged (core, groups, dotted groups, CamelCase kinds, RBAC names)', () => {
  const objects = [
    doc('v1', 'ConfigMap', 'settings.v2'),
    doc('apps/v1', 'Deployment', 'web-1'),
    doc('example.com/v1alpha1', 'MyCustomThing', 'Any:Name_Upper', 'spec: {}\n'),
    doc('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:aggregate-to-view'),
    doc('v1', 'Service', 'web'),
    doc('v1', 'Namespace', 'team-a'),
    doc('networking.k8s.io/v1', 'Ingress', 'a.b.c'),
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\nspec: {}\n',
  ];
  const r = render(makeRepo({ 'apps/web/a.yaml': objects.join('---\n') }), 'apps/web', [
    ...NS,
    '--allow-cluster-scoped',
  ]);
  if (r.code !== 0) {
    // Cluster-scoped kinds may be refused by policy rules; identity must not be the reason.
    assert.deepEqual(findingLines(r.stderr, 'invalid-object'), [], r.stderr);
    return;
  }
  assert.equal(parseJsonStream(r.stdout).length, objects.length);
});

test('invalid-object: a name or namespace that YAML reads as a big integer is refused with its digits, not a crash', () => {
  for (const [field, yaml] of [
    ['name', 'name: 9223372036854775807'],
    ['generateName', 'generateName: 9223372036854775807'],
    ['namespace', 'name: a\n  namespace: 9223372036854775807'],
  ] as const) {
    const repo = makeRepo({
      'apps/web/a.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  ${yaml}\n---\n${manifest('ConfigMap', 'ok')}`,
    });
    const r = render(repo, 'apps/web', NS);
    assert.equal(r.code, 1, `${field}: ${r.stderr}`);
    const line = findingLines(r.stderr, 'invalid-object')[0] ?? '';
    assert.match(line, /9223372036854775807/, field);
    assert.doesNotMatch(r.stderr, /internal error|TypeError/);
  }
});
