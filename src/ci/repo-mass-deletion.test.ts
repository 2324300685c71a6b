// repo-mass-deletion: the repository budget, refused only above it, summed over apps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoMassDeletion } from './repo-mass-deletion';
import type { CiApp } from './report-model';

function app(id: string, pending: number, accepted = 0): CiApp {
  return {
    id,
    appName: id,
    verdict: 'passed',
    definedIn: { file: `apps/${id}.yaml`, line: 3 },
    objects: [],
    deletions: { pending, accepted },
    findings: [],
    durationMs: 1,
  };
}

test('under or at the budget: nothing', () => {
  assert.deepEqual(repoMassDeletion([app('a', 4), app('b', 3, 3)], 10), []);
  assert.deepEqual(repoMassDeletion([app('a', 0)], 0), []);
  assert.deepEqual(repoMassDeletion([], 0), []);
});

test('many apps each under their own budget, over the repository budget together: one error', () => {
  const apps = Array.from({ length: 12 }, (_, i) => app(`app-${String(i).padStart(2, '0')}`, 3, i === 0 ? 2 : 0));
  const f = repoMassDeletion(apps, 30);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.rule, 'repo-mass-deletion');
  assert.equal(f[0]!.severity, 'error');
  assert.match(f[0]!.message, /^38 objects would be deleted across 12 apps, over the repository budget of 30: /);
  // The top apps by deletions first (accepted deletions count too), ties by id, then how many more.
  assert.match(f[0]!.message, /: app-00 5, app-01 3, app-02 3, app-03 3, app-04 3, and 7 more apps$/);
  assert.deepEqual(f[0]!.sources[0], { file: 'apps/app-00.yaml', line: 3 });
  assert.equal(f[0]!.sources.length, 5);
});

test('a budget of 0 refuses any deletion', () => {
  assert.equal(repoMassDeletion([app('a', 0, 1)], 0).length, 1);
});
