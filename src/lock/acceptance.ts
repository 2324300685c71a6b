// What `safe-render lock` refuses to write without a person accepting it by name on the command line
// (`--accept RULE:REF`). Deletions of ordinary objects need no flag: the lock diff shows them in review.
// The dangerous ones do, and the accepted tokens are written into the lock, so reviewers see them.
import { canonicalJson } from '../util/canonical-json';
import type { PolicyLimits } from '../config/platform-policy';
import { acceptToken, type AcceptableRuleId } from '../model/rule-catalog';
import { describeDestinationChange, type LockChange } from './diff';
import { generatedAppRef } from './snapshot';

export interface Required {
  rule: AcceptableRuleId;
  /** What the token accepts: the app's name or the object's reference, as the catalog says. */
  ref: string;
  /** The `--accept` token: `rule:ref` (catalog acceptToken). */
  token: string;
  message: string;
}

export interface DeletionBudget {
  /** Largest number of objects one change may remove without acceptance. */
  objects: number;
  /** Largest share of the app (percent of the old lock) one change may remove without acceptance. */
  percent: number;
  /** The share counts only from this many removed objects (issue 14): on a small app one object is a
   * large share (1 of 3 is 33%), but removing it is not a mass deletion; the deletion itself is still
   * refused by unacknowledged-deletion until the lock is rewritten. Removing all of an app's objects
   * stays a mass deletion whatever the floor. */
  floor: number;
}

/** The floor of 3: removing one or two objects (a Deployment and its Service) is an ordinary change on
 * any app; from three objects the share decides. A floor above `objects` would switch the share off. */
export const DEFAULT_BUDGET: DeletionBudget = { objects: 5, percent: 30, floor: 3 };

/** The budget for an app: the policy's deletionBudget over the default, key by key. */
export function deletionBudget(limits: PolicyLimits | undefined): DeletionBudget {
  return { ...DEFAULT_BUDGET, ...limits?.deletionBudget };
}

/** Does removing `deleted` of `lockedCount` objects need `--accept mass-deletion:APP`? */
export function overBudget(deleted: number, lockedCount: number, budget: DeletionBudget): boolean {
  if (deleted > budget.objects) return true;
  // Removing every object of the app (retiring it with --empty) is a mass deletion at any size.
  if (deleted > 0 && deleted >= lockedCount) return true;
  return deleted >= budget.floor && (lockedCount ? (deleted * 100) / lockedCount : 0) > budget.percent;
}

export function requiredAcceptances(
  app: string,
  changes: readonly LockChange[],
  lockedCount: number,
  budget: DeletionBudget,
): Required[] {
  const out: Required[] = [];
  // The token of `rule` for the change `c` (about one object) or for the whole app.
  const need = (rule: AcceptableRuleId, message: string, object?: string) => {
    const token = acceptToken(rule, { app, object });
    out.push({ rule, ref: token.slice(rule.length + 1), token, message });
  };
  const deleted = changes.filter((c) => c.kind === 'deleted');
  for (const c of changes) {
    switch (c.kind) {
      case 'deleted':
        if (c.protected)
          need(
            'protected-deletion',
            `is protected (${c.protected}) and would be removed from the lock${c.hook ? ` (the render makes it a hook through ${c.hook}: Argo CD takes hooks out of the objects it syncs and prunes the live one)` : ''}`,
            c.ref,
          );
        break;
      case 'source-drift':
        need('app-source-drift', `the app's ${c.field} changes from "${c.was}" to "${c.now}"`);
        break;
      case 'destination-change':
        need('app-destination-change', describeDestinationChange(c), c.ref);
        break;
      case 'finalizer-change':
        need(
          'finalizer-change',
          `deletion behaviour changes from ${canonicalJson(c.was)} to ${canonicalJson(c.now)}`,
          c.ref,
        );
        break;
      case 'safety-weakened':
        need('safety-weakened', c.what, c.ref);
        break;
      case 'protection-removed':
        need('safety-weakened', `protection removed (was: ${c.was})`, c.ref);
        break;
      case 'generated-removed':
        // Under create-only/create-update the controller leaves the Application running: nothing to accept.
        if (!c.kept)
          need(
            'appset-app-removed',
            `ApplicationSet ${c.ref} no longer generates the Application ${c.name}: the controller deletes it and, through its resources finalizer, everything it deployed`,
            generatedAppRef(c.name),
          );
        break;
      default:
        break;
    }
  }
  const percent = lockedCount ? (deleted.length * 100) / lockedCount : 0;
  if (overBudget(deleted.length, lockedCount, budget)) {
    need(
      'mass-deletion',
      deleted.length >= lockedCount && deleted.length <= budget.objects
        ? `all ${lockedCount} objects of the app would be removed`
        : `${deleted.length} of ${lockedCount} objects (${percent.toFixed(0)}%) would be removed, over the budget of ${budget.objects} objects, or ${budget.percent}% once ${budget.floor} or more go`,
    );
  }
  // One token may be required by several changes (a source drift on path and repo): ask once.
  return out.filter((r, i) => out.findIndex((x) => x.token === r.token) === i);
}
