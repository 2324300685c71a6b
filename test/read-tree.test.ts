// render-failed from reading the app tree: the location printed is repo-relative, like every other
// finding, so the person paged can open the file the line names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, render } from './helpers';

test('render-failed: a symlink leaving the repository is named by its repo-relative path', () => {
  const elsewhere = makeRepo({ 'secret.yaml': manifest('Secret', 'other-team') });
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings') });
  symlinkSync(join(elsewhere, 'secret.yaml'), join(repo, 'apps/web/linked.yaml'));
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^error\[render-failed\] apps\/web\/linked\.yaml: symlink leads outside the repository \(to .*secret\.yaml\)\. Fix: .* \(runbook: docs\/rules\/render-failed\.md\)$/m,
  );
});

test('render-failed: a broken symlink is named by its repo-relative path', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings') });
  symlinkSync('missing.yaml', join(repo, 'apps/web/gone.yaml'));
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error\[render-failed\] apps\/web\/gone\.yaml: symlink points to nothing\./m);
});
