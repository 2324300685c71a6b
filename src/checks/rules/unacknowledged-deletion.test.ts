import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, parseJsonStream, runCli, writeFiles } from '../../../test/helpers';
import {
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  lockObjects,
  readLock,
  renderApp,
  REPO_URL,
  type App,
} from '../../../test/lock-helpers';

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
  assert.match(
    lines[0]!,
    /^error\[unacknowledged-deletion\] core\/ConfigMap\/prod\/cm-5: is in the lock \(\.safe-render\/locks\/web\.lock\) but missing from the render; Argo CD would delete it\. /,
  );
  assert.match(lines[0]!, /restore the object/);
  assert.deepEqual(commandIn(lines[0]!), [
    'lock',
    'apps/web',
    '--app',
    'web',
    '--namespace',
    'prod',
    '--repo-url',
    REPO_URL,
  ]);
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
  assert.deepEqual(lockObjects(readLock(repo, 'web')), [
    'object core/ConfigMap/prod/cm-1',
    'object core/ConfigMap/prod/cm-2',
  ]);
  assertClean(generate(repo, WEB));
});

test('every missing object is listed, one line each, and nothing is emitted', () => {
  const repo = lockedRepo({ 'apps/web/a.yaml': configMaps(3, 'a'), 'apps/web/b.yaml': configMaps(3, 'b') });
  rmSync(join(repo, 'apps/web/b.yaml'));
  const r = generate(repo, WEB);
  const lines = assertRefused(r, 'unacknowledged-deletion');
  assert.deepEqual(
    lines.map((l) => l.split(' ')[1]!.replace(/:$/, '')),
    ['core/ConfigMap/prod/b-1', 'core/ConfigMap/prod/b-2', 'core/ConfigMap/prod/b-3'],
  );
  assert.match(r.stderr, /safe-render: refused: 3 errors; nothing was emitted/);
});

test("without a lock nothing is compared: a shrinking app without a lock is not this rule's business", () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  const r = generate(repo, WEB);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 2);
});

// Issue 8 §5 / issue 9 §5: a hook is not synced. Argo CD splits hooks off the objects it syncs
// (gitops-engine IsHook, splitHooks) and prunes the live copy of an object that became one.
const HOOKED: [string, Record<string, string>][] = [
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'PreSync' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': '' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'presync' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'PreDelete' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'PostDelete' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'Skip,PostSync' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'whatever' }],
  ['helm.sh/hook', { 'helm.sh/hook': 'pre-install' }],
  ['helm.sh/hook', { 'helm.sh/hook': 'test' }],
  ['helm.sh/hook', { 'helm.sh/hook': 'pre-delete' }],
  ['helm.sh/hook', { 'helm.sh/hook': 'crd-install,post-upgrade' }],
  ['helm.sh/hook', { 'helm.sh/hook': 'unknown-hook' }],
  // review8: Skip next to a delete hook: gitops-engine calls it ordinary, argo-cd's controller drops it.
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'Skip,PostDelete' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'PreDelete,Skip' }],
  ['helm.sh/hook', { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'post-delete' }],
  ['helm.sh/hook', { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install,pre-delete' }],
  // review9: argo-cd's controller drops PreDelete/PostDelete hooks from the sync set (controller/hook.go
  // isPreDeleteHook, trimmed comma items, either key) even when gitops-engine reads Skip: no hook there.
  ['helm.sh/hook', { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-delete' }],
  ['helm.sh/hook', { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'crd-install, post-delete' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'Skip,PreDelete' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'Skip, PostDelete ' }],
  ['argocd.argoproj.io/hook', { 'argocd.argoproj.io/hook': 'Skip,Unknown,PostDelete' }],
];

test('a locked object that becomes a hook has left the render: refused, saying why it counts as removed', () => {
  for (const [key, annotations] of HOOKED) {
    const what = JSON.stringify(annotations);
    const repo = lockedRepo({
      'apps/web/cms.yaml': configMaps(4),
      'apps/web/data.yaml': manifest('ConfigMap', 'data'),
    });
    writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations }) });
    const lines = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
    assert.equal(lines.length, 1, what);
    assert.match(
      lines[0]!,
      new RegExp(
        `^error\\[unacknowledged-deletion\\] core/ConfigMap/prod/data: is in the lock \\(\\.safe-render/locks/web\\.lock\\) as a synced object, but the render makes it a hook \\(${key.replace(/\./g, '\\.')}\\); Argo CD takes hooks out of the objects it syncs and prunes the live one, so it counts as removed\\. Fix: if this is an accident, remove the ${key.replace(/\./g, '\\.')} annotation`,
      ),
      what,
    );
    assertRefused(renderApp(repo, WEB), 'unacknowledged-deletion');
  }
});

test('Skip alone and helm crd-install are not hooks: the object stays synced and the render passes', () => {
  const notHooks: Record<string, string>[] = [
    { 'argocd.argoproj.io/hook': 'Skip' },
    { 'argocd.argoproj.io/hook': ' Skip ' },
    { 'argocd.argoproj.io/hook': 'Skip,Skip' },
    { 'helm.sh/hook': 'crd-install' },
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install' },
    { 'argocd.argoproj.io/hook': 'Skip,Unknown' },
    { 'argocd.argoproj.io/hook': 'Skip,predelete' },
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-deletex' },
  ];
  for (const annotations of notHooks) {
    const repo = lockedRepo({
      'apps/web/cms.yaml': configMaps(4),
      'apps/web/data.yaml': manifest('ConfigMap', 'data'),
    });
    writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations }) });
    const r = generate(repo, WEB);
    assertClean(r);
    assert.equal(parseJsonStream(r.stdout).length, 5, JSON.stringify(annotations));
  }
});

