// lock-orphaned: a locked app that no app of the report has any more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orphanedLocks } from './lock-orphaned';
import type { CiApp } from './report-model';
import { lockPath } from '../lock/store';

function app(id: string, appName = id, extra: Partial<CiApp> = {}): CiApp {
  return {
    id,
    appName,
    verdict: 'passed',
    definedIn: { file: `apps/${id}.yaml`, line: 1 },
    objects: [],
    deletions: { pending: 0, accepted: 0 },
    findings: [],
    durationMs: 1,
    ...extra,
  };
}

test('every locked app present (by ARGOCD_APP_NAME, skipped apps included): nothing', () => {
  const apps = [app('web'), app('team-a/api', 'team-a_api'), app('legacy', 'legacy', { verdict: 'skipped' })];
  assert.deepEqual(orphanedLocks(apps, ['web', 'team-a_api', 'legacy']), []);
  assert.deepEqual(orphanedLocks(apps, []), []);
});

test('a locked app renamed away: an error naming its lock file', () => {
  const f = orphanedLocks([app('web-v2')], ['web', 'web']);
  assert.equal(f.length, 1, 'one finding per app, even when the index lists it twice');
  assert.equal(f[0]!.rule, 'lock-orphaned');
  assert.equal(f[0]!.severity, 'error');
  assert.equal(f[0]!.object, 'app web');
  assert.deepEqual(f[0]!.sources, [{ file: lockPath('web'), line: 1 }]);
  assert.match(f[0]!.message, /^\.safe-render\/index lists it and \.safe-render\/locks\/web\.lock locks it/);
  assert.match(f[0]!.fix, /delete \.safe-render\/locks\/web\.lock and its line in \.safe-render\/index/);
});

test('the app id is not the lock key: team-a/api is locked as team-a_api', () => {
  const f = orphanedLocks([app('team-a/api', 'team-a_api')], ['team-a/api', 'team-a_api']);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.object, 'app team-a/api');
  assert.equal(f[0]!.sources[0]!.file, lockPath('team-a/api'), 'the lock path is encoded as the lock store encodes it');
});

test('with generators not evaluated offline, a missing app may be theirs: a warning that says so', () => {
  const f = orphanedLocks(
    [app('web')],
    ['cluster-app'],
    [
      {
        appSet: 'argocd/by-cluster',
        generator: 'clusters',
        why: 'needs a cluster',
        definedIn: { file: 'a.yaml', line: 1 },
      },
    ],
  );
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /a generator ci cannot evaluate offline, of argocd\/by-cluster\)$/);
});
