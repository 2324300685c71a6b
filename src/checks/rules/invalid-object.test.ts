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
  assert.ok(line.startsWith(object ? `error[invalid-object] ${object} (${where}): ` : `error[invalid-object] (${where}): `), line);
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
  const repo = makeRepo({ 'apps/web/a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  namespace: prod\nspec: {}\n' });
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

test('invalid-object: an invalid item of a List is reported at the item\'s own line', () => {
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
    'apps/web/job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}}}\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'invalid-object'), []);
  const objs = parseJsonStream(r.stdout);
  assert.equal(objs.length, 1);
  assert.deepEqual(objs[0]!.metadata, { generateName: 'migrate-' });
});

test('invalid-object: a well-formed object with a valid explicit namespace passes', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings', { namespace: 'prod', body: 'data:\n  a: "1"' }) });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseJsonStream(r.stdout), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' }, data: { a: '1' } }]);
});
