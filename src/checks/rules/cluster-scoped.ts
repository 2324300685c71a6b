// cluster-scoped: objects outside any namespace (ClusterRoles, CRDs, webhooks, Namespaces) affect the
// whole cluster, and deleting one (a CRD, a Namespace) deletes everything under it. An app owns them
// only when its config says so. A kind whose scope we cannot tell is a warning and treated as
// namespaced, like kustomize does, so namespace-escape still applies to it.
import { displayRef } from '../../model/identity';
import type { Finding } from '../finding';
import { kindListed } from '../kind-match';
import { namespaceAllowed } from '../namespaces';
import { ignoredOverrideNote } from '../resolve';
import type { Rule } from '../rule';

export const clusterScoped: Rule = {
  id: 'cluster-scoped',
  check(input) {
    const findings: Finding[] = [];
    const unknownKinds = new Map<string, Finding>();
    for (const o of input.objects) {
      const gk = o.group ? `${o.group}/${o.kind}` : o.kind;
      if (o.scope === 'Unknown') {
        const seen = unknownKinds.get(gk);
        if (seen) seen.sources.push(o.source);
        else unknownKinds.set(gk, {
          rule: 'cluster-scoped', severity: 'warning', object: gk, sources: [o.source],
          message: `scope of kind ${gk} is unknown (no CRD for it in the render); treated as namespaced`,
          fix: `declare it in safe-render.yaml: \`scopes: {"${o.group}/${o.kind}": Namespaced}\` (or Cluster)`,
        });
        continue;
      }
      const ceiling = input.policy?.limits.clusterScoped;
      const allowed = kindListed(input.config.clusterScoped, o.group, o.kind) && (ceiling === undefined || kindListed(ceiling, o.group, o.kind));
      if (o.scope !== 'Cluster' || allowed) continue;
      // A Namespace object for a namespace the app may write is how apps create their own namespace.
      // Only a namespace named exactly (the destination, or a literal entry in `namespaces`): a glob
      // such as team-* would let the app own, and prune, every matching namespace with all it holds.
      const isNamespace = o.group === '' && o.kind === 'Namespace';
      const namedExactly = o.name === input.app.namespace || input.config.namespaces.includes(o.name);
      if (isNamespace && namedExactly && namespaceAllowed(o.name, input)) continue;
      findings.push({
        rule: 'cluster-scoped', severity: 'error', object: displayRef(o), sources: [o.source],
        message: `cluster-scoped ${gk} is not allowed for this app${ignoredOverrideNote(input.config, o)}`,
        fix: isNamespace
          ? `if this app should own namespace "${o.name}", allow it with \`namespaces: [${o.name}]\` in safe-render.yaml (within the platform policy); otherwise move the Namespace to the app that owns it`
          : `move it to an app that owns cluster objects, or allow the kind with \`clusterScoped: [${o.group ? `${o.group}/` : ''}${o.kind}]\` in safe-render.yaml (within the platform policy)`,
      });
    }
    return [...findings, ...unknownKinds.values()];
  },
};
