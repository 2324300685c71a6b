// repo-mass-deletion (issue 11, "Checks across apps"): the repository-wide deletion budget. Each app's
// own budget (mass-deletion, unacknowledged-deletion) is measured against its own lock, so one shared
// template or values change that removes a few objects from each of many apps passes every app, and
// Argo CD's auto-prune deletes all of it at once. Summed over every app of the pull request, pending
// (refused) and accepted deletions alike: accepting each app's deletions does not make a mass deletion
// smaller, it makes it reviewed one app at a time, which is what this rule asks to be done as a whole.
import type { Finding } from '../model/finding';
import type { CiApp } from './report-model';
import { byCodeUnit } from '../util/compare';

/** How many apps the finding names, biggest first. */
export const TOP_APPS = 5;

export function repoMassDeletion(apps: readonly CiApp[], maxDeletions: number): Finding[] {
  const per: Array<{ app: CiApp; n: number }> = [];
  let total = 0;
  for (const app of apps) {
    const n = app.deletions.pending + app.deletions.accepted;
    if (n <= 0) continue;
    total += n;
    per.push({ app, n });
  }
  if (total <= maxDeletions) return [];
  per.sort((a, b) => b.n - a.n || byCodeUnit(a.app.id, b.app.id));
  const top = per.slice(0, TOP_APPS);
  const more = per.length > top.length ? `, and ${per.length - top.length} more apps` : '';
  return [
    {
      rule: 'repo-mass-deletion',
      severity: 'error',
      sources: top.map((t) => t.app.definedIn),
      message:
        `${total} objects would be deleted across ${per.length} apps, over the repository budget of ${maxDeletions}: ` +
        `${top.map((t) => `${t.app.id} ${t.n}`).join(', ')}${more}`,
      fix:
        'if the deletions are not what the change means, look for the shared template, values file or generator ' +
        'that changed and restore it; if they are intended, split the change into smaller pull requests or run ' +
        'ci with a larger repository budget for this one',
    },
  ];
}
