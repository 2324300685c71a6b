// The changes between a lock and a render (or a new lock): the one comparison that both the sidecar
// rules and `safe-render lock` read, so they can never disagree on what changed. Pure.
import { canonicalJson } from '../util/canonical-json';
import { KEEPING_POLICIES, LOCK_VERSION, type LockFile, type ObjectState } from './lock-file';
import { normalizePath, normalizeRepoURL } from './snapshot';
import { pluginNames, projectSource, sourceChanges } from './app-source';
import {
  annotationCSVs,
  appSwitchLevel,
  forcesRecreate,
  hasAppOption,
  hasOption,
  switchLevels,
  SYNC_OPTIONS,
} from './sync-options';

export type LockChange =
  /** `hook`: the object is still rendered, but as a hook (the annotation that makes it one), so Argo CD
   * takes it out of the sync set and prunes the live copy (contract §10): it has left the render. */
  | { kind: 'deleted'; ref: string; protected?: string; hook?: string }
  | { kind: 'added'; ref: string }
  | { kind: 'source-drift'; field: 'repoURL' | 'path'; was: string; now: string }
  /** `details`: for a source change, what changed field by field (short, no secret: see app-source.ts). */
  | {
      kind: 'destination-change';
      ref: string;
      field: 'destination' | 'source';
      was: unknown;
      now: unknown;
      details?: string[];
    }
  | { kind: 'finalizer-change'; ref: string; was: unknown; now: unknown }
  | { kind: 'safety-weakened'; ref: string; what: string }
  /** The lock records the object as protected and the render no longer makes it so (a protectedKinds
   * entry was dropped). Nothing is deleted by this alone, and the old lock still guards the object,
   * so the sidecar only warns; but `lock` must not drop the protection silently. */
  | { kind: 'protection-removed'; ref: string; was: string }
  /** Recorded state changed in a way that takes no protection away (the lock is merely out of date). */
  | { kind: 'state-change'; ref: string }
  /** The ApplicationSet `ref` no longer generates the Application `name` (`namespace/name`, issue 11): the
   * controller deletes it, and through its resources finalizer everything it deployed. `kept`: the
   * effective applicationsSync policy never deletes (create-only/create-update), so nothing is deleted. */
  | { kind: 'generated-removed'; ref: string; name: string; kept?: string }
  /** The ApplicationSet `ref` generates `name`, which the lock does not record (or records nothing). */
  | { kind: 'generated-added'; ref: string; name: string };

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The state without what an ApplicationSet generates, which is compared name by name. */
function withoutGenerated(s: ObjectState): ObjectState {
  const { generates: _g, applicationsSync: _p, ...rest } = s;
  return rest;
}

/** How what the ApplicationSet `ref` generates changed, name by name. A lock that records nothing
 * (written before issue 11, or the generators needed the cluster) guards no name: every name now
 * generated is an addition. Nothing known now (a generator that cannot be evaluated offline) removes
 * nothing we can name: appset-may-shrink asks for preserveResourcesOnDeletion there; the lock is stale. */
function generatedChanges(ref: string, was: ObjectState, now: ObjectState): LockChange[] {
  if (now.generates === undefined) return was.generates === undefined ? [] : [{ kind: 'state-change', ref }];
  const before = new Set(was.generates ?? []);
  const after = new Set(now.generates);
  const kept = now.applicationsSync !== undefined && KEEPING_POLICIES.includes(now.applicationsSync);
  const out: LockChange[] = [];
  for (const name of before)
    if (!after.has(name))
      out.push({ kind: 'generated-removed', ref, name, ...(kept ? { kept: now.applicationsSync } : {}) });
  for (const name of after) if (!before.has(name)) out.push({ kind: 'generated-added', ref, name });
  if (!out.length && (was.generates === undefined || was.applicationsSync !== now.applicationsSync))
    out.push({ kind: 'state-change', ref });
  return out;
}

const syncOptionsOf = (s: ObjectState) => s.annotations?.[SYNC_OPTIONS] ?? '';

const LEVEL_NAME = ['', 'confirm', 'false'] as const;

/** Safety switches present in `was` and gone or weaker in `now`, and switches that delete. Sync options
 * are read exactly as gitops-engine reads them (sync-options.ts). */
