// cluster-scoped: objects outside any namespace (ClusterRoles, CRDs, webhooks, Namespaces) affect the
// whole cluster, and deleting one (a CRD, a Namespace) deletes everything under it. An app owns them
// only when its config says so. A kind whose scope we cannot tell is a warning and treated as
// namespaced, like kustomize does, so namespace-escape still applies to it; a platform policy with
// `unknownScopes: error` makes it an error, since a warning is invisible in Argo CD (issue 8 §9).
// The rule also reports every attempt to redefine a known scope (issue 8 §3, see resolve.ts): a CRD
// for a Kubernetes group or against a known scope, and an app `scopes:` entry that contradicts one.
import { CONFIG_FILE } from '../../config/app-config';
import { displayRef } from '../../model/identity';
import type { Finding } from '../finding';
import { kindListed } from '../../model/kind-match';
import { namespaceAllowed } from '../namespaces';
import { scopeConflicts, scopeNote } from '../../model/resolve';
import { appScopes, scopeSources } from '../scopes';
import type { CheckInput, Rule } from '../rule';

function unknownScopeFinding(input: CheckInput, group: string, kind: string): Finding {
  const gk = group ? `${group}/${kind}` : kind;
  const policy = input.policy;
  const strict = policy?.limits.unknownScopes === 'error';
  const appMay = policy?.limits.allowAppScopes !== false;
  const declare = `\`scopes: {"${group || 'core'}/${kind}": Namespaced}\` (or Cluster)`;
  return {
    rule: 'cluster-scoped',
    severity: strict ? 'error' : 'warning',
    object: gk,
    sources: [],
    message: strict
      ? `scope of kind ${gk} is unknown (no CRD for it in the render, and neither Kubernetes, the platform policy nor the well-known CRD table defines it); the platform policy ${policy!.file} (${policy!.entry}) makes an unknown scope an error (unknownScopes: error)`
      : `scope of kind ${gk} is unknown (no CRD for it in the render); treated as namespaced`,
    fix: appMay
      ? `declare it in ${CONFIG_FILE}: ${declare}${strict ? `, or ask the platform team to declare it in scopes of ${policy!.file}` : ''}`
      : `ask the platform team to declare it in scopes of ${policy!.file} (its policy does not let apps declare scopes), or render the kind's CRD with the app`,
  };
}

export const clusterScoped: Rule = {
  id: 'cluster-scoped',
  check(input) {
    const findings: Finding[] = [];
    const unknownKinds = new Map<string, Finding>();
    for (const o of input.objects) {
      const gk = o.group ? `${o.group}/${o.kind}` : o.kind;
      if (o.scope === 'Unknown') {
        const seen = unknownKinds.get(gk) ?? unknownScopeFinding(input, o.group, o.kind);
        seen.sources.push(o.source);
        unknownKinds.set(gk, seen);
        continue;
      }
      const ceiling = input.policy?.limits.clusterScoped;
      const allowed =
        kindListed(input.config.clusterScoped, o.group, o.kind) &&
        (ceiling === undefined || kindListed(ceiling, o.group, o.kind));
      if (o.scope !== 'Cluster' || allowed) continue;
      // A Namespace object for a namespace the app may write is how apps create their own namespace.
      // Only a namespace named exactly (the destination, or a literal entry in `namespaces`): a glob
      // such as team-* would let the app own, and prune, every matching namespace with all it holds.
      const isNamespace = o.group === '' && o.kind === 'Namespace';
      const namedExactly = o.name === input.app.namespace || input.config.namespaces.includes(o.name);
      if (isNamespace && namedExactly && namespaceAllowed(o.name, input)) continue;
      findings.push({
        rule: 'cluster-scoped',
        severity: 'error',
        object: displayRef(o),
        sources: [o.source],
        message: `cluster-scoped ${gk} is not allowed for this app${scopeNote(appScopes(input.config), o)}`,
        fix: isNamespace
          ? `if this app should own namespace "${o.name}", allow it with \`namespaces: [${o.name}]\` in safe-render.yaml (within the platform policy); otherwise move the Namespace to the app that owns it`
          : `move it to an app that owns cluster objects, or allow the kind with \`clusterScoped: [${o.group ? `${o.group}/` : ''}${o.kind}]\` in safe-render.yaml (within the platform policy)`,
      });
    }
    for (const c of scopeConflicts(input.objects, scopeSources(input.config, input.policy))) {
      findings.push({ rule: 'cluster-scoped', severity: 'error', ...c });
    }
    return [...findings, ...unknownKinds.values()];
  },
};
