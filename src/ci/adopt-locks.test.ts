// `ci --fix-locks`'s decision (issue 11): a lock is rewritten only when the change adds, in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockChange } from '../lock/diff';
import { lockRefresh } from './adopt-locks';

test('additions and state that takes nothing away are rewritten', () => {
  const changes: LockChange[] = [
    { kind: 'added', ref: 'core/ConfigMap/a/b' },
    { kind: 'added', ref: 'core/ConfigMap/a/c' },
    { kind: 'state-change', ref: 'apps/Deployment/a/web' },
  ];
  assert.deepEqual(lockRefresh(changes), { kind: 'rewrite', added: 2, changed: 1 });
  assert.deepEqual(lockRefresh([]), { kind: 'rewrite', added: 0, changed: 0 }, 'a format-only refresh');
});

test('a generated Application name new to the lock is an addition; one no longer generated is not', () => {
  const added = { kind: 'generated-added', ref: 'argoproj.io/ApplicationSet/argocd/envs', name: 'argocd/web-prod' };
  assert.deepEqual(lockRefresh([added as unknown as LockChange]), { kind: 'rewrite', added: 1, changed: 0 });
  const removed = { kind: 'generated-removed', ref: added.ref, name: 'argocd/web-dev' };
  const r = lockRefresh([added, removed] as unknown as LockChange[]);
  assert.equal(r.kind, 'keep');
  assert.deepEqual(r.kind === 'keep' && r.why, [
    'generated-removed: argoproj.io/ApplicationSet/argocd/envs no longer generates argocd/web-dev',
  ]);
});

test('anything that takes something away keeps the lock, each change said', () => {
  const changes: LockChange[] = [
    { kind: 'added', ref: 'core/ConfigMap/a/new' },
    { kind: 'deleted', ref: 'core/ConfigMap/a/old' },
    { kind: 'deleted', ref: 'apps/StatefulSet/a/db', protected: 'kind StatefulSet' },
    { kind: 'protection-removed', ref: 'core/PersistentVolumeClaim/a/data', was: 'Prune=false' },
    { kind: 'safety-weakened', ref: 'apps/Deployment/a/web', what: 'sync option Prune=false removed' },
    { kind: 'source-drift', field: 'path', was: 'apps/a', now: 'apps/b' },
    { kind: 'finalizer-change', ref: 'argoproj.io/Application/argocd/x', was: {}, now: {} },
    { kind: 'destination-change', ref: 'argoproj.io/Application/argocd/x', field: 'destination', was: {}, now: {} },
  ];
  const r = lockRefresh(changes);
  assert.equal(r.kind, 'keep');
  assert.deepEqual(r.kind === 'keep' && r.why, [
    'unacknowledged-deletion: core/ConfigMap/a/old is in the lock and no longer rendered',
    'unacknowledged-deletion: apps/StatefulSet/a/db is in the lock and no longer rendered (protected: kind StatefulSet)',
    'safety-weakened: core/PersistentVolumeClaim/a/data: no longer protected (was: Prune=false)',
    'safety-weakened: apps/Deployment/a/web: sync option Prune=false removed',
    'app-source-drift: the app\'s path changes from "apps/a" to "apps/b"',
    'finalizer-change: argoproj.io/Application/argocd/x: its deletion behaviour changes',
    'app-destination-change: argoproj.io/Application/argocd/x: its destination changes',
  ]);
});
