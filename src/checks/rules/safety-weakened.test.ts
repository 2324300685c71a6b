import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, manifest, writeFiles } from '../../../test/helpers';
import { application, assertClean, assertLocked, assertRefused, configMaps, generate, lock, readLock, type App } from '../../../test/lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

function lockedWith(annotations: Record<string, string>): string {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations }) });
  assertLocked(lock(repo, WEB));
  return repo;
}

test('dropping a Prune=false sync option is refused, naming the switch and the --accept', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  const lines = assertRefused(generate(repo, WEB), 'safety-weakened');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^error\[safety-weakened\] core\/ConfigMap\/prod\/data: sync option Prune=false removed \(lock: \.safe-render\/locks\/web\.lock\)\. Fix: if unintended, put the switch back; if intended, run `safe-render lock apps\/web .*--accept safety-weakened:core\/ConfigMap\/prod\/data`/);
});

test('lock refuses to drop the switch without --accept safety-weakened:REF; with it, generate passes', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  const before = readLock(repo, 'web');
  assert.match(assertRefused(lock(repo, WEB), 'safety-weakened')[0]!, /sync option Prune=false removed; the lock was not written/);
  assert.equal(readLock(repo, 'web'), before);
  assertLocked(lock(repo, WEB, ['--accept', 'safety-weakened:core/ConfigMap/prod/data']));
  const text = readLock(repo, 'web');
  assert.match(text, /^object core\/ConfigMap\/prod\/data$/m, 'the object is no longer recorded as protected');
  assert.match(text, /^accepted safety-weakened:core\/ConfigMap\/prod\/data$/m);
  assertClean(generate(repo, WEB));
});

test('Delete=false, helm resource-policy keep and Flux prune disabled are switches too', () => {
  for (const [annotations, what] of [
    [{ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Delete=false' }, /sync option Delete=false removed/],
    [{ 'helm.sh/resource-policy': 'keep' }, /helm\.sh\/resource-policy: keep removed/],
    [{ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }, /kustomize\.toolkit\.fluxcd\.io\/prune: disabled removed/],
  ] as const) {
    const repo = lockedWith(annotations);
    writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
    assert.match(assertRefused(generate(repo, WEB), 'safety-weakened')[0]!, what);
  }
});

test('changing other sync options while keeping Prune=false is not a weakening', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=false' } }) });
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /error\[/);
});

test('a child Application turning on automated prune or allowEmpty is refused', () => {
  const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const repo = makeRepo({ 'apps/root/web.yaml': application('web', { path: 'apps/web', syncPolicy: 'automated:\n  selfHeal: true\n' }), 'apps/root/api.yaml': application('api', { path: 'apps/api' }) });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', syncPolicy: 'automated:\n  selfHeal: true\n  prune: true\n  allowEmpty: true\n' }) });
  const lines = assertRefused(generate(repo, ROOT), 'safety-weakened');
  assert.deepEqual(lines.map((l) => /: (automated\.\w+ turned on)/.exec(l)?.[1]), ['automated.prune turned on', 'automated.allowEmpty turned on']);
  assertLocked(lock(repo, ROOT, ['--accept', 'safety-weakened:argoproj.io/Application/argocd/web']));
  assertClean(generate(repo, ROOT));
});

test('dropping protectedKinds from safe-render.yaml cannot strip the protection the lock records without acceptance', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/safe-render.yaml': 'protectedKinds: [ConfigMap]\n' });
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^object core\/ConfigMap\/prod\/cm-1 \{"protected":"ConfigMap is listed in protectedKinds"\}$/m);
  writeFiles(repo, { 'apps/web/safe-render.yaml': '{}\n' });
  // In the sidecar this takes nothing away (the lock still protects them): out of date, not refused.
  const stale = generate(repo, WEB);
  assert.equal(stale.code, 0, stale.stderr);
  assert.match(stale.stderr, /^warning\[lock-stale\] app web: .*4 with changed recorded state/m);
  const lines = assertRefused(lock(repo, WEB), 'safety-weakened');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /core\/ConfigMap\/prod\/cm-1: protection removed \(was: ConfigMap is listed in protectedKinds\); the lock was not written/);
  // Otherwise the next commit could delete them with no protected-deletion acceptance.
  assert.match(readLock(repo, 'web'), /"protected":"ConfigMap is listed in protectedKinds"/);
  const accepts = [1, 2, 3, 4].flatMap((i) => ['--accept', `safety-weakened:core/ConfigMap/prod/cm-${i}`]);
  assertLocked(lock(repo, WEB, accepts));
  assert.doesNotMatch(readLock(repo, 'web'), /"protected"/);
  assertClean(generate(repo, WEB));
});
