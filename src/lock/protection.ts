// Which objects must never disappear silently. Deleting one of these deletes data or everything
// beneath it: a Namespace takes its contents, a CRD its custom resources, a PVC/PV its volume, an Argo CD
// Application its whole app (with the resources finalizer), a cluster object a whole cluster.
import { annotationsOf, metadataOf } from '../model/identity';
import type { ManifestObject } from '../model/object';
import { kindListed } from '../model/kind-match';
import { hasOption, SYNC_OPTIONS, switchLevel } from './sync-options';

const BUILTIN: readonly string[] = [
  'core/Namespace',
  'core/PersistentVolumeClaim',
  'core/PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'storage.k8s.io/StorageClass',
  'apps/StatefulSet',
  'argoproj.io/Application',
  'argoproj.io/ApplicationSet',
  'argoproj.io/AppProject',
  // Objects that *are* clusters (threat model): Gardener shoots; other providers end in "Cluster".
  'core.gardener.cloud/Shoot',
];

/** Cluster API `Cluster`, Crossplane/ACK/Config Connector/ASO kinds such as `ManagedCluster`,
 * `ContainerCluster`, and CloudNativePG's `Cluster`: a kind named *Cluster outside the Kubernetes API
 * groups is a cluster (or a clustered database). ClusterRole and friends start, not end, with Cluster. */
function isClusterObject(group: string, kind: string): boolean {
  return kind.endsWith('Cluster') && group !== '' && !group.endsWith('.k8s.io');
}

/** A Secret that registers a cluster with Argo CD: deleting it disconnects every app on that cluster. */
function isArgoClusterSecret(o: ManifestObject): boolean {
  const labels = metadataOf(o.body).labels as Record<string, unknown> | undefined;
  return o.group === '' && o.kind === 'Secret' && labels?.['argocd.argoproj.io/secret-type'] === 'cluster';
}

/** Why the object is protected, or undefined. `extraKinds` are the app's and the policy's protectedKinds. */
export function protectionReason(o: ManifestObject, extraKinds: readonly string[]): string | undefined {
  if (kindListed(BUILTIN, o.group, o.kind)) return `${o.kind} is a protected kind`;
  if (isClusterObject(o.group, o.kind)) return `${o.kind} is a cluster`;
  if (isArgoClusterSecret(o)) return 'it registers a cluster with Argo CD';
  if (kindListed(extraKinds, o.group, o.kind)) return `${o.kind} is listed in protectedKinds`;
  const a = annotationsOf(o.body);
  // Only what Argo CD honours, read as it reads it (exact comma-separated items; contract §10):
  // `Prune=false`/`Delete=false`, and `=confirm`, which makes Argo CD wait for a person to confirm.
  // Recorded from the render at lock time, the lock stands for the live object: protection taken from
  // the render alone never relaxes a deletion check (diff.ts reads `protected` from the lock).
  for (const opt of ['Prune', 'Delete'] as const) {
    const level = switchLevel(a[SYNC_OPTIONS], opt);
    if (level) return `it is marked ${opt}=${level === 2 ? 'false' : 'confirm'}`;
  }
  if (hasOption(a['helm.sh/resource-policy'], 'keep')) return 'it is marked helm.sh/resource-policy: keep';
  if (a['kustomize.toolkit.fluxcd.io/prune'] === 'disabled')
    return 'it is marked kustomize.toolkit.fluxcd.io/prune: disabled';
  return undefined;
}
