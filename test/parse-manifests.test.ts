// render-failed from parsing: a YAML error is reported at file:line, as one clean sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, render } from './helpers';

test('render-failed: a duplicate key is refused at its line, exit 2, nothing on stdout', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const line = r.stderr.split('\n').find((l) => l.startsWith('error[render-failed] '));
  assert.ok(line, r.stderr);
  assert.match(
    line,
    /^error\[render-failed\] apps\/web\/cm\.yaml:5: invalid YAML: Map keys must be unique at line 5, column 3\. Fix: .*no duplicate keys.* \(runbook: docs\/rules\/render-failed\.md\)$/,
  );
});

test('render-failed: a config file that is not valid YAML is a usage error naming file and line', () => {
  const repo = makeRepo({
    'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'apps/web/safe-render.yaml': 'namespaces: [a\n',
  });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^safe-render: error: apps\/web\/safe-render\.yaml:\d+: invalid YAML: [^\n]*[^:]\n/m);
});

test('tooDeepAt: finds where YAML or JSON first nests too deep, in linear time, for any caller (control files too)', async () => {
  const { tooDeepAt, MAX_NESTING_DEPTH } = await import('../src/parse/parse-manifests');
  assert.equal(tooDeepAt('a: [1, {b: [2]}]\n'), undefined);
  assert.equal(tooDeepAt(`x: ${'['.repeat(MAX_NESTING_DEPTH - 5)}${']'.repeat(MAX_NESTING_DEPTH - 5)}\n`), undefined);
  const at = tooDeepAt(`x: ${'['.repeat(100_000)}\n`);
  assert.ok(at !== undefined && at > MAX_NESTING_DEPTH && at < MAX_NESTING_DEPTH + 10, String(at));
  let block = 'x:\n';
  for (let i = 1; i < 1000; i++) block += `${' '.repeat(i)}k:\n`;
  assert.notEqual(tooDeepAt(block), undefined);
});
