// The repository root `generate` derives from its working directory and ARGOCD_APP_SOURCE_PATH,
// with the path written as Argo CD accepts it and the working directory as the sidecar sets it
// (a child process sees it with symlinks resolved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, runCli, type RunResult } from './helpers';

function generate(cwd: string, sourcePath: string): RunResult {
  return runCli(['generate'], {
    cwd,
    cleanEnv: true,
    env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: sourcePath },
  });
}

const A = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n';

test('a source path through a symlinked folder renders the folder it points to', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'a'),
    'releases/v2/web/a.yaml': manifest('ConfigMap', 'a'),
  });
  symlinkSync('web', join(repo, 'apps/live'));
  symlinkSync('releases/v2/web', join(repo, 'current'));
  for (const [dir, path] of [
    ['apps/live', 'apps/live'],
    ['current', 'current'],
  ] as const) {
    const r = generate(join(repo, dir), path);
    assert.equal(r.code, 0, `${path}: ${r.stderr}`);
    assert.equal(r.stdout, A);
  }
});

test('through a symlinked folder, files are still named from the repository root', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a', { namespace: 'other' }) });
  symlinkSync('web', join(repo, 'apps/live'));
  const r = generate(join(repo, 'apps/live'), 'apps/live');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[namespace-escape\] .*\(apps\/web\/a\.yaml:1\)/m);
});

test('a symlink named like the tail of its target keeps the whole repository as the boundary', () => {
  // Two ancestors of the working directory (repo/apps/web) lead back to it through `web`: repo/apps
  // (apps/web) and repo (the web symlink). The boundary must be the repository, or the in-repo
  // symlink to shared/ would look like it leaves it.
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a'), 'shared/b.yaml': manifest('ConfigMap', 'b') });
  symlinkSync('../../shared/b.yaml', join(repo, 'apps/web/b.yaml'));
  symlinkSync('apps/web', join(repo, 'web'));
  const r = generate(join(repo, 'web'), 'web');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${A}${A.replace('"a"', '"b"')}`);
});

test('a source path that is not clean is read as Argo CD cleans it', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  for (const path of ['apps/../apps/web', './apps/web/', 'apps//web', 'apps/./web']) {
    const r = generate(join(repo, 'apps/web'), path);
    assert.equal(r.code, 0, `${path}: ${r.stderr}`);
    assert.equal(r.stdout, A);
  }
});

test('a source path that leaves the repository, or does not match the working directory, is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  for (const path of ['../web', 'apps/../../web']) {
    const r = generate(join(repo, 'apps/web'), path);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ARGOCD_APP_SOURCE_PATH ".*" leaves the repository/);
  }
  const other = generate(join(repo, 'apps/web'), 'apps/other');
  assert.equal(other.code, 2);
  assert.match(other.stderr, /does not end with ARGOCD_APP_SOURCE_PATH "apps\/other"/);
});