export function weakenings(was: ObjectState, now: ObjectState): string[] {
  const out: string[] = [];
  for (const opt of ['Prune', 'Delete'] as const) {
    // Weakened as any Argo CD version reads it (sync-options.ts switchLevels): the same reading of the
    // lock and of the render, so a switch that one version no longer honours is seen.
    const before = switchLevels(syncOptionsOf(was), opt);
    const after = switchLevels(syncOptionsOf(now), opt);
    const i = before[1] > after[1] ? 1 : before[0] > after[0] ? 0 : undefined;
    if (i === undefined) continue;
    const b = LEVEL_NAME[before[i]];
    const how = after[i]
      ? `weakened to ${opt}=${LEVEL_NAME[after[i]]}`
      : annotationCSVs(syncOptionsOf(now)).includes(`${opt}=${b}`)
        ? `no longer counts (Argo CD reads the first ${opt}= item)`
        : 'removed';
    out.push(`sync option ${opt}=${b} ${how}`);
  }
  // Force=true makes Argo CD delete and re-create the object when it applies it (contract §10): for a
  // locked object that is a deletion of what it holds (a PVC's volume, a Namespace's contents), so it is
  // refused on every object the lock records, protected or not. Replace=true alone does not delete.
  if (!forcesRecreate(syncOptionsOf(was)) && forcesRecreate(syncOptionsOf(now)))
    out.push('sync option Force=true added: Argo CD deletes and re-creates the object when it applies it');
  // argo-cd shouldBeDeleted: HasAnnotationOption, so ` keep` and `keep,x` count as keep too.
  if (
    hasOption(was.annotations?.['helm.sh/resource-policy'], 'keep') &&
    !hasOption(now.annotations?.['helm.sh/resource-policy'], 'keep')
  )
    out.push('helm.sh/resource-policy: keep removed');
  if (
    was.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled' &&
    now.annotations?.['kustomize.toolkit.fluxcd.io/prune'] !== 'disabled'
  )
    out.push('kustomize.toolkit.fluxcd.io/prune: disabled removed');
  const auto = (s: ObjectState) =>
    (s.syncPolicy as { automated?: { prune?: unknown; allowEmpty?: unknown } } | undefined)?.automated ?? {};
  if (auto(was).prune !== true && auto(now).prune === true) out.push('automated.prune turned on');
  if (auto(was).allowEmpty !== true && auto(now).allowEmpty === true) out.push('automated.allowEmpty turned on');
  // A rendered Application's own syncOptions: Prune=false/Delete=false there hold back the prune of
  // every resource of the child (contract §10: the fallback when the live object has none), and
  // FailOnSharedResource=true stops the child from taking over another app's objects.
  // Read as argo-cd reads the list (sync-options.ts appSwitchLevel, hasAppOption): items exact, untrimmed.
  const appOptions = (s: ObjectState) => (s.syncPolicy as { syncOptions?: unknown } | undefined)?.syncOptions;
  if (was.syncPolicy !== undefined || now.syncPolicy !== undefined) {
    for (const opt of ['Prune', 'Delete'] as const) {
      const before = appSwitchLevel(appOptions(was), opt);
      const after = appSwitchLevel(appOptions(now), opt);
      if (after < before)
        out.push(
          `syncPolicy.syncOptions ${opt}=${LEVEL_NAME[before]} ${after ? `weakened to ${opt}=${LEVEL_NAME[after]}` : 'removed'}`,
        );
    }
    if (
      hasAppOption(appOptions(was), 'FailOnSharedResource=true') &&
      !hasAppOption(appOptions(now), 'FailOnSharedResource=true')
    )
      out.push('syncPolicy.syncOptions FailOnSharedResource=true removed');
  }
  return out;
}

type DestinationChange = Extract<LockChange, { kind: 'destination-change' }>;

/** `destination changed from A to B`, or for a source, what changed field by field: the words both the
 * sidecar finding and `lock`'s refusal use. Whole values are shown only while they are short. */
export function describeDestinationChange(c: DestinationChange): string {
  const a = canonicalJson(c.was ?? null);
  const b = canonicalJson(c.now ?? null);
  const head = a.length + b.length <= 400 ? `${c.field} changed from ${a} to ${b}` : `${c.field} changed`;
  return c.details?.length ? `${head} (${c.details.join('; ')})` : head;
}

