// foreign-tracking: an object carrying another Application's argocd.argoproj.io/tracking-id (usually
// a copy of a live export) is refused; Argo CD would make both apps fight over it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, render, runCli, type RunResult } from '../../../test/helpers';

const TRACKING = 'argocd.argoproj.io/tracking-id';

function refusedAsForeign(r: RunResult, object: string, where: string): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const line = findingLines(r.stderr, 'foreign-tracking').find((l) => l.startsWith(`error[foreign-tracking] ${object} (`));
  assert.ok(line, `no foreign-tracking finding for ${object}:\n${r.stderr}`);
  assert.ok(line.startsWith(`error[foreign-tracking] ${object} (${where}): `), line);
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/foreign-tracking\.md\)$/);
  return line;
}

const tracked = (owner: string, extra: { namespace?: string } = {}) => manifest('Deployment', 'web', {
  ...extra,
  annotations: { [TRACKING]: `${owner}:apps/Deployment:prod/web` },
  body: 'spec:\n  replicas: 2',
});

test('foreign-tracking: an object tracked by another application is refused, naming both apps', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': `${manifest('ConfigMap', 'settings')}---\n${tracked('payments')}` });
  const r = render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web']);
  const line = refusedAsForeign(r, 'apps/Deployment prod/web', 'apps/web/a.yaml:6');
  assert.match(line, /carries argocd\.argoproj\.io\/tracking-id of application "payments", not of this app "web"/);
  assert.match(line, /Fix: remove the argocd\.argoproj\.io\/tracking-id annotation/);
  assert.equal(findingLines(r.stderr, 'foreign-tracking').length, 1, r.stderr);
});

test('foreign-tracking: the app\'s own tracking-id passes and the object is emitted unchanged', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('web') });
  const r = render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = parseJsonStream(r.stdout);
  assert.deepEqual((obj!.metadata as { annotations: Record<string, string> }).annotations, { [TRACKING]: 'web:apps/Deployment:prod/web' });
});

test('foreign-tracking: without --app, render uses the folder name as the app name', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('web') });
  const ok = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(ok.code, 0, ok.stderr);
  refusedAsForeign(render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web-staging']), 'apps/Deployment prod/web', 'apps/web/a.yaml:1');
});

test('foreign-tracking: apps outside the control-plane namespace are told apart by their <namespace>_<name> instance name', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('team-a_web') });
  const generate = (appName: string) => runCli(['generate'], {
    cwd: join(repo, 'apps/web'),
    cleanEnv: true,
    env: { ARGOCD_APP_NAME: appName, ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: 'apps/web' },
  });
  const ok = generate('team-a_web');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(parseJsonStream(ok.stdout).length, 1);
  const line = refusedAsForeign(generate('web'), 'apps/Deployment prod/web', 'apps/web/a.yaml:1');
  assert.match(line, /application "team-a_web", not of this app "web"/);
});

test('foreign-tracking: an object without a tracking-id is not this rule\'s business', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings', { annotations: { 'example.com/owner': 'payments' } }) });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('foreign-tracking'), false, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('foreign-tracking: an empty tracking-id belongs to no app and is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings', { annotations: { [TRACKING]: '' } }) });
  const line = refusedAsForeign(render(repo, 'apps/web', ['--namespace', 'prod']), 'ConfigMap prod/settings', 'apps/web/a.yaml:1');
  assert.match(line, /of application "", not of this app "web"/);
});
