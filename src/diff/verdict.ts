// The verdict parts of `safe-render diff` (issue 12) that need no process: which of the objects a
// change removes the head's lock accepts, and which submodules an app's folder touches.
import { posix } from 'node:path';
import type { LockChange } from '../lock/diff';
import type { AppDiff, DeletionVerdict } from './compare';

/** Which removed objects the head's lock accepts: a removal the lock still records is a pending
 * deletion (unacknowledged-deletion refuses it); one the lock no longer records was accepted by
 * rewriting the lock in this change. Without a lock nothing guards it (`accepted` undefined). */
export function deletionsOf(
  d: AppDiff['diff'],
  lockChanges: readonly LockChange[],
  hasLock: boolean,
): DeletionVerdict[] {
  const pending = new Set(lockChanges.filter((c) => c.kind === 'deleted').map((c) => c.ref));
  return d.removed.map((o) => ({
    ref: o.ref,
    display: o.display,
    accepted: hasLock ? !pending.has(o.ref.replace(/#\d+$/, '')) : undefined,
  }));
}

/** Submodule paths a folder of the app is, holds or lies inside: empty in the scratch folders. */
export function submodulesOf(sourcePath: string, links: readonly string[]): string[] {
  const dir = posix.normalize(`./${sourcePath || '.'}`);
  return links.filter((l) => dir === '.' || l === dir || l.startsWith(`${dir}/`) || dir.startsWith(`${l}/`));
}