/** What a source change means for the guards: a child that a plugin rendered and no longer does. */
function guardNote(was: unknown, now: unknown): string[] {
  const before = pluginNames(was);
  const after = new Set(pluginNames(now));
  return before
    .filter((n) => !after.has(n))
    .map(
      (n) =>
        `no longer rendered by plugin ${JSON.stringify(n.slice(0, 63))}: if that is safe-render, none of its checks guard the child any more`,
    );
}

/**
 * The changes from `lock` to `current`. Both are compared on what the older of their formats records:
 * a format-1 lock (before hooks and full Application sources were recorded) is compared on the five
 * source fields it knows, and an ordinary object it lists that is now a hook counts as removed only
 * when the lock protects it (it may have been a hook already; format 1 could not say). Everything else
 * the newer format records shows as a state change (lock-stale), which `lock` writes without --accept.
 */
export function diffLock(lock: LockFile, current: LockFile): LockChange[] {
  const changes: LockChange[] = [];
  const format = Math.min(lock.format ?? LOCK_VERSION, current.format ?? LOCK_VERSION);
  if (
    lock.source.repoURL &&
    current.source.repoURL &&
    normalizeRepoURL(lock.source.repoURL) !== normalizeRepoURL(current.source.repoURL)
  ) {
    changes.push({ kind: 'source-drift', field: 'repoURL', was: lock.source.repoURL, now: current.source.repoURL });
  }
  if (normalizePath(lock.source.path) !== normalizePath(current.source.path)) {
    changes.push({ kind: 'source-drift', field: 'path', was: lock.source.path, now: current.source.path });
  }
  for (const [ref, was] of lock.objects) {
    const now = current.objects.get(ref);
    // A hook is not synced and not pruned: removing it, or making it an ordinary object (it joins the
    // sync set, like an addition), deletes nothing.
    if (was.hook) {
      if (!now || !same(was, now)) changes.push({ kind: 'state-change', ref });
      continue;
    }
    if (!now) {
      changes.push({ kind: 'deleted', ref, ...(was.protected ? { protected: was.protected } : {}) });
      continue;
    }
    if (now.hook) {
      // Protection is read from the lock (the live object), never from the render that removes the
      // object: a Prune=false added together with the hook annotation protects nothing.
      if (format >= 2 || was.protected)
        changes.push({ kind: 'deleted', ref, ...(was.protected ? { protected: was.protected } : {}), hook: now.hook });
      else changes.push({ kind: 'state-change', ref });
      continue;
    }
    let guarded = false;
    if (!same(was.destination, now.destination)) {
      changes.push({
        kind: 'destination-change',
        ref,
        field: 'destination',
        was: was.destination,
        now: now.destination,
      });
      guarded = true;
    }
    const wasSource = format >= 2 ? was.source : projectSource(was.source);
    const nowSource = format >= 2 ? now.source : projectSource(now.source);
    const patchChanged = format >= 2 && (was.templatePatch ?? null) !== (now.templatePatch ?? null);
    if (!same(wasSource, nowSource) || patchChanged) {
      const details = [
        ...sourceChanges(wasSource, nowSource),
        ...(patchChanged
          ? [
              `templatePatch ${was.templatePatch === undefined ? 'added' : now.templatePatch === undefined ? 'removed' : 'changed'}`,
            ]
          : []),
        ...guardNote(wasSource, nowSource),
      ];
      changes.push({ kind: 'destination-change', ref, field: 'source', was: wasSource, now: nowSource, details });
      guarded = true;
    }
    if (
      !same(was.finalizers, now.finalizers) ||
      (was.preserveResourcesOnDeletion ?? null) !== (now.preserveResourcesOnDeletion ?? null)
    ) {
      changes.push({
        kind: 'finalizer-change',
        ref,
        was: { finalizers: was.finalizers ?? [], preserveResourcesOnDeletion: was.preserveResourcesOnDeletion },
        now: { finalizers: now.finalizers ?? [], preserveResourcesOnDeletion: now.preserveResourcesOnDeletion },
      });
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
    const generated = generatedChanges(ref, was, now);
    changes.push(...generated);
    if (
      !guarded &&
      !generated.some((c) => c.kind === 'state-change') &&
      !same(withoutGenerated(was), withoutGenerated(now))
    )
      changes.push({ kind: 'state-change', ref });
  }
  for (const ref of current.objects.keys()) if (!lock.objects.has(ref)) changes.push({ kind: 'added', ref });
  return changes;
}
