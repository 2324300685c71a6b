// Writing one object per file (`render -o DIR`): emit I/O, called by the render command. The new tree is built in a fresh mkdtemp folder beside
// the target and swapped in at the end, so readers see the old tree or the new one, never half of each.
// The path the user typed is theirs, up to DIR's parent; DIR itself and everything below it is ours
// and follows no symlink (issue 9 §2): a DIR that is a link, a marker that is not a regular file, or a
// folder safe-render did not write (no marker) is refused, never emptied or written through. Nothing is
// written at a predictable name: the temporary folder is random and created exclusively, the files in
// it with O_EXCL|O_NOFOLLOW, and the previous tree is moved into that same private folder before it
// is deleted (deleting removes links, never what they point to).
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../util/errors';
import { checkNameLength, createExclusive, ensureFolderNoFollow, lstatOrUndefined } from '../util/safe-write';
import { MARKER_FILE, type PlannedFile } from './split-plan';

/** Every planned path is relative, made of real names (no "", ".", ".."), each short enough. */
function checkPlannedPath(path: string): string[] {
  const parts = path.split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))
      throw new UsageError(`internal: refusing to write the planned path "${path}"`);
    checkNameLength(p, path);
  }
  return parts;
}

/** `dir` as the user typed it, relative to `cwd` (the caller's working folder, never the process's).
 * `repoRoot`: the repository the render came from. The part of DIR's path outside it is the user's
 * (followed as given); the part inside it is repository content, which may be hostile: a committed
 * `rendered -> ~/.ssh` must not turn `-o rendered/app` into a write there, so every folder from the
 * repository root down to DIR is lstat'ed and a link is refused. */
export function writeOutputDir(dir: string, files: readonly PlannedFile[], cwd: string, repoRoot?: string): void {
  const target = resolve(cwd, dir);
  const inRepo = repoRoot === undefined ? undefined : relative(resolve(repoRoot), target);
  const insideRepo = inRepo !== undefined && inRepo !== '' && !inRepo.startsWith('..') && !isAbsolute(inRepo);
  for (const f of files) checkPlannedPath(f.path);
  checkNameLength(basename(target), dir);
  const st = lstatOrUndefined(target, dir);
  if (st) {
    if (st.isSymbolicLink())
      throw new UsageError(
        `${dir} is a symbolic link; -o writes only into a real folder (give the folder the link points to, if that is what you mean)`,
      );
    if (!st.isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
    if (readdirSync(target).length > 0) {
      const marker = lstatOrUndefined(join(target, MARKER_FILE), `${dir}/${MARKER_FILE}`);
      if (!marker)
        throw new UsageError(
          `${dir} is not empty and was not written by safe-render (no ${MARKER_FILE}); refusing to replace it. Choose another folder or empty it yourself`,
        );
      if (!marker.isFile())
        throw new UsageError(
          `${dir}/${MARKER_FILE} is not a regular file, so ${dir} was not written by safe-render; refusing to replace it. Choose another folder or empty it yourself`,
        );
    }
  }
  const parent = dirname(target);
  if (insideRepo) ensureFolderNoFollow(resolve(repoRoot!), dirname(inRepo!).split(sep).join('/'));
  else mkdirSync(parent, { recursive: true });
  // Random, created with mode 0700 and O_EXCL by mkdtemp: nothing can be planted in it beforehand.
  const work = mkdtempSync(join(parent, '.safe-render-out-'));
  try {
    const fresh = join(work, 'new');
    mkdirSync(fresh);
    const made = new Set<string>();
    for (const f of files) {
      const parts = checkPlannedPath(f.path);
      let d = fresh;
      for (const p of parts.slice(0, -1)) {
        d = join(d, p);
        if (!made.has(d)) {
          mkdirSync(d); // fails on an existing entry: inside our private folder, only we create
          made.add(d);
        }
      }
      createExclusive(join(d, parts[parts.length - 1]!), f.content);
    }
    if (st) {
      const old = join(work, 'old');
      renameSync(target, old);
      try {
        renameSync(fresh, target);
      } catch (e) {
        renameSync(old, target);
        throw e;
      }
    } else {
      renameSync(fresh, target);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
