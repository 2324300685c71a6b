// namespace-escape: a namespaced object outside the namespaces the app may write. An app that writes
// into another team's namespace can overwrite, and later prune, objects it does not own.
import { displayRef } from '../../model/identity';
import type { Finding } from '../finding';
import { allowedNamespacesText, namespaceAllowed } from '../namespaces';
import { scopeNote } from '../../model/resolve';
import { appScopes } from '../scopes';
import type { Rule } from '../rule';

export const namespaceEscape: Rule = {
  id: 'namespace-escape',
  check(input) {
    const findings: Finding[] = [];
    for (const o of input.objects) {
      if (o.scope === 'Cluster' || namespaceAllowed(o.namespace, input)) continue;
      findings.push(
        o.namespace === ''
          ? {
              rule: 'namespace-escape',
              severity: 'error',
              object: displayRef(o),
              sources: [o.source],
              message: 'namespaced object without metadata.namespace, and the app has no destination namespace',
              fix: 'set spec.destination.namespace in the Application (or --namespace for render), or set metadata.namespace',
            }
          : {
              rule: 'namespace-escape',
              severity: 'error',
              object: displayRef(o),
              sources: [o.source],
              message: `writes to namespace "${o.namespace}"; the app may write only ${allowedNamespacesText(input)}${scopeNote(appScopes(input.config), o)}`,
              fix: `remove metadata.namespace to use the destination namespace, or allow it with \`namespaces: [${o.namespace}]\` in safe-render.yaml (within the platform policy)`,
            },
      );
    }
    return findings;
  },
};
