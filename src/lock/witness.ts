// Locks that only shrink with a witness (issue 8 §9). `safe-render lock` refuses to drop a protected
// object, weaken a safety switch, move the app or remove more than the budget unless it is accepted,
// and writes the accepted tokens into the lock. A lock edited by hand (or a bad merge) skips all of
// that. So the lock at HEAD is compared with the lock at the base revision through the very same
// diff and acceptance rules, and every change `lock` would have asked `--accept` for must be
// witnessed by an `accepted <token>` line in the lock at HEAD, which reviewers see in the diff. Pure.
import type { Finding } from '../model/finding';
import type { RuleId } from '../model/rule-catalog';
import { requiredAcceptances, type DeletionBudget, type Required } from './acceptance';
import { diffLock } from './diff';
import { LOCK_VERSION, type LockFile } from './lock-file';

export const WITNESS_RULE = 'lock-tampered' satisfies RuleId;

/** What `head` changed since `base` that `lock` accepts only by name. */
export function requiredSinceBase(app: string, base: LockFile, head: LockFile, budget: DeletionBudget): Required[] {
  // `head` is a lock (or what `lock` would write): a `generates` it lacks is a guard dropped (diff.ts).
  return requiredAcceptances(app, diffLock(base, head, { unrecordedRemoves: true }), base.objects.size, budget);
}

/** The changes since `base` that `head` carries no `accepted` line for. */
export function unwitnessed(app: string, base: LockFile, head: LockFile, budget: DeletionBudget): Required[] {
  return requiredSinceBase(app, base, head, budget).filter((r) => !head.accepted.includes(r.token));
}

/** The base, as messages show it. */
export interface BaseLabel {
  label: string;
  commit: string;
}

/** Index lines come from the repository: never echo more than a short printable excerpt. */
const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

const short = (b: BaseLabel) => `${b.label} (${b.commit.slice(0, 12)})`;

/** One finding per unwitnessed change of `file`. `relock` is the command that rewrites the lock. */
export function witnessFindings(
  gaps: readonly Required[],
  file: string,
  base: BaseLabel,
  relock: (accept: string) => string,
): Finding[] {
  return gaps.map((r) => ({
    rule: WITNESS_RULE,
    severity: 'error',
    object: r.ref,
    sources: [],
    message: `${file} changed since ${short(base)} without the acceptance safe-render lock requires: ${r.message} (${r.rule}), and the lock has no "accepted ${r.token}" line`,
    fix: `restore the lock (\`git checkout ${base.commit.slice(0, 12)} -- ${file}\`) and run safe-render lock again; if the change is intended, run ${relock(r.token)}, which records the acceptance`,
  }));
}

/** The lock at HEAD is in an older format than at the base. diffLock compares two locks on what the
 * older format records, so lowering the version line (with the entries format 1 cannot hold removed,
 * which parseLock demands) would switch off, for this comparison, every check format 2 added: hooks,
 * full source summaries, templatePatch digests. `safe-render lock` only ever writes the current format,
 * so a lowered one is a hand edit (or an old safe-render): there is nothing to accept, only to rewrite. */
export function formatLoweredFinding(
  file: string,
  base: LockFile,
  head: LockFile,
  at: BaseLabel,
  relock: string,
): Finding | undefined {
  const was = base.format ?? LOCK_VERSION;
  const now = head.format ?? LOCK_VERSION;
  if (now >= was) return undefined;
  return {
    rule: WITNESS_RULE,
    severity: 'error',
    object: file,
    sources: [],
    message: `the lock is format ${now}, but at ${short(at)} it was format ${was}; a lowered format is compared on what the older format records, which hides the changes only format ${was} sees`,
    fix: `restore the lock (\`git checkout ${at.commit.slice(0, 12)} -- ${file}\`) and run ${relock} with this safe-render, which writes format ${LOCK_VERSION}`,
  };
}

/** The lock of the checked app is gone while the base recorded objects. */
export function lockGoneFinding(app: string, file: string, base: LockFile, at: BaseLabel): Finding {
  const prot = [...base.objects.values()].filter((s) => s.protected).length;
  return {
    rule: WITNESS_RULE,
    severity: 'error',
    object: `app ${app}`,
    sources: [],
    message: `${file} was deleted, but at ${short(at)} it recorded ${base.objects.size} objects (${prot} protected); a deleted lock forgets them all`,
    fix: `restore it (\`git checkout ${at.commit.slice(0, 12)} -- ${file}\`); to retire the app, lock it with --empty first (accepting each deletion), merge that, then delete its lock and index line`,
  };
}

/** Apps the index listed at the base and no longer lists, whose lock at the base recorded objects. */
export function indexLossFindings(
  lost: ReadonlyArray<{ app: string; file: string; lock?: LockFile }>,
  indexFile: string,
  at: BaseLabel,
): Finding[] {
  // A base lock that recorded nothing (an app retired with --empty, or already missing) loses nothing.
  return lost
    .filter((l) => l.lock && l.lock.objects.size > 0)
    .map((l) => {
      const app = printable(l.app);
      return {
        rule: WITNESS_RULE,
        severity: 'error',
        object: `app ${app}`,
        sources: [],
        message: `${indexFile} no longer lists the app, which it listed at ${short(at)} with a lock of ${l.lock!.objects.size} objects (${[...l.lock!.objects.values()].filter((s) => s.protected).length} protected); without the index line a deleted lock goes unnoticed`,
        fix: `restore the line "${app}" in ${indexFile} and the lock (\`git checkout ${at.commit.slice(0, 12)} -- ${l.file} ${indexFile}\`); to retire the app, lock it with --empty first (accepting each deletion), merge that, then delete its lock and index line`,
      };
    });
}
