import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, parseJsonStream, runCli, writeFiles } from '../../../test/helpers';
import { assertClean, assertLocked, assertRefused, configMaps, generate, lock, lockObjects, readLock, renderApp, REPO_URL, type App } from '../../../test/lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

/** The `safe-render lock ...` command a refusal tells the person to run, as argv. */
function commandIn(line: string): string[] {
  const m = /run `(safe-render lock [^`]+)` from the repository root/.exec(line);
  assert.ok(m, `no lock command in: ${line}`);
  return m[1]!.split(' ').slice(1);
}

function lockedRepo(files: Record<string, string>): string {
  const repo = makeRepo(files);
  assertLocked(lock(repo, WEB));
  return repo;
}

test('an object in the lock but missing from the render is refused, naming the object and the lock', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(5) });
  assertClean(generate(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(4) });
  const lines = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^error\[unacknowledged-deletion\] core\/ConfigMap\/prod\/cm-5: is in the lock \(\.safe-render\/locks\/web\.lock\) but missing from the render; Argo CD would delete it\. /);
  assert.match(lines[0]!, /restore the object/);
  assert.deepEqual(commandIn(lines[0]!), ['lock', 'apps/web', '--app', 'web', '--namespace', 'prod', '--repo-url', REPO_URL]);
  // The preview refuses the same way, so CI sees it before Argo CD does.
  assertRefused(renderApp(repo, WEB), 'unacknowledged-deletion');
});

test('restoring the object (an accident) renders again without touching the lock', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(5) });
  const before = readLock(repo, 'web');
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(4) });
  assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(5) });
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 5);
  assert.equal(readLock(repo, 'web'), before);
});

test('an intended deletion passes once the lock is rewritten with the command the refusal names', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(5) });
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(4) });
  const [line] = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  const l = runCli(commandIn(line!), { cwd: repo });
  assertLocked(l);
  assert.match(l.stderr, /4 objects, 0 added, 1 removed/);
  assert.ok(!readLock(repo, 'web').includes('cm-5'));
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 4);
});

test('a protected object missing from the render says so and names the --accept it needs', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  rmSync(join(repo, 'apps/web/db.yaml'));
  const [line] = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  assert.match(line!, /apps\/StatefulSet\/prod\/db: .*and it is protected \(StatefulSet is a protected kind\)/);
  assert.deepEqual(commandIn(line!).slice(-2), ['--accept', 'protected-deletion:apps/StatefulSet/prod/db']);
  assertLocked(runCli(commandIn(line!), { cwd: repo }));
  assertClean(generate(repo, WEB));
});

test('a deletion over the budget names the mass-deletion acceptance too, so the command it gives works as is', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(6) });
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(2) });
  const lines = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  assert.equal(lines.length, 4);
  const argv = commandIn(lines[0]!);
  assert.deepEqual(argv.slice(-2), ['--accept', 'mass-deletion:web']);
  assertLocked(runCli(argv, { cwd: repo }));
  assert.deepEqual(lockObjects(readLock(repo, 'web')), ['object core/ConfigMap/prod/cm-1', 'object core/ConfigMap/prod/cm-2']);
  assertClean(generate(repo, WEB));
});

test('every missing object is listed, one line each, and nothing is emitted', () => {
  const repo = lockedRepo({ 'apps/web/a.yaml': configMaps(3, 'a'), 'apps/web/b.yaml': configMaps(3, 'b') });
  rmSync(join(repo, 'apps/web/b.yaml'));
  const r = generate(repo, WEB);
  const lines = assertRefused(r, 'unacknowledged-deletion');
  assert.deepEqual(lines.map((l) => l.split(' ')[1]!.replace(/:$/, '')), ['core/ConfigMap/prod/b-1', 'core/ConfigMap/prod/b-2', 'core/ConfigMap/prod/b-3']);
  assert.match(r.stderr, /safe-render: refused: 3 errors; nothing was emitted/);
});

test('without a lock nothing is compared: a shrinking app without a lock is not this rule\'s business', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 2);
});
