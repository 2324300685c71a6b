import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, runCli, writeFiles } from '../../../test/helpers';

function generate(repo: string, env: Record<string, string> = {}) {
  return runCli(['generate'], {
    cwd: join(repo, 'app'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'shop',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'app',
      SAFE_RENDER_FREEZE_DIR: join(repo, 'no-freeze'),
      ...env,
    },
  });
}

test('a platform freeze (ConfigMap folder) stops generate and names the reason and who set it', () => {
  const repo = makeRepo({
    'app/a.yaml': manifest('ConfigMap', 'x'),
    'freeze/reason': 'INC-4211: eu-central-1 outage\n',
    'freeze/by': 'alice (platform on-call)\n',
  });
  const r = generate(repo, { SAFE_RENDER_FREEZE_DIR: join(repo, 'freeze') });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const [line] = findingLines(r.stderr, 'deploy-freeze');
  assert.match(
    line!,
    /deploys are frozen by platform freeze \(.*freeze\): "INC-4211: eu-central-1 outage" \(set by alice \(platform on-call\)\)/,
  );
});

test('a repository freeze (.safe-render/FREEZE) stops generate', () => {
  const repo = makeRepo({
    'app/a.yaml': manifest('ConfigMap', 'x'),
    '.safe-render/FREEZE': 'reason: release freeze for Black Friday\nby: bob\n',
  });
  const r = generate(repo);
  assert.equal(r.code, 1);
  assert.match(
    findingLines(r.stderr, 'deploy-freeze')[0]!,
    /repository freeze \(\.safe-render\/FREEZE\): "release freeze for Black Friday" \(set by bob\)/,
  );
});

test('a freeze limited to some apps lets the others render', () => {
  const repo = makeRepo({
    'app/a.yaml': manifest('ConfigMap', 'x'),
    'freeze/reason': 'payments only',
    'freeze/apps': 'payments-*\n',
  });
  const r = generate(repo, { SAFE_RENDER_FREEZE_DIR: join(repo, 'freeze') });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
  const frozen = generate(repo, { SAFE_RENDER_FREEZE_DIR: join(repo, 'freeze'), ARGOCD_APP_NAME: 'payments-eu' });
  assert.equal(frozen.code, 1);
});

test('render reports the freeze as a warning and still renders, so a fix can be prepared', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'x'), '.safe-render/FREEZE': 'incident in progress\n' });
  const r = runCli(['render', 'app', '-n', 'prod'], { cwd: repo, env: { SAFE_RENDER_FREEZE_DIR: join(repo, 'none') } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
  assert.match(
    findingLines(r.stderr, 'deploy-freeze', 'warning')[0]!,
    /"incident in progress" \(set by \(unknown\)\).*only a preview/,
  );
});

test('releasing the freeze (removing the ConfigMap) lets generate render again', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'x') });
  writeFiles(repo, { 'freeze/unrelated': 'x' });
  const r = generate(repo, { SAFE_RENDER_FREEZE_DIR: join(repo, 'freeze') });
  assert.equal(r.code, 0, r.stderr);
});
