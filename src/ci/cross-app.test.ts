// repositoryFindings: the three repository rules in one call, in a fixed order; lock-orphaned only when
// the locked apps are known (a shard does not know every app).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_DELETIONS, repositoryFindings } from './cross-app';
import type { CiApp } from './report-model';

function app(id: string, refs: string[], pending = 0): CiApp {
  return {
    id,
    appName: id,
    verdict: 'passed',
    definedIn: { file: 'apps.yaml', line: 1 },
    objects: refs.map((ref) => ({ ref, file: `${id}.yaml`, line: 1 })),
    deletions: { pending, accepted: 0 },
    findings: [],
    durationMs: 1,
  };
}

test('collisions, then the budget, then orphaned locks; nothing on a clean repository', () => {
  const apps = [app('a', ['core/ConfigMap/p/x'], 30), app('b', ['core/ConfigMap/p/x'], 30)];
  assert.deepEqual(
    repositoryFindings(apps, { maxDeletions: DEFAULT_MAX_DELETIONS, lockedApps: ['a', 'b', 'c'] }).map((f) => f.rule),
    ['cross-app-collision', 'repo-mass-deletion', 'lock-orphaned'],
  );
  assert.deepEqual(
    repositoryFindings(apps, { maxDeletions: DEFAULT_MAX_DELETIONS }).map((f) => f.rule),
    ['cross-app-collision', 'repo-mass-deletion'],
    'no lockedApps: no lock-orphaned',
  );
  assert.deepEqual(
    repositoryFindings([app('a', ['core/ConfigMap/p/x'], 50)], { maxDeletions: 50, lockedApps: ['a'] }),
    [],
  );
});
