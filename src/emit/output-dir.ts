// Writing one object per file (`render -o DIR`, `split -o DIR`): emit I/O, called by the commands. The
// new tree is built in a fresh mkdtemp folder beside the target and swapped in at the end, so readers
// see the old tree or the new one, never half of each.
// The path the user typed is theirs, up to DIR's parent; DIR itself and everything below it is ours
// and follows no symlink (issue 9 §2): a DIR that is a link, a marker that is not a regular file, or a
// folder safe-render did not write (no marker) is refused, never emptied or written through. Nothing is
// written at a predictable name: the temporary folder is random and created exclusively, the files in
// it with O_EXCL|O_NOFOLLOW, and the previous tree is moved into that same private folder before it
// is deleted (deleting removes links, never what they point to).
//
// Two folders cannot be swapped (issue 13): one that holds the shell's working folder (`-o .`: the
// shell would be left in a deleted folder) and a mount point (`docker run -v $PWD/out:/out ... -o /out`:
// rename fails with EBUSY or EXDEV). Those are written IN PLACE: the new tree is built complete in a
// private mkdtemp folder inside DIR (same file system, so each move is an atomic rename), then each
// file is renamed over its old copy (the marker first, kustomization.yaml last), then what the new tree
// does not hold is moved into the private folder and deleted. A reader sees, per file, the old
// content or the new one, never a half-written file; the same ownership rule (our marker, or empty)
// applies before anything is touched.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, type Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../util/errors';
import { checkNameLength, createExclusive, ensureFolderNoFollow, lstatOrUndefined } from '../util/safe-write';
import { writeNewFiles } from './write-files';
import { MARKER_FILE, type PlannedFile } from './split-plan';

const WORK_PREFIX = '.safe-render-out-';

/** How the folder was written: replaced whole, or in place (and why). */
export interface OutputDirResult {
  inPlace?: string;
}

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

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;
const why = (e: unknown): string => code(e) ?? (e as Error).message;

/** Errors of rename(2) and mkdir(2) that mean "this folder cannot be swapped from beside it": a mount
 * point (EBUSY; EXDEV when the parent is another file system), or a parent we may not write (EACCES,
 * EPERM, EROFS: a read-only image around a mounted volume). */
const CANNOT_SWAP = new Set(['EBUSY', 'EXDEV', 'EACCES', 'EPERM', 'EROFS']);

/** The folders of `files` under `root` (a fresh, private folder), each created once, parents first;
 * returns each file's absolute path. */
function makeFolders(root: string, files: readonly PlannedFile[]): string[] {
  const made = new Set<string>();
  return files.map((f) => {
    const parts = checkPlannedPath(f.path);
    let d = root;
    for (let i = 0; i < parts.length - 1; i++) {
      d = `${d}/${parts[i]!}`;
      if (!made.has(d)) {
        mkdirSync(d); // fails on an existing entry: inside our private folder, only we create
        made.add(d);
      }
    }
    return `${d}/${parts[parts.length - 1]!}`;
  });
}

function writeTreeSync(root: string, files: readonly PlannedFile[]): void {
  const paths = makeFolders(root, files);
  for (const [i, f] of files.entries()) createExclusive(paths[i]!, f.content);
}

/** writeTreeSync, on two threads from write-files.ts's WORKER_MIN files on. */
async function writeTreeAsync(root: string, files: readonly PlannedFile[]): Promise<void> {
  await writeNewFiles(
    makeFolders(root, files),
    files.map((f) => f.content),
  );
}

/** The steps of a write, as a generator that yields each "write the tree here" to its driver (the sync
 * one or the async one), so both share every check and rename. */
type Steps = Generator<string, OutputDirResult, void>;

