// unacknowledged-deletion: an object recorded in the app's lock is missing from the render. With
// auto-prune Argo CD would delete it from the cluster (Skyscanner's 478 services, argo-cd#16721: a rename
// is a delete and a create). A deletion is accepted only by rewriting the lock in a reviewed commit.
import type { Finding } from '../finding';
import { lockCommand } from '../lock-hint';
import type { Rule } from '../rule';

export const unacknowledgedDeletion: Rule = {
  id: 'unacknowledged-deletion',
  check({ lockChanges, lockState, app }) {
    const findings: Finding[] = [];
    for (const c of lockChanges) {
      if (c.kind !== 'deleted') continue;
      findings.push({
        rule: 'unacknowledged-deletion', severity: 'error', object: c.ref, sources: [],
        message: `is in the lock (${lockState.file}) but missing from the render; Argo CD would delete it${c.protected ? ` and it is protected (${c.protected})` : ''}`,
        fix: `if this is an accident, restore the object (check renames, paths and templates); if the deletion is intended, run ${lockCommand(app, c.protected ? [`protected-deletion:${c.ref}`] : [])} and commit the lock with the change`,
      });
    }
    return findings;
  },
};
