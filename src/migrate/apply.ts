// Carrying out a migration plan so that no step loses the user's files (issue 13):
//   1. every file being split is read again: it must be the regular file the plan read, unchanged;
//   2. every new file and every edited kustomization is written under a temporary name in its own
//      folder (O_CREAT|O_EXCL|O_NOFOLLOW, fsync'ed);
//   3. each new file gets its name by link(2), which fails rather than replace anything that took the
//      name meanwhile; the temporary name goes;
//   4. each edited kustomization replaces the old one by rename(2) (it must still be the regular file
//      the plan read);
//   5. only then are the old files removed.
// A failure in 1-3 removes what this run created and leaves the tree as it was; after 3 every new file
// exists, so a failure in 4 or 5 leaves old and new files side by side (nothing lost), and says so.
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, posix } from 'node:path';
import { UsageError } from '../util/errors';
import { readRepoFile } from '../util/repo-file';
import type { MigratePlan } from './plan';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** `mode`: the permissions of the file it stands for (the old file's, the kustomization's own). */
function writeTemp(root: string, rel: string, text: string, mode: number): string {
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const tmp = join(root, dir, `.safe-render-migrate.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o644);
  try {
    fchmodSync(fd, mode & 0o777);
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

function isRegular(abs: string): boolean {
  try {
    return lstatSync(abs).isFile();
  } catch {
    return false;
  }
}

function modeOf(abs: string): number {
  try {
    return lstatSync(abs).mode;
  } catch {
    return 0o644;
  }
}

/** Puts `tmp` at `abs` only if nothing has that name: link(2) fails with EEXIST instead of replacing. */
function claim(tmp: string, abs: string, shown: string): void {
  try {
    linkSync(tmp, abs);
  } catch (e) {
    if (code(e) === 'EEXIST') throw new UsageError(`${shown} appeared while migrating; nothing was changed`);
    // A file system without hard links: check the name is free, then rename.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV'].includes(code(e))) throw e;
    try {
      lstatSync(abs);
      throw new UsageError(`${shown} appeared while migrating; nothing was changed`);
    } catch (e2) {
      if (e2 instanceof UsageError) throw e2;
    }
    renameSync(tmp, abs);
    return;
  }
  unlinkSync(tmp);
}

export function applyMigration(root: string, plan: MigratePlan): void {
  const temps: string[] = [];
  const created: string[] = [];
  const undo = () => {
    for (const p of [...temps, ...created]) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  };
  const kustTemps: Array<{ tmp: string; abs: string; path: string; before: string }> = [];
  try {
    for (const s of plan.splits) {
      let now: string | undefined;
      try {
        now = readRepoFile(root, join(root, s.path), { shown: s.path, kind: 'manifest' });
      } catch {
        now = undefined;
      }
      if (now !== s.text || !isRegular(join(root, s.path)))
        throw new UsageError(`${s.path} changed while migrating; nothing was changed, run migrate again`);
    }
    const news: Array<{ tmp: string; abs: string; path: string }> = [];
    for (const s of plan.splits)
      for (const n of s.into) {
        const tmp = writeTemp(root, n.path, n.text, modeOf(join(root, s.path)));
        temps.push(tmp);
        news.push({ tmp, abs: join(root, n.path), path: n.path });
      }
    for (const k of plan.edits) {
      const tmp = writeTemp(root, k.path, k.text, modeOf(join(root, k.path)));
      temps.push(tmp);
      kustTemps.push({ tmp, abs: join(root, k.path), path: k.path, before: k.before });
    }
    for (const n of news) {
      claim(n.tmp, n.abs, n.path);
      temps.splice(temps.indexOf(n.tmp), 1);
      created.push(n.abs);
    }
  } catch (e) {
    undo();
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot write the new files (${code(e)}); nothing was changed`);
  }
  // Every new file is in place: from here on a failure leaves old and new files side by side.
  const partial = (what: string, e: unknown) => {
    for (const t of temps) {
      try {
        unlinkSync(t);
      } catch {
        // already gone
      }
    }
    return new UsageError(
      `${what} (${e instanceof UsageError ? e.message : code(e)}); the new files are written and the old ones are still there: review with git status`,
    );
  };
  for (const k of kustTemps) {
    try {
      const now = readRepoFile(root, k.abs, { shown: k.path, kind: 'kustomization' });
      if (now !== k.before || !isRegular(k.abs)) throw new UsageError(`${k.path} changed while migrating`);
      renameSync(k.tmp, k.abs);
      temps.splice(temps.indexOf(k.tmp), 1);
    } catch (e) {
      throw partial(`cannot update ${k.path}`, e);
    }
  }
  for (const s of plan.splits) {
    try {
      if (!isRegular(join(root, s.path))) throw new UsageError(`${s.path} is no longer a regular file`);
      unlinkSync(join(root, s.path));
    } catch (e) {
      throw partial(`cannot remove ${s.path}`, e);
    }
  }
}
