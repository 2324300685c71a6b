// The one guarded reader for every file safe-render reads from the repository: manifests, our own
// control files (safe-render.yaml, .safe-render/FREEZE, locks and their index), chart and
// kustomization files, value files handed to a tool. The repository is hostile input (issue 8 §7):
// a committed symlink may point at /proc/self/environ, a fifo would hang a plain read, a folder
// where a file should be used to end in a stack trace. So every read here:
//   - resolves the path and refuses it when it, or a symlink at any level, leads outside the
//     repository (symlinks that stay inside are fine, as they are for manifests);
//   - refuses anything but a regular file, checked on the opened descriptor (O_NONBLOCK, so a fifo
//     planted under the name cannot block the open);
//   - bounds the size per kind of file, and decodes strict UTF-8 without NUL bytes;
//   - never puts the file's content in a message: only `excerpt()` may quote repository text, one
//     line of at most EXCERPT_CHARS characters with control characters escaped.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { relative, sep } from 'node:path';
import { RenderFailure } from './errors';

const MiB = 1024 * 1024;

/** Size limits per kind of file: generous for real files, small enough that a hostile one costs
 * little. Manifests keep the existing per-file limit (src/render/limits.ts). */
export const READ_LIMITS = {
  manifest: 16 * MiB,
  config: 1 * MiB, // safe-render.yaml
  freeze: 64 * 1024, // .safe-render/FREEZE: a reason, a name, a few globs
  lock: 16 * MiB, // one line per object
  index: 1 * MiB, // one line per app
  chart: 1 * MiB, // Chart.yaml, requirements.yaml
  kustomization: 4 * MiB, // may hold inline patches
  values: 16 * MiB, // helm reads them; we only check them
} as const;

export type ReadKind = keyof typeof READ_LIMITS;

export const EXCERPT_CHARS = 200;

/** Repository text fit for a one-line message: control, line-separator and bidi characters escaped,
 * cut to `max` characters (an ellipsis marks the cut). The only way repository text reaches stderr. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n >= max) return `${out}…`;
    const c = ch.codePointAt(0)!;
    const esc =
      c === 0x0a
        ? '\\n'
        : c === 0x0d
          ? '\\r'
          : c === 0x09
            ? '\\t'
            : c < 0x20 || (c >= 0x7f && c < 0xa0)
              ? `\\x${c.toString(16).padStart(2, '0')}`
              : c === 0x2028 ||
                  c === 0x2029 ||
                  (c >= 0x202a && c <= 0x202e) ||
                  (c >= 0x2066 && c <= 0x2069) ||
                  c === 0x200e ||
                  c === 0x200f ||
                  c === 0xfeff
                ? `\\u${c.toString(16).padStart(4, '0')}`
                : ch;
    out += esc;
    n++;
  }
  return out;
}

export function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

export interface RepoFileOptions {
  /** The path as shown to people (repo-relative). */
  shown: string;
  kind: ReadKind;
  /** Overrides the kind's size limit. */
  maxBytes?: number;
  /** What to tell the reader to do about a refused file. */
  fix?: string;
}

function sizeText(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n % MiB ? 1 : 0)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** True when something (a file, a folder, a symlink even if broken, a fifo...) has this name. */
export function entryExists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

const TYPE_NAMES: Array<[keyof Stats, string]> = [
  ['isDirectory', 'a folder'],
  ['isFIFO', 'a named pipe (fifo)'],
  ['isSocket', 'a socket'],
  ['isCharacterDevice', 'a device'],
  ['isBlockDevice', 'a device'],
];

function typeName(st: Stats): string {
  for (const [m, name] of TYPE_NAMES) if ((st[m] as () => boolean).call(st)) return name;
  return 'not a regular file';
}

/** Resolves `abs` and checks it stays inside `repoRoot`; returns the real path. Throws a one-line
 * RenderFailure for a broken link or one that leaves the repository (the target is not shown: it
 * can be anything on the machine). */
export function resolveInside(repoRoot: string, abs: string, o: Pick<RepoFileOptions, 'shown' | 'fix'>): string {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && entryExists(abs))
      throw new RenderFailure('symlink points to nothing', o.shown, 'remove the broken link');
    throw new RenderFailure(`cannot be read (${code ?? 'error'})`, o.shown, o.fix);
  }
  if (!isInside(realpathSync(repoRoot), real)) {
    throw new RenderFailure(
      'leads outside the repository through a symlink; safe-render never reads outside the repository',
      o.shown,
      o.fix ?? 'replace the link with the file itself',
    );
  }
  return real;
}

