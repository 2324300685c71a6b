// Writers that never leave the folder they write (issue 9 §2). The repository is hostile input: a
// committed symlink at `.safe-render`, at the index, at a lock or at a temporary name we would use
// must not turn `safe-render lock` or `render -o` into a write outside the repository. So:
// - the path the user gave (the repository root, the -o folder's parent) is theirs and is followed;
//   every component BELOW it is lstat'ed, and a symlink or a non-folder there is a refusal (exit 2);
// - temporary files live in a fresh mkdtemp folder inside the destination's own folder (so the final
//   rename is atomic and no predictable name can be pre-planted), created with O_CREAT|O_EXCL|O_NOFOLLOW;
// - the destination itself must be absent or a regular file: rename would replace a planted symlink
//   rather than follow it, but a destination that is not what we wrote is a sign of tampering, said so.
import {
  closeSync,
  constants,
  fsyncSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors';

/** Bytes a single file name may have on Linux, macOS and Windows file systems (NAME_MAX). */
export const NAME_MAX_BYTES = 255;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** lstat that says "absent" instead of throwing ENOENT; other errors are one clear line. */
export function lstatOrUndefined(abs: string, shown: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`cannot inspect ${shown}: ${code ?? (e as Error).message}`);
  }
}

/** Refuses a file name component the file system cannot hold, instead of an ENAMETOOLONG stack trace. */
export function checkNameLength(component: string, shown: string): void {
  const bytes = Buffer.byteLength(component, 'utf8');
  if (bytes > NAME_MAX_BYTES) {
    throw new UsageError(
      `cannot write ${shown}: the file name is ${bytes} bytes long, longer than the ${NAME_MAX_BYTES} bytes a file system allows`,
    );
  }
}

function components(rel: string): string[] {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  for (const p of parts)
    if (p === '..') throw new UsageError(`internal: refusing to write the path "${rel}" (it has a "${p}" component)`);
  return parts;
}

/** The user's own folder: it may be reached through their symlinks, but it must be a folder. */
function requireRootFolder(root: string): void {
  let st: Stats;
  try {
    st = statSync(root);
  } catch (e) {
    throw new UsageError(`cannot write into ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isDirectory()) throw new UsageError(`cannot write into ${root}: it is not a folder`);
}

/** Makes `root/rel` a real folder, creating what is missing, following no symlink below `root`.
 * Returns the absolute path. */
export function ensureFolderNoFollow(root: string, rel: string): string {
  requireRootFolder(root);
  let abs = root;
  let shown = '';
  for (const part of components(rel)) {
    shown = shown ? `${shown}/${part}` : part;
    checkNameLength(part, shown);
    abs = join(abs, part);
    let st = lstatOrUndefined(abs, shown);
    if (!st) {
      try {
        mkdirSync(abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new UsageError(`cannot create ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      st = lstatOrUndefined(abs, shown);
    }
    if (!st) throw new UsageError(`cannot create ${shown}`);
    if (st.isSymbolicLink())
      throw new UsageError(
        `${shown} is a symbolic link; safe-render never writes through a link inside the folder it writes (it could point outside the repository). Replace the link with a real folder`,
      );
    if (!st.isDirectory())
      throw new UsageError(`${shown} exists and is not a folder; safe-render expected a folder there`);
  }
  return abs;
}

/** Checks that `root/rel` can be replaced by a file we write: absent, or a regular file (never a link,
 * a folder, a FIFO or a device). The folders above it are made real folders. Returns the absolute path. */
export function prepareFileDestination(root: string, rel: string): string {
  const parts = components(rel);
  const name = parts.pop();
  if (name === undefined) throw new UsageError(`internal: no file name in "${rel}"`);
  checkNameLength(name, rel);
  const dir = ensureFolderNoFollow(root, parts.join('/'));
  const abs = join(dir, name);
  const st = lstatOrUndefined(abs, rel);
  if (st?.isSymbolicLink())
    throw new UsageError(
      `${rel} is a symbolic link; safe-render never writes through a link (it could point outside the repository). Delete the link and run again`,
    );
  if (st && !st.isFile())
    throw new UsageError(`${rel} exists and is not a regular file; safe-render refuses to replace it`);
  return abs;
}

/** Creates `abs` exclusively (it must not exist; a link there is not followed) and writes `content`.
 * `sync`: flush to disk before returning (a lock replaced by rename must not be empty after a crash;
 * the thousands of -o files need not be). */
export function createExclusive(abs: string, content: string | Uint8Array, sync = false): void {
  const fd = openSync(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o666);
  try {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file `root/rel` with `content` atomically: written in a fresh mkdtemp folder beside
 * it, then renamed over it. Refuses (exit 2) when anything below `root` on the way is a symlink or
 * not what we expect. Returns the absolute path written. */
export function writeFileNoFollow(root: string, rel: string, content: string): string {
  const dest = prepareFileDestination(root, rel);
  replaceWith(dest, content);
  return dest;
}

/** The write half of writeFileNoFollow, for callers that checked several destinations first. */
export function replaceWith(dest: string, content: string): void {
  const dir = join(dest, '..');
  const tmpDir = mkdtempSync(join(dir, '.safe-render-tmp-'));
  try {
    const tmp = join(tmpDir, 'new');
    createExclusive(tmp, content, true);
    renameSync(tmp, dest);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** Reads `root/rel` if it exists, following no symlink below `root`: a link or a non-regular file is a
 * refusal (what we would rewrite must be what we read). At most `maxBytes`. */
export function readFileNoFollow(root: string, rel: string, maxBytes: number): string | undefined {
  const parts = components(rel);
  let abs = root;
  let shown = '';
  for (const [i, part] of parts.entries()) {
    shown = shown ? `${shown}/${part}` : part;
    abs = join(abs, part);
    const st = lstatOrUndefined(abs, shown);
    if (!st) return undefined;
    if (st.isSymbolicLink())
      throw new UsageError(
        `${shown} is a symbolic link; safe-render does not follow links inside .safe-render (it could point outside the repository). Replace it with the real ${i === parts.length - 1 ? 'file' : 'folder'}`,
      );
    if (i < parts.length - 1 && !st.isDirectory()) throw new UsageError(`${shown} is not a folder`);
    if (i === parts.length - 1 && !st.isFile()) throw new UsageError(`${shown} is not a regular file`);
  }
  const fd = openSync(abs, constants.O_RDONLY | O_NOFOLLOW);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new UsageError(`${rel} is ${size} bytes, more than the ${maxBytes} bytes allowed`);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Replaces the existing regular file `abs` (in a folder the caller owns, such as a throw-away copy),
 * never through a link: a link there may point anywhere, even into the original repository (a copy
 * keeps absolute links, and Node's cpSync makes relative ones absolute). `shown` names it in messages. */
export function replaceRegularFile(abs: string, content: string, shown: string): void {
  const st = lstatOrUndefined(abs, shown);
  if (st?.isSymbolicLink())
    throw new UsageError(
      `${shown} is a symbolic link; safe-render does not edit a file through a link (it could point outside the repository). Commit the real file in its place`,
    );
  if (st && !st.isFile()) throw new UsageError(`${shown} is not a regular file`);
  replaceWith(abs, content);
}
