// `safe-render ci --fix-locks` (issue 11): a stale lock is refreshed only when the new lock takes
// nothing away. Pure: the changes between the lock on disk and the lock `safe-render lock` would write
// in, the verdict out. Additions are objects new to the lock, names an ApplicationSet now generates
// that the lock does not record, and recorded state that changed without taking a protection away
// (lock/diff.ts `state-change`). Everything else (a deletion, a protection or safety switch lost, a
// source, destination or finalizer change, a generated Application no longer generated) needs a person
// and `safe-render lock` (with `--accept` where it asks), so the lock is left as it is and the app stays
// refused.
import type { LockChange } from '../lock/diff';

/** Change kinds that only add to the lock. */
const ADDITIVE: ReadonlySet<string> = new Set(['added', 'state-change', 'generated-added']);

export type LockRefresh = { kind: 'rewrite'; added: number; changed: number } | { kind: 'keep'; why: string[] };

/** What one change takes away, in words (the reason a lock is not rewritten). */
export function takenAway(c: LockChange): string {
  switch (c.kind) {
    case 'deleted':
      return `unacknowledged-deletion: ${c.ref} is in the lock and no longer rendered${c.hook ? ` (it became a hook through ${c.hook})` : ''}${c.protected ? ` (protected: ${c.protected})` : ''}`;
    case 'source-drift':
      return `app-source-drift: the app's ${c.field} changes from "${c.was}" to "${c.now}"`;
    case 'destination-change':
      return `app-destination-change: ${c.ref}: its ${c.field} changes`;
    case 'finalizer-change':
      return `finalizer-change: ${c.ref}: its deletion behaviour changes`;
    case 'safety-weakened':
      return `safety-weakened: ${c.ref}: ${c.what}`;
    case 'protection-removed':
      return `safety-weakened: ${c.ref}: no longer protected (was: ${c.was})`;
    default:
      // generated-removed (generated-app locking): the ApplicationSet no longer generates a name.
      return `${c.kind}: ${c.ref}${'name' in c && c.name ? ` no longer generates ${c.name}` : ''}`;
  }
}

/** Rewrite when every change adds; otherwise keep the lock and say what the change would take away. */
export function lockRefresh(changes: readonly LockChange[]): LockRefresh {
  const away = changes.filter((c) => !ADDITIVE.has(c.kind));
  if (away.length) return { kind: 'keep', why: away.map(takenAway) };
  return {
    kind: 'rewrite',
    added: changes.filter((c) => c.kind === 'added' || c.kind === 'generated-added').length,
    changed: changes.filter((c) => c.kind === 'state-change').length,
  };
}
