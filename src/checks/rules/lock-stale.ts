// lock-stale: the render adds objects or changes recorded state in ways that take nothing away. That
// is safe to deploy, so the sidecar only warns; CI asks for the lock to be rewritten so the next
// deletion is measured against an up-to-date baseline: in `safe-render ci` it is an error.
import { LOCK_VERSION } from '../../lock/lock-file';
import type { Finding } from '../finding';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const lockStale: Rule = {
  id: 'lock-stale',
  check({ lockChanges, lockState, app, objects, mode }) {
    const added = lockChanges.filter((c) => c.kind === 'added').length;
    const changed = lockChanges.filter((c) => c.kind === 'state-change' || c.kind === 'protection-removed').length;
    // Names an ApplicationSet generates that the lock does not record, and names it no longer generates
    // under a policy that keeps the Application (create-only/create-update: nothing is deleted).
    const generated = lockChanges.filter((c) => c.kind === 'generated-added').length;
    const kept = lockChanges.filter((c) => c.kind === 'generated-removed' && c.kept !== undefined).length;
    const emptyNoLonger = lockState.lock?.empty === true && objects.length > 0;
    // A format-1 lock is compared on what it records (lock/diff.ts): until it is rewritten, hooks and
    // most Application source fields are not checked against it. Say so on every render.
    const oldFormat = (lockState.lock?.format ?? LOCK_VERSION) < LOCK_VERSION;
    // A lock written without a repository URL (before `lock` took it from the Git remote, issue 14)
    // switches off the repository half of app-source-drift: the fix below names the app's URL.
    const noRepoURL = lockState.lock !== undefined && lockState.lock.source.repoURL === '' && app.repoURL !== '';
    if (!added && !changed && !generated && !kept && !emptyNoLonger && !oldFormat && !noRepoURL) return [];
    const parts = [
      added && `${added} object${added === 1 ? '' : 's'} not in the lock`,
      changed && `${changed} with changed recorded state`,
      generated && `${generated} generated Application${generated === 1 ? '' : 's'} not in the lock`,
      kept &&
        `${kept} generated Application${kept === 1 ? '' : 's'} no longer generated (the ApplicationSet's applicationsSync policy keeps ${kept === 1 ? 'it' : 'them'} running)`,
      emptyNoLonger && 'the lock declares the app empty',
      noRepoURL && 'it records no repoURL, so app-source-drift cannot see the app re-pointed at another repository',
      oldFormat &&
        `it is lock format ${lockState.lock?.format}, which does not record hooks or every field of an Application's source (this safe-render writes format ${LOCK_VERSION}; until it is rewritten those changes are not checked)`,
    ].filter(Boolean);
    const finding: Finding = {
      rule: 'lock-stale',
      // In `ci` an error: CI is where locks are kept true (issue 11).
      severity: mode === 'ci' ? 'error' : 'warning',
      object: `app ${app.appName}`,
      sources: [],
      message: `the lock (${lockState.file}) is out of date: ${parts.join(', ')}`,
      fix: `run ${lockCommand(app)} and commit the lock`,
    };
    return [finding];
  },
};
