import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, parseJsonStream, writeFiles } from '../../../test/helpers';
import {
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  lockFile,
  type App,
} from '../../../test/lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

test('a lock deleted while the index still lists the app is refused', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4) });
  assertLocked(lock(repo, WEB));
  const saved = readFileSync(lockFile(repo, 'web'), 'utf8');
  // The lock goes together with the objects it protected: nothing left to compare with.
  rmSync(lockFile(repo, 'web'));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(1) });
  const lines = assertRefused(generate(repo, WEB), 'lock-missing');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^error\[lock-missing\] app web: \.safe-render\/index lists this app but its lock \.safe-render\/locks\/web\.lock is missing\. Fix: restore \.safe-render\/locks\/web\.lock from Git history/,
  );

  // Restoring the lock (git checkout) brings back the comparison, which then names the real problem.
  writeFileSync(lockFile(repo, 'web'), saved);
  assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(4) });
  assertClean(generate(repo, WEB));
});

test('an app with no lock and no index entry renders (locks are opt-in without a policy)', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2), '.safe-render/index': 'other\n' });
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 2);
});

test('a platform policy with requireLock refuses an app without a lock until one is written', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(2),
    'policy/policy.yaml': 'default:\n  requireLock: true\n',
  });
  const env = { SAFE_RENDER_POLICY: join(repo, 'policy/policy.yaml') };
  const [line] = assertRefused(generate(repo, WEB, env), 'lock-missing');
  assert.match(
    line!,
    /the platform policy .*policy\/policy\.yaml \(default\) requires a lock and \.safe-render\/locks\/web\.lock does not exist\. Fix: run `safe-render lock apps\/web --app web --namespace prod --repo-url \S+` from the repository root/,
  );
  assertLocked(lock(repo, WEB, [], env));
  assertClean(generate(repo, WEB, env));
});

test('writing a new lock for an indexed app is the fix, once the new baseline is accepted', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2), '.safe-render/index': 'web\n' });
  assertRefused(generate(repo, WEB), 'lock-missing');
  assert.equal(lock(repo, WEB).code, 1);
  const r = lock(repo, WEB, ['--accept', 'lock-missing:web']);
  assertLocked(r);
  assert.match(r.stderr, /: locked 2 objects, accepted: lock-missing:web$/m);
  assertClean(generate(repo, WEB));
});
