// Object identity as Argo CD and the API server see it: the API group (not the version), kind,
// namespace and name. Two manifests with the same identity are the same live object.
import type { JsonObject } from './object';

/** Old groups that serve the same objects as their successors, by kind. A Deployment under
 * extensions/v1beta1 and one under apps/v1 with the same name are one object in the cluster. */
const GROUP_ALIASES: Record<string, Record<string, string>> = {
  extensions: {
    Deployment: 'apps',
    DaemonSet: 'apps',
    ReplicaSet: 'apps',
    Ingress: 'networking.k8s.io',
    NetworkPolicy: 'networking.k8s.io',
    PodSecurityPolicy: 'policy',
  },
  'events.k8s.io': { Event: '' },
};

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function canonicalGroup(group: string, kind: string): string {
  return GROUP_ALIASES[group]?.[kind] ?? group;
}

export function identityKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/** `apps/Deployment prod/web`, `ConfigMap prod/settings`, `rbac.authorization.k8s.io/ClusterRole admin`. */
export function displayRef(o: { group: string; kind: string; namespace: string; name: string }): string {
  const gk = o.group ? `${o.group}/${o.kind}` : o.kind;
  return o.namespace ? `${gk} ${o.namespace}/${o.name}` : `${gk} ${o.name}`;
}

export function metadataOf(body: JsonObject): JsonObject {
  const m = body.metadata;
  return m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as JsonObject) : {};
}

export function annotationsOf(body: JsonObject): Record<string, unknown> {
  const a = metadataOf(body).annotations;
  return a !== null && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
}
