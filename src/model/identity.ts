// Object identity as Argo CD and the API server see it: the API group (not the version), kind,
// namespace and name. Two manifests with the same identity are the same live object.
import { asObject, type JsonObject } from './object';

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

/** DNS-1123 subdomain (an API group), DNS-1035 label (a version; a kind once lower-cased), as
 * k8s.io/apimachinery/pkg/util/validation defines them. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** apiVersion read as Go's schema.ParseGroupVersion reads it (issue 9 §1): no "/" is the core group,
 * one "/" splits group and version, more is an error. We also refuse what parses but can never be
 * served, so it cannot name a live object: an empty group or version around the "/", a group that is
 * not a DNS-1123 subdomain, a version that is not a DNS-1035 label (what the API server validates for
 * CRD groups and versions), and the group "core", which Go reads as a group called "core", not as the
 * core group (whose apiVersion is plain `v1`). */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } | { problem: string } {
  const parts = apiVersion.split('/');
  if (parts.length > 2)
    return { problem: 'has more than one "/" (Kubernetes reads group/version, and cannot parse it)' };
  const [group, version] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['', parts[0]!];
  if (parts.length === 2 && group === '')
    return { problem: 'has an empty group before "/" (the core group is written without one: `v1`)' };
  if (version === '') return { problem: 'has an empty version' };
  if (group === 'core')
    return {
      problem:
        'names an API group called "core", which is not the core group: Kubernetes reads `core/v1` as a group named "core" (the core group is written `v1`)',
    };
  if (group.length > 253 || (!DNS1123_SUBDOMAIN.test(group) && group !== ''))
    return { problem: 'has a group that is not a valid API group name (lowercase letters, digits, "-" and ".")' };
  if (version.length > 63 || !DNS1035_LABEL.test(version))
    return {
      problem: 'has a version that is not a valid API version (lowercase letters and digits, such as v1 or v1beta1)',
    };
  return { group, version };
}

/** A kind as the API server validates it: a DNS-1035 label once lower-cased (letters, digits and "-",
 * starting with a letter, at most 63 characters). No "/", ".", "_", spaces or control characters can
 * reach a lock line, a file name or a message through it. */
export function isValidKind(kind: string): boolean {
  return kind.length <= 63 && DNS1035_LABEL.test(kind.toLowerCase());
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function canonicalGroup(group: string, kind: string): string {
  // Own keys only: the group and kind come from the manifest, and `extensions/toString` or
  // `constructor/name` must not read Object.prototype (the group became a function's source text).
  const byKind = Object.hasOwn(GROUP_ALIASES, group) ? GROUP_ALIASES[group]! : undefined;
  return byKind && Object.hasOwn(byKind, kind) ? byKind[kind]! : group;
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
  return asObject(body.metadata);
}

export function annotationsOf(body: JsonObject): Record<string, unknown> {
  return asObject(metadataOf(body).annotations);
}