test('a protected object that becomes a hook needs protected-deletion; accepted, the lock records it as a hook', () => {
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  writeFiles(repo, {
    'apps/web/db.yaml': manifest('StatefulSet', 'db', { annotations: { 'helm.sh/hook': 'pre-upgrade' } }),
  });
  const [line] = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  assert.match(
    line!,
    /apps\/StatefulSet\/prod\/db: .*makes it a hook \(helm\.sh\/hook\).*and it is protected \(StatefulSet is a protected kind\)/,
  );
  assert.match(
    assertRefused(lock(repo, WEB), 'protected-deletion')[0]!,
    /is protected \(StatefulSet is a protected kind\) and would be removed from the lock \(the render makes it a hook through helm\.sh\/hook/,
  );
  assertLocked(runCli(commandIn(line!), { cwd: repo }));
  assert.match(readLock(repo, 'web'), /^object apps\/StatefulSet\/prod\/db \{"hook":"helm\.sh\/hook"\}$/m);
  assertClean(generate(repo, WEB));
});

test('a hook the lock records as a hook passes; removing it or making it an ordinary object deletes nothing', () => {
  const hook = (type: string) =>
    manifest('ConfigMap', 'migrate', {
      annotations: { 'argocd.argoproj.io/hook': type, 'argocd.argoproj.io/sync-options': 'Prune=false' },
    });
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/migrate.yaml': hook('PreSync') });
  // Only that it is a hook is recorded: it is neither synced nor pruned, so nothing else about it matters.
  assert.match(
    readLock(repo, 'web'),
    /^object core\/ConfigMap\/prod\/migrate \{"hook":"argocd\.argoproj\.io\/hook"\}$/m,
  );
  assertClean(generate(repo, WEB));
  writeFiles(repo, { 'apps/web/migrate.yaml': hook('PostSync') });
  assertClean(generate(repo, WEB));
  rmSync(join(repo, 'apps/web/migrate.yaml'));
  const removed = generate(repo, WEB);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, /^warning\[lock-stale\] app web: .*1 with changed recorded state/m);
  writeFiles(repo, { 'apps/web/migrate.yaml': manifest('ConfigMap', 'migrate') });
  const unhooked = generate(repo, WEB);
  assert.equal(unhooked.code, 0, unhooked.stderr);
  assert.doesNotMatch(unhooked.stderr, /^error\[/m);
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/migrate$/m);
});

test('Prune=false added in the same render that makes the object a hook protects nothing', () => {
  // Argo CD reads Prune=false from the live object, which does not carry it yet (contract §10).
  const repo = lockedRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/hook': 'PreSync' },
    }),
  });
  const [line] = assertRefused(generate(repo, WEB), 'unacknowledged-deletion');
  assert.doesNotMatch(line!, /protected/);
  // The same for Delete=false, resource-policy keep and a protected kind's annotations: the lock decides.
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'helm.sh/resource-policy': 'keep', 'helm.sh/hook': 'pre-install' },
    }),
  });
  assert.doesNotMatch(assertRefused(generate(repo, WEB), 'unacknowledged-deletion')[0]!, /protected/);
});

test('a format-1 lock: an ordinary object now a hook warns until the lock is rewritten; a protected one is refused', () => {
  const repo = lockedRepo({
    'apps/web/cms.yaml': configMaps(4),
    'apps/web/job.yaml': manifest('ConfigMap', 'job'),
    'apps/web/db.yaml': manifest('StatefulSet', 'db'),
  });
  const file = join(repo, '.safe-render/locks/web.lock');
  writeFileSync(file, readLock(repo, 'web').replace('safe-render-lock 2', 'safe-render-lock 1'));
  // Format 1 recorded hooks as ordinary objects, so it cannot tell a chart's existing hook from a new one.
  writeFiles(repo, {
    'apps/web/job.yaml': manifest('ConfigMap', 'job', { annotations: { 'helm.sh/hook': 'pre-install' } }),
  });
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning\[lock-stale\] app web: .*1 with changed recorded state, it is lock format 1/m);
  writeFiles(repo, {
    'apps/web/db.yaml': manifest('StatefulSet', 'db', { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }),
  });
  assert.match(
    assertRefused(generate(repo, WEB), 'unacknowledged-deletion')[0]!,
    /apps\/StatefulSet\/prod\/db: .*makes it a hook.*protected/,
  );
  writeFiles(repo, { 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  // Rewritten in format 2, the hook is recorded as one and a new hook on a locked object is refused.
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^safe-render-lock 2$/m);
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/job \{"hook":"helm\.sh\/hook"\}$/m);
  writeFiles(repo, {
    'apps/web/cms.yaml':
      configMaps(3) + '---\n' + manifest('ConfigMap', 'cm-4', { annotations: { 'argocd.argoproj.io/hook': 'Sync' } }),
  });
  assert.match(
    assertRefused(generate(repo, WEB), 'unacknowledged-deletion')[0]!,
    /core\/ConfigMap\/prod\/cm-4: .*makes it a hook/,
  );
});

test('a lock whose version line was edited down to 1 but records hooks is refused as unreadable', () => {
  // Otherwise the edit would switch off the hook check that format 1 cannot make.
  const repo = lockedRepo({
    'apps/web/cms.yaml': configMaps(4),
    'apps/web/job.yaml': manifest('ConfigMap', 'job', { annotations: { 'helm.sh/hook': 'pre-install' } }),
  });
  writeFileSync(
    join(repo, '.safe-render/locks/web.lock'),
    readLock(repo, 'web').replace('safe-render-lock 2', 'safe-render-lock 1'),
  );
  const r = generate(repo, WEB);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /lock cannot be read: format 1 cannot record a hook \(object core\/ConfigMap\/prod\/job\): the version line was changed by hand/,
  );
});
