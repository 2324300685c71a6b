import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, writeFiles } from '../../../test/helpers';
import {
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  readLock,
  type App,
} from '../../../test/lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

test('an added object passes in the sidecar with a lock-stale warning, and lock --check fails until the lock is written', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  assertLocked(lock(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(3) });

  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseJsonStream(r.stdout).length, 3, 'additions alone are deployed');
  const warnings = findingLines(r.stderr, 'lock-stale', 'warning');
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(
    warnings[0]!,
    /^warning\[lock-stale\] app web: the lock \(\.safe-render\/locks\/web\.lock\) is out of date: 1 object not in the lock\. Fix: run `safe-render lock apps\/web --app web --namespace prod/,
  );

  // CI: the error form.
  const check = lock(repo, WEB, ['--check']);
  assertRefused(check, 'lock-stale');
  assert.match(check.stderr, /\.safe-render\/locks\/web\.lock is out of date \(3 objects, 1 added, 0 removed\)/);
  assert.doesNotMatch(readLock(repo, 'web'), /cm-3/, '--check never writes');

  const l = lock(repo, WEB);
  assertLocked(l);
  assert.match(l.stderr, /3 objects, 1 added, 0 removed/);
  assert.equal(lock(repo, WEB, ['--check']).code, 0);
  assertClean(generate(repo, WEB));
});

test('a change of recorded state that weakens nothing is a warning, not a refusal', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(2),
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
    }),
  });
  assertLocked(lock(repo, WEB));
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true' },
    }),
  });
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning\[lock-stale\] app web: .*1 with changed recorded state/m);
  assertRefused(lock(repo, WEB, ['--check']), 'lock-stale');
});

test('an app locked as empty that now renders objects is out of date', () => {
  const repo = makeRepo({ 'apps/web/README.md': 'nothing here yet\n' });
  assertLocked(lock(repo, WEB, ['--empty']));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(1) });
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning\[lock-stale\] app web: .*1 object not in the lock, the lock declares the app empty/m,
  );
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^empty false$/m);
  assertClean(generate(repo, WEB));
});

test('a lock that matches the render gives no lock-stale finding at all', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  assertLocked(lock(repo, WEB));
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(r.stderr, '');
});
