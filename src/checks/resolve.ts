// Turns valid documents into ManifestObjects: the identity Argo CD gives them and their scope, from
// (in order of precedence) the app's `scopes:` override, CRDs in this same render, and the built-in
// table. Namespaces are defaulted as Argo CD's controller does: a namespaced object without one gets
// the destination namespace; a cluster-scoped object has none.
import { builtinScope } from '../model/kube-scopes';
import { canonicalGroup, groupOf, identityKey, metadataOf } from '../model/identity';
import type { JsonObject, ManifestObject, Scope, SourceRef } from '../model/object';
import type { AppConfig } from '../config/app-config';

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
    const scope: Scope = config.scopes[gk] ?? (group === '' ? config.scopes[`core/${kind}`] : undefined) ?? fromCrds.get(gk) ?? builtinScope(group, kind) ?? 'Unknown';
    const namespace = scope === 'Cluster' ? '' : declaredNamespace || destNamespace;
    return { body, source, apiVersion, kind, group, name, declaredNamespace, namespace, scope, key: identityKey(group, kind, namespace, name) };
  });
}
