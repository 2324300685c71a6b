// unacknowledged-deletion: an object recorded in the app's lock is missing from the render. With
// auto-prune Argo CD would delete it from the cluster (Skyscanner's 478 services, argo-cd#16721: a rename
// is a delete and a create). An object that the render turns into an Argo CD or Helm hook has left the
// render too: Argo CD splits hooks off the objects it syncs and prunes the live copy (contract §10).
// A deletion is accepted only by rewriting the lock in a reviewed commit.
import { deletionBudget, overBudget } from '../../lock/acceptance';
import type { Finding } from '../finding';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const unacknowledgedDeletion: Rule = {
  id: 'unacknowledged-deletion',
  check({ lockChanges, lockState, app, policy }) {
    const findings: Finding[] = [];
    const deleted = lockChanges.filter((c) => c.kind === 'deleted');
    // The command in the fix must work as given: `lock` also asks for mass-deletion over the budget.
    const mass =
      lockState.lock && overBudget(deleted.length, lockState.lock.objects.size, deletionBudget(policy?.limits))
        ? [acceptToken('mass-deletion', { app: app.appName })]
        : [];
    for (const c of deleted) {
      findings.push({
        rule: 'unacknowledged-deletion',
        severity: 'error',
        object: c.ref,
        sources: [],
        message: c.hook
          ? `is in the lock (${lockState.file}) as a synced object, but the render makes it a hook (${c.hook}); Argo CD takes hooks out of the objects it syncs and prunes the live one, so it counts as removed${c.protected ? ` and it is protected (${c.protected})` : ''}`
          : `is in the lock (${lockState.file}) but missing from the render; Argo CD would delete it${c.protected ? ` and it is protected (${c.protected})` : ''}`,
        fix: `if this is an accident, ${c.hook ? `remove the ${c.hook} annotation (\`argocd.argoproj.io/hook: Skip\` alone is not a hook)` : 'restore the object (check renames, paths and templates)'}; if the deletion is intended, run ${lockCommand(app, [...(c.protected ? [acceptToken('protected-deletion', { app: app.appName, object: c.ref })] : []), ...mass])} and commit the lock with the change`,
      });
    }
    return findings;
  },
};
