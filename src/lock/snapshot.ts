// What a render looks like as a lock: pure.
import { annotationsOf, metadataOf } from '../model/identity';
import type { JsonObject, ManifestObject } from '../model/object';
import type { AppContext } from '../context/app-context';
import type { LockFile, LockSource, ObjectState } from './lock-file';
import { protectionReason } from './protection';

/** `apps/StatefulSet/prod/kafka`, `core/Namespace/prod` (cluster-scoped objects have no namespace part). */
export function objectRef(o: Pick<ManifestObject, 'group' | 'kind' | 'namespace' | 'name'>): string {
  const g = o.group || 'core';
  return o.namespace ? `${g}/${o.kind}/${o.namespace}/${o.name}` : `${g}/${o.kind}/${o.name}`;
}

export const SAFETY_ANNOTATIONS = ['argocd.argoproj.io/sync-options', 'helm.sh/resource-policy', 'kustomize.toolkit.fluxcd.io/prune'] as const;

const obj = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});

/** Where an Application source points: enough to see a re-point, without inline values (which may hold secrets). */
function sourceSummary(s: unknown): unknown {
  const o = obj(s);
  const pick: JsonObject = {};
  for (const k of ['repoURL', 'path', 'chart', 'targetRevision', 'ref']) if (o[k] !== undefined) pick[k] = o[k];
  return pick;
}

function deletionFinalizers(meta: JsonObject): string[] | undefined {
  const f = Array.isArray(meta.finalizers) ? meta.finalizers.filter((x): x is string => typeof x === 'string' && x.startsWith('resources-finalizer.argocd.argoproj.io')) : [];
  return f.length ? f.sort() : undefined;
}

function applicationState(spec: JsonObject, meta: JsonObject): ObjectState {
  return {
    destination: spec.destination,
    source: spec.sources !== undefined ? (Array.isArray(spec.sources) ? spec.sources.map(sourceSummary) : spec.sources) : spec.source === undefined ? undefined : sourceSummary(spec.source),
    finalizers: deletionFinalizers(meta),
    syncPolicy: spec.syncPolicy,
  };
}

export function objectState(o: ManifestObject, extraProtectedKinds: readonly string[]): ObjectState {
  const state: ObjectState = {};
  const reason = protectionReason(o, extraProtectedKinds);
  if (reason) state.protected = reason;
  const a = annotationsOf(o.body);
  const kept: Record<string, string> = {};
  for (const k of SAFETY_ANNOTATIONS) if (typeof a[k] === 'string') kept[k] = a[k] as string;
  if (Object.keys(kept).length) state.annotations = kept;
  if (o.group === 'argoproj.io') {
    const spec = obj(o.body.spec);
    if (o.kind === 'Application') Object.assign(state, applicationState(spec, metadataOf(o.body)));
    if (o.kind === 'ApplicationSet') {
      const template = obj(spec.template);
      Object.assign(state, applicationState(obj(template.spec), obj(template.metadata)));
      state.preserveResourcesOnDeletion = obj(spec.syncPolicy).preserveResourcesOnDeletion === true;
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
  return u.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

export function snapshotRender(objects: readonly ManifestObject[], app: AppContext, extraProtectedKinds: readonly string[], empty: boolean): LockFile {
  const map = new Map<string, ObjectState>();
  for (const o of objects) map.set(objectRef(o), objectState(o, extraProtectedKinds));
  return { app: app.appName, source: lockSource(app), empty, objects: map, accepted: [] };
}
