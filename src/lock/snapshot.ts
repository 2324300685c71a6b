// What a render looks like as a lock: pure.
import { annotationsOf, metadataOf } from '../model/identity';
import { asObject, type JsonObject, type ManifestObject } from '../model/object';
import type { AppContext } from '../context/app-context';
import { byCodeUnit } from '../util/compare';
import { LOCK_VERSION, type LockFile, type LockSource, type ObjectState } from './lock-file';
import { protectionReason } from './protection';
import { appSources, digest } from './app-source';
import { hookAnnotation } from './sync-options';

/** `apps/StatefulSet/prod/kafka`, `core/Namespace/prod` (cluster-scoped objects have no namespace part). */
export function objectRef(o: Pick<ManifestObject, 'group' | 'kind' | 'namespace' | 'name'>): string {
  const g = o.group || 'core';
  return o.namespace ? `${g}/${o.kind}/${o.namespace}/${o.name}` : `${g}/${o.kind}/${o.name}`;
}

export const SAFETY_ANNOTATIONS = [
  'argocd.argoproj.io/sync-options',
  'helm.sh/resource-policy',
  'kustomize.toolkit.fluxcd.io/prune',
] as const;

function deletionFinalizers(meta: JsonObject): string[] | undefined {
  const f = Array.isArray(meta.finalizers)
    ? meta.finalizers.filter(
        (x): x is string => typeof x === 'string' && x.startsWith('resources-finalizer.argocd.argoproj.io'),
      )
    : [];
  return f.length ? f.sort() : undefined;
}

function applicationState(spec: JsonObject, meta: JsonObject): ObjectState {
  return {
    destination: spec.destination,
    // Every field that decides what the child renders, secrets digested (app-source.ts, issue 8 §4).
    source: appSources(spec),
    finalizers: deletionFinalizers(meta),
    syncPolicy: spec.syncPolicy,
  };
}

export function objectState(o: ManifestObject, extraProtectedKinds: readonly string[]): ObjectState {
  // A hook is not a synced object (contract §10): Argo CD runs it at its phase and never prunes it, so
  // the lock records only that it is one. An object the lock records without `hook` and the render
  // makes a hook has left the sync set: diff.ts reports it as deleted.
  const hook = hookAnnotation(o.body);
  if (hook) return { hook };
  const state: ObjectState = {};
  const reason = protectionReason(o, extraProtectedKinds);
  if (reason) state.protected = reason;
  const a = annotationsOf(o.body);
  const kept: Record<string, string> = {};
  for (const k of SAFETY_ANNOTATIONS) if (typeof a[k] === 'string') kept[k] = a[k] as string;
  if (Object.keys(kept).length) state.annotations = kept;
  if (o.group === 'argoproj.io') {
    const spec = asObject(o.body.spec);
    if (o.kind === 'Application') Object.assign(state, applicationState(spec, metadataOf(o.body)));
    if (o.kind === 'ApplicationSet') {
      const template = asObject(spec.template);
      Object.assign(state, applicationState(asObject(template.spec), asObject(template.metadata)));
      // templatePatch (a Go template patched over every generated Application) can change any source
      // field, the plugin included: recorded as a digest, so a change is a source change to accept.
      if (spec.templatePatch !== undefined) state.templatePatch = digest(spec.templatePatch);
      state.preserveResourcesOnDeletion = asObject(spec.syncPolicy).preserveResourcesOnDeletion === true;
    }
    if (o.kind === 'AppProject') {
      state.destination = spec.destinations;
      state.finalizers = deletionFinalizers(metadataOf(o.body));
    }
  }
  for (const k of Object.keys(state) as (keyof ObjectState)[]) if (state[k] === undefined) delete state[k];
  return state;
}

export function lockSource(app: Pick<AppContext, 'repoURL' | 'sourcePath'>): LockSource {
  return { repoURL: app.repoURL, path: normalizePath(app.sourcePath) };
}

export function normalizePath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  return parts.length ? parts.join('/') : '.';
}

/** Repo URLs that differ only in case of the host, a trailing slash or `.git` are the same repo. */
export function normalizeRepoURL(u: string): string {
  return u
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

/** What an ApplicationSet of the render generates offline (issue 11): computed above the lock layer
 * (checks/generated-apps.ts), recorded here. */
export interface GeneratedNames {
  /** `namespace/name` of every Application its generators yield. */
  names: readonly string[];
  /** The effective applicationsSync policy when it never deletes an Application (KEEPING_POLICIES). */
  applicationsSync?: string;
}

/** The lock ref of the Application `namespace/name`: what `--accept appset-app-removed:REF` names. */
export function generatedAppRef(name: string): string {
  return `argoproj.io/Application/${name}`;
}

export function snapshotRender(
  objects: readonly ManifestObject[],
  app: AppContext,
  extraProtectedKinds: readonly string[],
  empty: boolean,
  /** ApplicationSet ref -> what it generates; an ApplicationSet not in it records nothing. */
  generated?: ReadonlyMap<string, GeneratedNames>,
): LockFile {
  const map = new Map<string, ObjectState>();
  for (const o of objects) {
    const ref = objectRef(o);
    const state = objectState(o, extraProtectedKinds);
    const g = generated?.get(ref);
    if (g && !state.hook) {
      state.generates = [...new Set(g.names)].sort(byCodeUnit);
      if (g.applicationsSync) state.applicationsSync = g.applicationsSync;
    }
    map.set(ref, state);
  }
  return { app: app.appName, source: lockSource(app), empty, objects: map, accepted: [], format: LOCK_VERSION };
}