function driveSync(steps: Steps, files: readonly PlannedFile[]): OutputDirResult {
  let r = steps.next();
  while (!r.done) {
    try {
      writeTreeSync(r.value, files);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next();
  }
  return r.value;
}

async function driveAsync(steps: Steps, files: readonly PlannedFile[]): Promise<OutputDirResult> {
  let r = steps.next();
  while (!r.done) {
    try {
      await writeTreeAsync(r.value, files);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next();
  }
  return r.value;
}

/** `dir` as the user typed it, relative to `cwd` (the caller's working folder, never the process's).
 * `repoRoot`: the repository the render came from. The part of DIR's path outside it is the user's
 * (followed as given); the part inside it is repository content, which may be hostile: a committed
 * `rendered -> ~/.ssh` must not turn `-o rendered/app` into a write there, so every folder from the
 * repository root down to DIR is lstat'ed and a link is refused. Writes one file at a time. */
export function writeOutputDir(
  dir: string,
  files: readonly PlannedFile[],
  cwd: string,
  repoRoot?: string,
  sources?: string,
): OutputDirResult {
  return driveSync(steps(dir, files, cwd, repoRoot, sources), files);
}

/** writeOutputDir, with the files created on two threads when there are many (issue 13 Speed); the
 * same checks, the same result. */
export function writeOutputDirAsync(
  dir: string,
  files: readonly PlannedFile[],
  cwd: string,
  repoRoot?: string,
  sources?: string,
): Promise<OutputDirResult> {
  return driveAsync(steps(dir, files, cwd, repoRoot, sources), files);
}

/** `sources`: the app's own folder, which DIR must not hold (replacing DIR would delete it). */
function* steps(dir: string, files: readonly PlannedFile[], cwd: string, repoRoot?: string, sources?: string): Steps {
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
    // The marker is an empty file anyone can commit: a repository (or a pull request) that carries one
    // at its root turned `render -o .` there into "replace the checkout", .git and sources included.
    // A folder holding a repository, or the repository being rendered, is never ours to replace.
    if (lstatOrUndefined(join(target, '.git'), `${dir}/.git`) || holdsFolder(target, repoRoot))
      throw new UsageError(
        `${dir} holds a Git repository${repoRoot !== undefined && holdsFolder(target, repoRoot) ? ' (the one being rendered)' : ''}; -o never replaces it, even with a ${MARKER_FILE} in it. Choose a folder of its own`,
      );
    if (holdsFolder(target, sources))
      throw new UsageError(
        `${dir} holds the sources of the app being rendered; -o never replaces them, even with a ${MARKER_FILE} in it. Choose a folder of its own`,
      );
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
    if (holdsWorkingFolder(target, cwd))
      return yield* writeInPlace(
        target,
        dir,
        files,
        'it holds the working folder, which a swap would delete from under the shell',
      );
  }
  const parent = dirname(target);
  if (insideRepo) ensureFolderNoFollow(resolve(repoRoot!), dirname(inRepo!).split(sep).join('/'));
  else mkdirSync(parent, { recursive: true });
  // Random, created with mode 0700 and O_EXCL by mkdtemp: nothing can be planted in it beforehand.
  let work: string;
  try {
    work = mkdtempSync(join(parent, WORK_PREFIX));
  } catch (e) {
    if (st && CANNOT_SWAP.has(code(e) ?? ''))
      return yield* writeInPlace(target, dir, files, `its parent folder is not writable (${why(e)})`);
    throw new UsageError(`cannot write beside ${dir}: ${why(e)}`);
  }
  let swapFailed: unknown;
  try {
    const fresh = join(work, 'new');
    mkdirSync(fresh);
    yield fresh;
    if (st) {
      const old = join(work, 'old');
      try {
        renameSync(target, old);
      } catch (e) {
        // Nothing moved yet: the old tree is where it was. A mount point is written in place below.
        if (!CANNOT_SWAP.has(code(e) ?? '')) throw e;
        swapFailed = e;
      }
      if (!swapFailed) {
        try {
          renameSync(fresh, target);
        } catch (e) {
          renameSync(old, target);
          throw e;
        }
      }
    } else {
      renameSync(fresh, target);
    }
  } catch (e) {
    // A full disk, a quota, a folder removed meanwhile: one line, nothing half-written visible.
    if (e instanceof UsageError || code(e) === undefined) throw e;
    throw new UsageError(`cannot write ${dir}: ${why(e)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (swapFailed)
    return yield* writeInPlace(target, dir, files, `it cannot be renamed (${why(swapFailed)}: a mount point?)`);
  return {};
}

/** Whether `folder` (when given) is `target` or below it, by real paths. */
function holdsFolder(target: string, folder: string | undefined): boolean {
  return folder !== undefined && holdsWorkingFolder(target, folder);
}

/** Whether the process's working folder is `target` or below it. */
function holdsWorkingFolder(target: string, cwd: string): boolean {
  let real: string;
  let here: string;
  try {
    real = realpathSync(target);
    here = realpathSync(cwd);
  } catch {
    return false;
  }
  const rel = relative(real, here);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The in-place path (see the top of the file). `target` exists, is a real folder, and is ours or empty. */
function* writeInPlace(target: string, dir: string, files: readonly PlannedFile[], reason: string): Steps {
  let work: string;
  try {
    work = mkdtempSync(join(target, WORK_PREFIX));
  } catch (e) {
    throw new UsageError(`cannot write ${dir} in place (${reason}): ${why(e)}`);
  }
  const workName = basename(work);
  try {
    const fresh = join(work, 'new');
    const old = join(work, 'old');
    mkdirSync(fresh);
    mkdirSync(old);
    yield fresh;
    let parked = 0;
    /** Moves an entry of the old tree out of the way (never following it) into the private folder. */
    const park = (abs: string) => renameSync(abs, join(old, String(parked++)));
    // The marker first: from the first visible change on, the folder says it is ours.
    const order = [...files].sort((a, b) => rank(a.path) - rank(b.path));
    const dirs = new Set<string>();
    for (const f of order) {
      const parts = f.path.split('/');
      let rel = '';
      for (const p of parts.slice(0, -1)) {
        rel = rel ? `${rel}/${p}` : p;
        if (dirs.has(rel)) continue;
        const abs = join(target, rel);
        const cur = lstatOrUndefined(abs, `${dir}/${rel}`);
        if (cur && !cur.isDirectory()) park(abs); // a file or a link where a folder goes: ours, stale
        if (!cur || !cur.isDirectory()) mkdirSync(abs);
        dirs.add(rel);
      }
      const abs = join(target, f.path);
      const cur = lstatOrUndefined(abs, `${dir}/${f.path}`);
      if (cur?.isDirectory()) park(abs); // rename cannot replace a folder with a file
      renameSync(join(fresh, f.path), abs); // replaces a file or a link itself, never what a link points to
    }
    // Whatever the new tree does not hold leaves, the folders we kept are searched (never followed).
    const keepFiles = new Set(files.map((f) => f.path));
    const sweep = (rel: string) => {
      const abs = rel ? join(target, rel) : target;
      for (const e of readdirSync(abs, { withFileTypes: true }) as Dirent[]) {
        if (!rel && e.name === workName) continue;
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory() && dirs.has(child)) sweep(child);
        else if (!keepFiles.has(child) || !e.isFile()) park(join(target, child));
      }
    };
    sweep('');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot write ${dir} in place (${reason}): ${why(e)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { inPlace: reason };
}

/** Move order in place: the marker, then the objects, then kustomization.yaml (which lists them). */
function rank(path: string): number {
  if (path === MARKER_FILE) return 0;
  if (path === 'kustomization.yaml') return 2;
  return 1;
}
