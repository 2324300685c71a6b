// lock-stale: the render adds objects or changes recorded state in ways that take nothing away. That
// is safe to deploy, so the sidecar only warns; CI asks for the lock to be rewritten so the next
// deletion is measured against an up-to-date baseline.
import type { Finding } from '../finding';
import { lockCommand } from '../lock-hint';
import type { Rule } from '../rule';

export const lockStale: Rule = {
  id: 'lock-stale',
  check({ lockChanges, lockState, app, objects }) {
    const added = lockChanges.filter((c) => c.kind === 'added').length;
    const changed = lockChanges.filter((c) => c.kind === 'state-change' || c.kind === 'protection-removed').length;
    const emptyNoLonger = lockState.lock?.empty === true && objects.length > 0;
    if (!added && !changed && !emptyNoLonger) return [];
    const parts = [added && `${added} object${added === 1 ? '' : 's'} not in the lock`, changed && `${changed} with changed recorded state`, emptyNoLonger && 'the lock declares the app empty'].filter(Boolean);
    const finding: Finding = {
      rule: 'lock-stale', severity: 'warning', object: `app ${app.appName}`, sources: [],
      message: `the lock (${lockState.file}) is out of date: ${parts.join(', ')}`,
      fix: `run ${lockCommand(app)} and commit the lock`,
    };
    return [finding];
  },
};
