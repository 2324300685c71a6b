import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, parseJsonStream } from '../../../test/helpers';
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

function repoWithTwoPaths(): string {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web-v2/cms.yaml': configMaps(4) });
  assertLocked(lock(repo, WEB));
  return repo;
}

test('an app rendered from another path than its lock records is refused', () => {
  const repo = repoWithTwoPaths();
  // Same objects at the new path: nothing is missing, only the source moved.
  const lines = assertRefused(generate(repo, WEB, { ARGOCD_APP_SOURCE_PATH: 'apps/web-v2' }), 'app-source-drift');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^error\[app-source-drift\] app web: is rendered from path "apps\/web-v2" but its lock \(\.safe-render\/locks\/web\.lock\) records "apps\/web"/,
  );
  assert.match(lines[0]!, /--accept app-source-drift:web/);
});

test('an app rendered from another repository than its lock records is refused', () => {
  const repo = repoWithTwoPaths();
  const [line] = assertRefused(
    generate(repo, WEB, { ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/fork.git' }),
    'app-source-drift',
  );
  assert.match(
    line!,
    /is rendered from repoURL "https:\/\/git\.example\.com\/fork\.git" but its lock .* records "https:\/\/git\.example\.com\/shop\.git"/,
  );
});

test('the same repository and path spelled differently is not a drift', () => {
  const repo = repoWithTwoPaths();
  const r = generate(repo, WEB, {
    ARGOCD_APP_SOURCE_REPO_URL: 'https://GIT.example.com/shop/',
    ARGOCD_APP_SOURCE_PATH: './apps/web/',
  });
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 4);
});

test('lock refuses to move the app without --accept app-source-drift:APP; with it, the new path renders', () => {
  const repo = repoWithTwoPaths();
  const moved: App = { ...WEB, path: 'apps/web-v2' };
  const before = readLock(repo, 'web');
  const refused = lock(repo, moved);
  const [line] = assertRefused(refused, 'app-source-drift');
  assert.match(
    line!,
    /the app's path changes from "apps\/web" to "apps\/web-v2"; the lock was not written\. Fix: .*--accept app-source-drift:web/,
  );
  assert.equal(readLock(repo, 'web'), before, 'a refused lock is not written');

  assertLocked(lock(repo, moved, ['--accept', 'app-source-drift:web']));
  const text = readLock(repo, 'web');
  assert.match(text, /^source \{"path":"apps\/web-v2","repoURL":"https:\/\/git\.example\.com\/shop\.git"\}$/m);
  assert.match(text, /^accepted app-source-drift:web$/m);
  assertClean(generate(repo, moved));
  // The old path is now the drift.
  assertRefused(generate(repo, WEB), 'app-source-drift');
});
