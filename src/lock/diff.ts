// The changes between a lock and a render (or a new lock): the one comparison that both the sidecar
// rules and `safe-render lock` read, so they can never disagree on what changed. Pure.
import { canonicalJson } from '../util/canonical-json';
import type { LockFile, ObjectState } from './lock-file';
import { normalizePath, normalizeRepoURL } from './snapshot';

export type LockChange =
  | { kind: 'deleted'; ref: string; protected?: string }
  | { kind: 'added'; ref: string }
  | { kind: 'source-drift'; field: 'repoURL' | 'path'; was: string; now: string }
  | { kind: 'destination-change'; ref: string; field: 'destination' | 'source'; was: unknown; now: unknown }
  | { kind: 'finalizer-change'; ref: string; was: unknown; now: unknown }
  | { kind: 'safety-weakened'; ref: string; what: string }
  /** The lock records the object as protected and the render no longer makes it so (a protectedKinds
   * entry was dropped). Nothing is deleted by this alone, and the old lock still guards the object,
   * so the sidecar only warns; but `lock` must not drop the protection silently. */
  | { kind: 'protection-removed'; ref: string; was: string }
  /** Recorded state changed in a way that takes no protection away (the lock is merely out of date). */
  | { kind: 'state-change'; ref: string };

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

const syncOptionsOf = (s: ObjectState) => s.annotations?.['argocd.argoproj.io/sync-options'] ?? '';

/** Safety switches present in `was` and gone in `now`. */
export function weakenings(was: ObjectState, now: ObjectState): string[] {
  const out: string[] = [];
  for (const opt of ['Prune=false', 'Prune=confirm', 'Delete=false', 'Delete=confirm']) {
    const has = (s: ObjectState) => syncOptionsOf(s).split(',').map((x) => x.trim()).includes(opt);
    if (has(was) && !has(now)) out.push(`sync option ${opt} removed`);
  }
  if (was.annotations?.['helm.sh/resource-policy'] === 'keep' && now.annotations?.['helm.sh/resource-policy'] !== 'keep') out.push('helm.sh/resource-policy: keep removed');
  if (was.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled' && now.annotations?.['kustomize.toolkit.fluxcd.io/prune'] !== 'disabled') out.push('kustomize.toolkit.fluxcd.io/prune: disabled removed');
  const auto = (s: ObjectState) => ((s.syncPolicy as { automated?: { prune?: unknown; allowEmpty?: unknown } } | undefined)?.automated ?? {});
  if (auto(was).prune !== true && auto(now).prune === true) out.push('automated.prune turned on');
  if (auto(was).allowEmpty !== true && auto(now).allowEmpty === true) out.push('automated.allowEmpty turned on');
  return out;
}

export function diffLock(lock: LockFile, current: LockFile): LockChange[] {
  const changes: LockChange[] = [];
  if (lock.source.repoURL && current.source.repoURL && normalizeRepoURL(lock.source.repoURL) !== normalizeRepoURL(current.source.repoURL)) {
    changes.push({ kind: 'source-drift', field: 'repoURL', was: lock.source.repoURL, now: current.source.repoURL });
  }
  if (normalizePath(lock.source.path) !== normalizePath(current.source.path)) {
    changes.push({ kind: 'source-drift', field: 'path', was: lock.source.path, now: current.source.path });
  }
  for (const [ref, was] of lock.objects) {
    const now = current.objects.get(ref);
    if (!now) {
      changes.push({ kind: 'deleted', ref, ...(was.protected ? { protected: was.protected } : {}) });
      continue;
    }
    let guarded = false;
    if (!same(was.destination, now.destination)) {
      changes.push({ kind: 'destination-change', ref, field: 'destination', was: was.destination, now: now.destination });
      guarded = true;
    }
    if (!same(was.source, now.source)) {
      changes.push({ kind: 'destination-change', ref, field: 'source', was: was.source, now: now.source });
      guarded = true;
    }
    if (!same(was.finalizers, now.finalizers) || (was.preserveResourcesOnDeletion ?? null) !== (now.preserveResourcesOnDeletion ?? null)) {
      changes.push({ kind: 'finalizer-change', ref, was: { finalizers: was.finalizers ?? [], preserveResourcesOnDeletion: was.preserveResourcesOnDeletion }, now: { finalizers: now.finalizers ?? [], preserveResourcesOnDeletion: now.preserveResourcesOnDeletion } });
      guarded = true;
    }
    const weakened = weakenings(was, now);
    for (const what of weakened) {
      changes.push({ kind: 'safety-weakened', ref, what });
      guarded = true;
    }
    // A removed switch (Prune=false) already explains a lost protection; report the loss alone otherwise.
    if (was.protected && !now.protected && !weakened.length) {
      changes.push({ kind: 'protection-removed', ref, was: was.protected });
      guarded = true;
    }
    if (!guarded && !same(was, now)) changes.push({ kind: 'state-change', ref });
  }
  for (const ref of current.objects.keys()) if (!lock.objects.has(ref)) changes.push({ kind: 'added', ref });
  return changes;
}
