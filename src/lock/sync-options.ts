// How Argo CD reads the annotations that decide whether an object is synced, pruned or deleted,
// ported from gitops-engine (pkg/sync/resource/annotations.go, pkg/sync/hook/hook.go,
// pkg/sync/hook/helm/hook.go, pkg/sync/common/types.go; contract §10). Pure.
//
// The point of porting them exactly: a value that safe-render reads as a safety switch but Argo CD
// does not (`Prune=False`, `Prune=false-ish`) protects nothing, and a hook value that safe-render does
// not recognise but Argo CD does (`presync`, ``, `PreDelete`) takes the object out of the sync set.
import { annotationsOf } from '../model/identity';
import type { JsonObject } from '../model/object';

export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ARGO_HOOK = 'argocd.argoproj.io/hook';
export const HELM_HOOK = 'helm.sh/hook';

/** gitops-engine `GetAnnotationCSVs`: split at commas, trim, drop empty, dedupe. */
export function annotationCSVs(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

/** gitops-engine `HasAnnotationOption`: one comma-separated item equals `option` exactly (case-sensitive). */
export function hasOption(value: unknown, option: string): boolean {
  return annotationCSVs(value).includes(option);
}

const ARGO_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);
const HELM_HOOK_TYPES = new Set(['pre-install', 'pre-upgrade', 'post-upgrade', 'post-install']);

/**
 * Which annotation makes the object an Argo CD hook, or undefined when it is an ordinary (synced)
 * object. gitops-engine `hook.IsHook`: when `argocd.argoproj.io/hook` is present the object is a hook
 * unless its recognised types are exactly `Skip` (`Skip` alone or repeated; an unknown, empty or
 * lower-case value, `PreDelete` and `PostDelete` all make it a hook; `helm.sh/hook` is then not read).
 * Otherwise any `helm.sh/hook` except exactly `crd-install` makes it one (`test`, `pre-delete`, unknown).
 * Hooks are split off the target set (`splitHooks`), so the live copy of a formerly synced object is pruned.
 */
export function hookAnnotation(body: JsonObject): typeof ARGO_HOOK | typeof HELM_HOOK | undefined {
  const a = annotationsOf(body);
  if (Object.prototype.hasOwnProperty.call(a, ARGO_HOOK)) {
    // A non-string value: the API server refuses it anyway; counting it as a hook fails closed.
    if (typeof a[ARGO_HOOK] !== 'string') return ARGO_HOOK;
    let types = annotationCSVs(a[ARGO_HOOK]).filter((t) => ARGO_HOOK_TYPES.has(t));
    // hook.Types: without a recognised Argo CD type, the Helm types count (they never map to Skip).
    if (types.length === 0) types = annotationCSVs(a[HELM_HOOK]).filter((t) => HELM_HOOK_TYPES.has(t));
    const skip = types.includes('Skip') && types.length === 1;
    if (!skip) return ARGO_HOOK;
  } else if (Object.prototype.hasOwnProperty.call(a, HELM_HOOK)) {
    return a[HELM_HOOK] === 'crd-install' ? undefined : HELM_HOOK;
  }
  return deleteHookAnnotation(a);
}

/**
 * argo-cd's controller (controller/hook.go `isPreDeleteHook`/`isPostDeleteHook`, used by state.go
 * `partitionTargetObjsForSync`) drops a PreDelete/PostDelete hook from the sync set unless gitops-engine
 * gives it a sync phase, and it reads both keys, whatever `hook.IsHook` decided: so `Skip` next to
 * `helm.sh/hook: pre-delete`, or `Skip,PostDelete` (trimmed comma-separated items since argo-cd
 * 956a6a1352, #26420; before, the whole value), leaves the sync set and its live copy is pruned
 * although gitops-engine calls it no hook (review9). Matched on items, the wider reading, so that no
 * version prunes what we count as synced.
 */
function deleteHookAnnotation(a: Record<string, unknown>): typeof ARGO_HOOK | typeof HELM_HOOK | undefined {
  const items = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : []);
  if (items(a[ARGO_HOOK]).some((t) => t === 'PreDelete' || t === 'PostDelete')) return ARGO_HOOK;
  if (items(a[HELM_HOOK]).some((t) => t === 'pre-delete' || t === 'post-delete')) return HELM_HOOK;
  return undefined;
}

export type SwitchLevel = 0 | 1 | 2;

const levelOf = (v: string | undefined): SwitchLevel => (v === 'false' ? 2 : v === 'confirm' ? 1 : 0);

/**
 * How strongly Argo CD holds back pruning (`Prune`) or deletion with the Application (`Delete`):
 * 2 for `=false` (never), 1 for `=confirm` (waits until a person confirms: gitops-engine
 * `SyncOptionPruneRequireConfirm`, "Waiting for pruning confirmation"; argo-cd controller/state.go
 * `confirmDelete` for `Delete=confirm`), 0 otherwise, as each Argo CD version reads the annotation:
 * [0] gitops-engine up to argo-cd b7e2027f35 (#23370, Mar 2026): any trimmed comma item equal to
 * `Prune=false` (`HasAnnotationOption`); [1] since then (argo-cd 37ee0097, the contract's version):
 * the value of the FIRST item that starts with `Prune=` (`GetAnnotationOptionValue`), so
 * `Prune=true,Prune=false` protects nothing and `Prune=confirm,Prune=false` only asks (review9).
 * Matched exactly in both: `Prune=False`, `Prune = false` or `NoPrune=false` are 0.
 */
export function switchLevels(syncOptions: unknown, option: 'Prune' | 'Delete'): [SwitchLevel, SwitchLevel] {
  const items = annotationCSVs(syncOptions);
  const any: SwitchLevel = items.includes(`${option}=false`) ? 2 : items.includes(`${option}=confirm`) ? 1 : 0;
  const first = items.find((i) => i.startsWith(`${option}=`));
  return [any, levelOf(first?.slice(option.length + 1))];
}

/** The strongest reading (switchLevels): what makes an object protected for the lock, which only ever
 * asks for more (an `--accept`), never lets a deletion through. */
export function switchLevel(syncOptions: unknown, option: 'Prune' | 'Delete'): SwitchLevel {
  const [a, b] = switchLevels(syncOptions, option);
  return a > b ? a : b;
}

/** An Application's `syncPolicy.syncOptions` as argo-cd reads `Prune`/`Delete` there (SyncOptions
 * `GetOptionValue`, since b7e2027f35; earlier versions did not read them at all): the value of the
 * first item that starts with `Prune=`, untrimmed (` Prune=false` is not it). */
export function appSwitchLevel(syncOptions: unknown, option: 'Prune' | 'Delete'): SwitchLevel {
  if (!Array.isArray(syncOptions)) return 0;
  const first = syncOptions.find((i): i is string => typeof i === 'string' && i.startsWith(`${option}=`));
  return levelOf(first?.slice(option.length + 1));
}

/** argo-cd `SyncOptions.HasOption` on an Application's `syncPolicy.syncOptions`: an item equal to
 * `option`, untrimmed and unsplit (`slices.Contains`). */
export function hasAppOption(syncOptions: unknown, option: string): boolean {
  return Array.isArray(syncOptions) && syncOptions.includes(option);
}

/** `Force=true`: apply and replace delete and re-create the object (gitops-engine sync_context.go
 * reads it from the target object, so adding it takes effect in the same sync). */
export function forcesRecreate(syncOptions: unknown): boolean {
  return hasOption(syncOptions, 'Force=true');
}
