// Turns valid documents into ManifestObjects: the identity Argo CD gives them and their scope, from
// (in order of precedence) CRDs in this same render, Kubernetes' own kinds, the app's `scopes:`
// override, and the table of well-known CRD kinds. The override corrects that table, or names kinds it
// lacks; it cannot contradict a CRD in the render or Kubernetes, or `scopes:` would be a second,
// quieter way around the rules (a ClusterRole called Namespaced passes cluster-scoped; a Deployment
// called Cluster, once allowed by `clusterScoped:`, escapes namespace-escape). Namespaces are defaulted as Argo CD's controller
// does: a namespaced object without one gets the destination namespace; a cluster-scoped object has none.
import { builtinScope, kubernetesScope } from '../model/kube-scopes';
import { canonicalGroup, groupOf, identityKey, metadataOf } from '../model/identity';
import type { JsonObject, ManifestObject, Scope, SourceRef } from '../model/object';
import type { AppConfig, ScopeOverride } from '../config/app-config';

export interface ValidDoc {
  body: JsonObject;
  source: SourceRef;
}

export function crdScopes(docs: readonly ValidDoc[]): Map<string, 'Namespaced' | 'Cluster'> {
  const out = new Map<string, 'Namespaced' | 'Cluster'>();
  for (const { body } of docs) {
    if (body.kind !== 'CustomResourceDefinition' || groupOf(String(body.apiVersion)) !== 'apiextensions.k8s.io') continue;
    const spec = body.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string' && (spec.scope === 'Namespaced' || spec.scope === 'Cluster')) {
      out.set(`${spec.group}/${spec.names.kind}`, spec.scope);
    }
  }
  return out;
}

/** The app's `scopes:` entry for a kind: `group/Kind`, or `core/Kind` or `/Kind` for the core group. */
export function scopeOverride(config: AppConfig, group: string, kind: string): ScopeOverride | undefined {
  return config.scopes[`${group}/${kind}`] ?? (group === '' ? config.scopes[`core/${kind}`] : undefined);
}

/** Explains, for a finding, that the app's `scopes:` entry for this object's kind was not used. */
export function ignoredOverrideNote(config: AppConfig, o: { group: string; kind: string; scope: Scope }): string {
  const override = scopeOverride(config, o.group, o.kind);
  return override && override !== o.scope
    ? ` (its \`scopes:\` entry saying ${override} does not apply: Kubernetes or a CRD in this render makes it ${o.scope})`
    : '';
}

export function resolveObjects(docs: readonly ValidDoc[], destNamespace: string, config: AppConfig): ManifestObject[] {
  const fromCrds = crdScopes(docs);
  return docs.map(({ body, source }) => {
    const apiVersion = body.apiVersion as string;
    const kind = body.kind as string;
    const group = canonicalGroup(groupOf(apiVersion), kind);
    const meta = metadataOf(body);
    const name = (meta.name as string | undefined) ?? `${meta.generateName as string}*`;
    const declaredNamespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    const gk = `${group}/${kind}`;
    const scope: Scope = fromCrds.get(gk) ?? kubernetesScope(group, kind) ?? scopeOverride(config, group, kind) ?? builtinScope(group, kind) ?? 'Unknown';
    const namespace = scope === 'Cluster' ? '' : declaredNamespace || destNamespace;
    return { body, source, apiVersion, kind, group, name, declaredNamespace, namespace, scope, key: identityKey(group, kind, namespace, name) };
  });
}
