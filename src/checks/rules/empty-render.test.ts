// empty-render: a render with no objects is refused unless the app declares `allowEmpty: true`,
// because with auto-prune an empty desired state deletes everything the app runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, render, type RunResult } from '../../../test/helpers';

const NS = ['--namespace', 'prod'];

function refusedAsEmpty(r: RunResult): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const lines = findingLines(r.stderr, 'empty-render');
  assert.equal(lines.length, 1, r.stderr);
  const line = lines[0]!;
  // Not about one object or file: no object, no location, straight to the message.
  assert.ok(line.startsWith('error[empty-render]: the render has no objects'), line);
  assert.match(line, /Fix: .*`allowEmpty: true` in safe-render\.yaml.* \(runbook: docs\/rules\/empty-render\.md\)$/);
  return line;
}

test('empty-render: an empty app directory is refused', () => {
  const repo = makeRepo({ 'apps/web/.keep': '' });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: files holding only comments and document separators are refused', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': '# everything was commented out\n---\n---\n# apiVersion: v1\n# kind: ConfigMap\n',
    'apps/web/b.yaml': '---\n',
    'apps/web/c.yaml': '',
  });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: a List with `items: []` is refused', () => {
  const repo = makeRepo({ 'apps/web/list.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: a directory of non-manifest files only is refused', () => {
  const repo = makeRepo({ 'apps/web/README.md': '# web\n', 'apps/web/values.txt': 'a=b\n' });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: an include glob that matches nothing is refused, not an empty success', () => {
  const repo = makeRepo({
    'apps/web/deploy.yaml': manifest('ConfigMap', 'settings'),
    'apps/web/safe-render.yaml': 'include: ["*.yml"]\n',
  });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: `allowEmpty: true` lets an intentionally empty app render nothing, with exit 0', () => {
  const repo = makeRepo({ 'apps/web/safe-render.yaml': '# this app is being decommissioned\nallowEmpty: true\n' });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(findingLines(r.stderr, 'empty-render'), []);
  assert.match(r.stderr, /0 objects from 0 files/);
});

test('empty-render: `allowEmpty: true` with objects still emits them', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'settings'),
    'apps/web/safe-render.yaml': 'allowEmpty: true\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    parseJsonStream(r.stdout).map((o) => o.kind),
    ['ConfigMap'],
  );
});

test('empty-render: `allowEmpty: false` is the same as not setting it', () => {
  const repo = makeRepo({ 'apps/web/safe-render.yaml': 'allowEmpty: false\n' });
  refusedAsEmpty(render(repo, 'apps/web', NS));
});

test('empty-render: a render whose only documents are invalid is refused for both reasons', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' });
  const r = render(repo, 'apps/web', NS);
  refusedAsEmpty(r);
  assert.equal(findingLines(r.stderr, 'invalid-object').length, 1, r.stderr);
});
