// render-failed from parsing: a YAML error is reported at file:line, as one clean sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, render } from '../../test/helpers';

test('render-failed: a duplicate key is refused at its line, exit 2, nothing on stdout', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const line = r.stderr.split('\n').find((l) => l.startsWith('error[render-failed] '));
  assert.ok(line, r.stderr);
  assert.match(line, /^error\[render-failed\] apps\/web\/cm\.yaml:5: invalid YAML: Map keys must be unique at line 5, column 3\. Fix: .*no duplicate keys.* \(runbook: docs\/rules\/render-failed\.md\)$/);
});

test('render-failed: a config file that is not valid YAML is a usage error naming file and line', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', 'apps/web/safe-render.yaml': 'namespaces: [a\n' });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^safe-render: error: apps\/web\/safe-render\.yaml:\d+: invalid YAML: [^\n]*[^:]\n/m);
});