/** Checks that `abs` is a regular file inside the repository within the size limit, without
 * reading it (for files a tool reads, such as helm value files). Returns the real path. */
export function checkRepoFile(repoRoot: string, abs: string, o: RepoFileOptions): string {
  const real = resolveInside(repoRoot, abs, o);
  const fd = openGuarded(real, o);
  closeSync(fd);
  return real;
}

function openGuarded(real: string, o: RepoFileOptions): number {
  let fd: number;
  try {
    // O_NONBLOCK: opening a fifo for reading would otherwise wait for a writer forever.
    // O_NOFOLLOW: `real` has no symlink left; one swapped in since is refused, not followed.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RenderFailure(
      code === 'EISDIR' ? 'is a folder, not a regular file' : `cannot be read (${code ?? 'error'})`,
      o.shown,
      o.fix,
    );
  }
  const st = fstatSync(fd);
  const max = o.maxBytes ?? READ_LIMITS[o.kind];
  if (!st.isFile()) {
    closeSync(fd);
    throw new RenderFailure(
      `is ${typeName(st)}, not a regular file`,
      o.shown,
      o.fix ?? 'replace it with a regular file',
    );
  }
  if (st.size > max) {
    closeSync(fd);
    throw new RenderFailure(
      `file is ${sizeText(st.size)}, over the ${sizeText(max)} limit for this kind of file`,
      o.shown,
      o.fix ?? 'make it smaller',
    );
  }
  return fd;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads a repository file as strict UTF-8 text through every guard above. */
export function readRepoFile(repoRoot: string, abs: string, o: RepoFileOptions): string {
  const real = resolveInside(repoRoot, abs, o);
  const fd = openGuarded(real, o);
  const max = o.maxBytes ?? READ_LIMITS[o.kind];
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    // Read to the end but never past the limit: the size seen by fstat may have grown since.
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max)
        throw new RenderFailure(
          `file is over the ${sizeText(max)} limit for this kind of file`,
          o.shown,
          o.fix ?? 'make it smaller',
        );
    }
  } finally {
    closeSync(fd);
  }
  let text: string;
  try {
    text = decoder.decode(Buffer.concat(chunks, total));
  } catch {
    throw new RenderFailure(
      'file is not UTF-8 text (binary?)',
      o.shown,
      o.fix ?? 'remove it, or replace it with UTF-8 text',
    );
  }
  if (text.includes('\0'))
    throw new RenderFailure(
      'file contains NUL bytes (binary?)',
      o.shown,
      o.fix ?? 'remove it, or replace it with UTF-8 text',
    );
  return text;
}

/** Whether the file `abs` (under `repoRoot`) is absent, walking its path from the root: only a
 * name that does not exist, under folders (or links to folders inside the repository) that do,
 * is absent. A broken link, a link out of the repository or a file where a folder should be, at
 * any level, is refused: replacing `.safe-render` with a dangling link or a plain file must not
 * read as "no locks, no freeze". */
function isAbsent(repoRoot: string, abs: string, o: RepoFileOptions): boolean {
  const rel = relative(repoRoot, abs);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return !entryExists(abs);
  const parts = rel.split(sep);
  let p = repoRoot;
  for (let i = 0; i < parts.length; i++) {
    p = `${p}${sep}${parts[i]}`;
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw new RenderFailure(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, o.shown, o.fix);
    }
    if (i === parts.length - 1) return false;
    if (st.isSymbolicLink()) {
      const shown = parts.slice(0, i + 1).join('/');
      const real = resolveInside(repoRoot, p, o);
      if (!statSync(real).isDirectory()) throw new RenderFailure(`${shown} is not a folder`, o.shown, o.fix);
    } else if (!st.isDirectory()) {
      throw new RenderFailure(`${parts.slice(0, i + 1).join('/')} is not a folder`, o.shown, o.fix);
    }
  }
  return false;
}

/** `readRepoFile` for a file that may be absent: undefined when nothing has the name. Anything that
 * has the name, or stands in for a folder on its way, but cannot be read safely (a broken or
 * escaping link, a folder, a fifo, a plain file) is refused, never treated as absent. */
export function readOptionalRepoFile(repoRoot: string, abs: string, o: RepoFileOptions): string | undefined {
  if (isAbsent(repoRoot, abs, o)) return undefined;
  return readRepoFile(repoRoot, abs, o);
}
