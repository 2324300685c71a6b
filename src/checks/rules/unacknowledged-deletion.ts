// unacknowledged-deletion: an object recorded in the app's lock is missing from the render. With
// auto-prune Argo CD would delete it from the cluster (Skyscanner's 478 services, argo-cd#16721: a rename
// is a delete and a create). A deletion is accepted only by rewriting the lock in a reviewed commit.
import { deletionBudget, overBudget } from '../../lock/acceptance';
import type { Finding } from '../finding';
import { lockCommand } from '../lock-hint';
import type { Rule } from '../rule';

export const unacknowledgedDeletion: Rule = {
  id: 'unacknowledged-deletion',
  check({ lockChanges, lockState, app, policy }) {
    const findings: Finding[] = [];
    const deleted = lockChanges.filter((c) => c.kind === 'deleted');
    // The command in the fix must work as given: `lock` also asks for mass-deletion over the budget.
    const mass = lockState.lock && overBudget(deleted.length, lockState.lock.objects.size, deletionBudget(policy?.limits)) ? [`mass-deletion:${app.appName}`] : [];
    for (const c of deleted) {
      findings.push({
        rule: 'unacknowledged-deletion', severity: 'error', object: c.ref, sources: [],
        message: `is in the lock (${lockState.file}) but missing from the render; Argo CD would delete it${c.protected ? ` and it is protected (${c.protected})` : ''}`,
        fix: `if this is an accident, restore the object (check renames, paths and templates); if the deletion is intended, run ${lockCommand(app, [...(c.protected ? [`protected-deletion:${c.ref}`] : []), ...mass])} and commit the lock with the change`,
      });
    }
    return findings;
  },
};
