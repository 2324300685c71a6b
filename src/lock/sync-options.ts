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
  return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
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
    // Skip is no sync phase, so a Skip object that is also a delete hook is dropped from the sync set
    // by the controller itself (review8: `Skip,PostDelete` passed as an ordinary object).
    return deleteHookAnnotation(a);
  }
  if (Object.prototype.hasOwnProperty.call(a, HELM_HOOK)) return a[HELM_HOOK] === 'crd-install' ? undefined : HELM_HOOK;
  return undefined;
}

/**
 * argo-cd controller/hook.go `isPreDeleteHook`/`isPostDeleteHook`: one comma-separated item (trimmed) of
 * `argocd.argoproj.io/hook` is `PreDelete`/`PostDelete`, or of `helm.sh/hook` is `pre-delete`/`post-delete`.
 * `partitionTargetObjsForSync` (controller/state.go) takes such an object out of the sync set unless
 * gitops-engine would also run it in a sync phase (PreSync, Sync, PostSync, SyncFail): it is then
 * pruned like a hook, whatever gitops-engine's `IsHook` says (contract §10: "pre/post-delete hooks are
 * removed too"). Only reached for objects `IsHook` calls ordinary, which have no sync-phase type.
 */
function deleteHookAnnotation(a: Record<string, unknown>): typeof ARGO_HOOK | typeof HELM_HOOK | undefined {
  const items = (k: string) => (typeof a[k] === 'string' ? (a[k] as string).split(',').map((s) => s.trim()) : []);
  if (items(ARGO_HOOK).some((t) => t === 'PreDelete' || t === 'PostDelete')) return ARGO_HOOK;
  if (items(HELM_HOOK).some((t) => t === 'pre-delete' || t === 'post-delete')) return HELM_HOOK;
  return undefined;
}

/**
 * How strongly Argo CD holds back pruning (`Prune`) or deletion with the Application (`Delete`):
 * 2 for `=false` (never), 1 for `=confirm` (waits until a person confirms: gitops-engine
 * `SyncOptionPruneRequireConfirm`, "Waiting for pruning confirmation"; argo-cd controller/state.go
 * `confirmDelete` for `Delete=confirm`), 0 otherwise. Matched exactly like Argo CD: `Prune=False`,
 * `Prune = false` or `NoPrune=false` are 0.
 */
export function switchLevel(syncOptions: unknown, option: 'Prune' | 'Delete'): 0 | 1 | 2 {
  if (hasOption(syncOptions, `${option}=false`)) return 2;
  if (hasOption(syncOptions, `${option}=confirm`)) return 1;
  return 0;
}

/** `Force=true`: apply and replace delete and re-create the object (gitops-engine sync_context.go
 * reads it from the target object, so adding it takes effect in the same sync). */
export function forcesRecreate(syncOptions: unknown): boolean {
  return hasOption(syncOptions, 'Force=true');
}
