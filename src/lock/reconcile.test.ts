// What `lock` may make of a lock, as values (issue 10): the outcomes of reconcileLock, in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../model/finding';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextFromFlags } from '../context/build-context';
import { runApp, type AppRendered } from '../pipeline/run-app';
import { lockGateFindings, reconcileLock, type LockOutcome, type ReconcileInput } from './reconcile';
import type { LockState } from './store';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {a: "1"}\n`;
const STS =
  'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector: {matchLabels: {app: db}}\n  serviceName: db\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres}]}\n';

const temps: string[] = [];
process.on('exit', () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function rendered(
  files: Record<string, string>,
): Promise<{ run: AppRendered; input: Omit<ReconcileInput, 'lockState'> }> {
  const repo = mkdtempSync(join(tmpdir(), 'safe-render-reconcile-'));
  temps.push(repo);
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'web'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(repo, 'web', n), t);
  const app = contextFromFlags({ path: 'web', namespace: 'prod', env: [], params: [] }, repo);
  const env = { SAFE_RENDER_FREEZE_DIR: join(repo, 'none') };
  const run = await runApp(app, { mode: 'preview', env, cwd: repo });
  assert.ok(run.ok);
  return {
    run,
    input: {
      app,
      objects: run.objects,
      protectedKinds: run.protectedKinds,
      accepts: [],
      declaredEmpty: false,
      check: false,
      env,
    },
  };
}

const NO_LOCK: LockState = { file: '.safe-render/web.lock', indexed: false };

function written(o: LockOutcome) {
  assert.equal(o.kind, 'write', JSON.stringify(o));
  return o as Extract<LockOutcome, { kind: 'write' }>;
}

test('a first lock is written; checked, it is up to date; the index without a lock refuses as a lock-missing finding', async () => {
  const { input } = await rendered({ 'a.yaml': CM('a'), 'db.yaml': STS });
  const first = written(reconcileLock({ ...input, lockState: NO_LOCK }).outcome);
  assert.equal(first.summary, 'locked 2 objects');
  assert.deepEqual(reconcileLock({ ...input, check: true, lockState: { ...NO_LOCK, lock: first.lock } }).outcome, {
    kind: 'up-to-date',
    file: NO_LOCK.file,
    objects: 2,
  });
  const stale = reconcileLock({ ...input, check: true, lockState: NO_LOCK }).outcome;
  assert.equal(stale.kind, 'stale');
  assert.equal(stale.kind === 'stale' && stale.finding.message, '.safe-render/web.lock does not exist');
  const refused = reconcileLock({ ...input, lockState: { ...NO_LOCK, indexed: true } }).outcome;
  assert.equal(refused.kind, 'refused');
  const [f] = refused.kind === 'refused' ? refused.findings : [];
  assert.equal(f?.rule, 'lock-missing');
  assert.equal(f?.object, 'app web');
  assert.match(f!.message, /lock index lists the app; a new lock would reset its baseline; the lock was not written$/);
  assert.match(f!.fix, /--accept lock-missing:web$/);
  written(reconcileLock({ ...input, accepts: ['lock-missing:web'], lockState: { ...NO_LOCK, indexed: true } }).outcome);
});

test('a protected deletion is refused with the token to accept, and written with it once accepted', async () => {
  // Six ConfigMaps beside it: losing one object of seven stays within the deletion budget.
  const cms = ['a', 'b', 'c', 'd', 'e', 'f'].map(CM).join('---\n');
  const before = await rendered({ 'a.yaml': cms, 'db.yaml': STS });
  const lock = written(reconcileLock({ ...before.input, lockState: NO_LOCK }).outcome).lock;
  const after = await rendered({ 'a.yaml': cms });
  const state = { ...NO_LOCK, lock, indexed: true };
  const refused = reconcileLock({ ...after.input, lockState: state }).outcome;
  assert.equal(refused.kind, 'refused');
  const findings = refused.kind === 'refused' ? refused.findings : [];
  assert.deepEqual(
    findings.map((f) => [f.rule, f.object, f.fix]),
    [
      [
        'protected-deletion',
        'apps/StatefulSet/prod/db',
        'if this is intended, run the same command with --accept protected-deletion:apps/StatefulSet/prod/db',
      ],
    ],
  );
  assert.match(findings[0]!.message, /; the lock was not written$/);
  const ok = written(
    reconcileLock({ ...after.input, accepts: ['protected-deletion:apps/StatefulSet/prod/db'], lockState: state })
      .outcome,
  );
  assert.deepEqual(ok.lock.accepted, ['protected-deletion:apps/StatefulSet/prod/db']);
  assert.equal(ok.summary, '6 objects, 0 added, 1 removed, accepted: protected-deletion:apps/StatefulSet/prod/db');
});

test('usage outcomes: an --accept nothing needs, --empty for an app that renders objects', async () => {
  const { input } = await rendered({ 'a.yaml': CM('a') });
  const unused = reconcileLock({ ...input, accepts: ['protected-deletion:x'], lockState: NO_LOCK }).outcome;
  assert.equal(unused.kind === 'usage' && unused.error.message, 'nothing to accept: web has no lock yet');
  const empty = reconcileLock({ ...input, declaredEmpty: true, lockState: NO_LOCK }).outcome;
  assert.equal(empty.kind === 'usage' && empty.error.message, '--empty, but the app renders 1 objects');
});

test('the gate keeps every finding but the lock comparisons (and empty-render when declared empty)', () => {
  const f = (rule: string): Finding => ({
    rule: rule as Finding['rule'],
    severity: 'error' as const,
    sources: [],
    message: '',
    fix: '',
  });
  const all = [
    'lock-missing',
    'lock-stale',
    'unacknowledged-deletion',
    'app-source-drift',
    'app-destination-change',
    'finalizer-change',
    'safety-weakened',
    'empty-render',
    'namespace-escape',
  ].map(f);
  assert.deepEqual(
    lockGateFindings(all, false).map((x) => x.rule),
    ['empty-render', 'namespace-escape'],
  );
  assert.deepEqual(
    lockGateFindings(all, true).map((x) => x.rule),
    ['namespace-escape'],
  );
});
