// foreign-tracking: an object carrying another Application's argocd.argoproj.io/tracking-id (usually
// a copy of a live export) is refused; Argo CD would make both apps fight over it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findingLines,
  makeRepo,
  manifest,
  parseJsonStream,
  render,
  runCli,
  type RunResult,
} from '../../../test/helpers';

const TRACKING = 'argocd.argoproj.io/tracking-id';

function refusedAsForeign(r: RunResult, object: string, where: string): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'a refusal must leave stdout empty');
  const line = findingLines(r.stderr, 'foreign-tracking').find((l) =>
    l.startsWith(`error[foreign-tracking] ${object} (`),
  );
  assert.ok(line, `no foreign-tracking finding for ${object}:\n${r.stderr}`);
  assert.ok(line.startsWith(`error[foreign-tracking] ${object} (${where}): `), line);
  assert.match(line, /\. Fix: \S.* \(runbook: docs\/rules\/foreign-tracking\.md\)$/);
  return line;
}

const tracked = (owner: string, extra: { namespace?: string } = {}) =>
  manifest('Deployment', 'web', {
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

test("foreign-tracking: the app's own tracking-id passes and the object is emitted unchanged", () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('web') });
  const r = render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = parseJsonStream(r.stdout);
  assert.deepEqual((obj!.metadata as { annotations: Record<string, string> }).annotations, {
    [TRACKING]: 'web:apps/Deployment:prod/web',
  });
});

test('foreign-tracking: without --app, render uses the folder name as the app name', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('web') });
  const ok = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(ok.code, 0, ok.stderr);
  refusedAsForeign(
    render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web-staging']),
    'apps/Deployment prod/web',
    'apps/web/a.yaml:1',
  );
});

test('foreign-tracking: apps outside the control-plane namespace are told apart by their <namespace>_<name> instance name', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': tracked('team-a_web') });
  const generate = (appName: string) =>
    runCli(['generate'], {
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

test("foreign-tracking: an object without a tracking-id is not this rule's business", () => {
  const repo = makeRepo({
    'apps/web/a.yaml': manifest('ConfigMap', 'settings', { annotations: { 'example.com/owner': 'payments' } }),
  });
  const r = render(repo, 'apps/web', ['--namespace', 'prod']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.includes('foreign-tracking'), false, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('foreign-tracking: an empty tracking-id belongs to no app and is refused', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'settings', { annotations: { [TRACKING]: '' } }) });
  const line = refusedAsForeign(
    render(repo, 'apps/web', ['--namespace', 'prod']),
    'ConfigMap prod/settings',
    'apps/web/a.yaml:1',
  );
  assert.match(line, /of application "", not of this app "web"/);
});

// ---- label tracking (issue 9 §5): the platform policy says how the install tracks resources ----

const labelled = (value: string, key = 'app.kubernetes.io/instance') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    ${key}: ${JSON.stringify(value)}\nspec:\n  replicas: 2\n`;

function withPolicy(repo: string, argocd: string): string[] {
  const file = join(repo, 'policy.yaml');
  writeFileSync(file, `default: {}\nargocd: ${argocd}\n`);
  return ['--policy', file];
}

test("foreign-tracking: with label tracking, another app's instance label is foreign", () => {
  for (const [value, shown] of [
    ['payments', 'payments'],
    ['team-a_web', 'team-a_web'],
    ['web-staging', 'web-staging'],
    ['Web', 'Web'],
    ['w'.repeat(70), `${'w'.repeat(63)}…`],
  ] as const) {
    const repo = makeRepo({ 'apps/web/a.yaml': labelled(value) });
    const line = refusedAsForeign(
      render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web', ...withPolicy(repo, '{trackingMethod: label}')]),
      'apps/Deployment prod/web',
      'apps/web/a.yaml:1',
    );
    assert.ok(
      line.includes(
        `carries the instance label app.kubernetes.io/instance="${shown}" of application "${shown}", not of this app "web" (this Argo CD tracks resources by label)`,
      ),
      line,
    );
  }
  // A custom instanceLabelKey is the one read.
  const repo = makeRepo({ 'apps/web/a.yaml': labelled('payments', 'argocd.example.com/app') });
  refusedAsForeign(
    render(repo, 'apps/web', [
      '--namespace',
      'prod',
      '--app',
      'web',
      ...withPolicy(repo, '{trackingMethod: label, instanceLabelKey: argocd.example.com/app}'),
    ]),
    'apps/Deployment prod/web',
    'apps/web/a.yaml:1',
  );
  const ok = render(repo, 'apps/web', [
    '--namespace',
    'prod',
    '--app',
    'web',
    ...withPolicy(repo, '{trackingMethod: label}'),
  ]);
  assert.equal(ok.code, 0, ok.stderr);
});

test("foreign-tracking: the app's own instance label, an empty one, and any label under annotation tracking pass", () => {
  const own = makeRepo({ 'apps/web/a.yaml': labelled('web') });
  assert.equal(
    render(own, 'apps/web', ['--namespace', 'prod', '--app', 'web', ...withPolicy(own, '{trackingMethod: label}')])
      .code,
    0,
  );
  const empty = makeRepo({ 'apps/web/a.yaml': labelled('') });
  assert.equal(
    render(empty, 'apps/web', ['--namespace', 'prod', '--app', 'web', ...withPolicy(empty, '{trackingMethod: label}')])
      .code,
    0,
  );
  const other = makeRepo({ 'apps/web/a.yaml': labelled('payments') });
  // annotation (the default) and annotation+label: Argo CD reads the owner from the annotation only.
  for (const extra of [
    [],
    withPolicy(other, '{trackingMethod: annotation}'),
    withPolicy(other, '{trackingMethod: annotation+label}'),
  ]) {
    const r = render(other, 'apps/web', ['--namespace', 'prod', '--app', 'web', ...extra]);
    assert.equal(r.code, 0, r.stderr);
  }
  // The tracking annotation is still read under label tracking.
  const annotated = makeRepo({ 'apps/web/a.yaml': tracked('payments') });
  refusedAsForeign(
    render(annotated, 'apps/web', [
      '--namespace',
      'prod',
      '--app',
      'web',
      ...withPolicy(annotated, '{trackingMethod: label}'),
    ]),
    'apps/Deployment prod/web',
    'apps/web/a.yaml:1',
  );
});

test("foreign-tracking: the policy's argocd section is validated", () => {
  const repo = makeRepo({ 'apps/web/a.yaml': labelled('web') });
  for (const [argocd, msg] of [
    ['{trackingMethod: labels}', /must be one of annotation, label, annotation\+label/],
    ['{instanceLabelKey: "bad key"}', /must be a label key/],
    ['{tracking: label}', /unknown key "argocd\.tracking"/],
  ] as const) {
    const r = render(repo, 'apps/web', ['--namespace', 'prod', '--app', 'web', ...withPolicy(repo, argocd)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
  }
});
