// Where locks live: `.safe-render/` at the repository root, one file per Argo CD app plus an index of
// every app that has one (so a lock deleted together with the objects it protects is noticed).
import { join } from 'node:path';
import { RenderFailure, UsageError } from '../util/errors';
import { fitComponent, percentEncode } from '../util/file-names';
import { byCodeUnit } from '../util/compare';
import { prepareFileDestination, readFileNoFollow, replaceWith } from '../util/safe-write';
import { parseLock, serializeLock, unreadableLockFix, type LockFile } from './lock-file';
import { excerpt, readOptionalRepoFile } from '../util/repo-file';

export const LOCK_DIR = '.safe-render';
export const INDEX_FILE = `${LOCK_DIR}/index`;
/** Git attributes of the lock folder (issue 14): the index merges as a union of lines, so two pull
 * requests that each lock a new app both land without a conflict. Kept inside `.safe-render/` (git
 * reads a .gitattributes in any folder, for the paths below it), so the repository's own
 * .gitattributes is never touched. */
export const ATTRIBUTES_FILE = `${LOCK_DIR}/.gitattributes`;
/** The attribute line, relative to ATTRIBUTES_FILE's folder. */
export const INDEX_MERGE_LINE = '/index merge=union';

/** App names are `<name>` or `<namespace>_<name>`; anything else a file name cannot hold is %-escaped
 * (as UTF-8 bytes, so the name stays injective for every string: issue 9 §2), and a name too long for
 * one file name keeps a prefix and its SHA-256 (util/file-names.ts). */
export function lockPath(appName: string): string {
  return `${LOCK_DIR}/locks/${fitComponent(percentEncode(appName, /^[A-Za-z0-9._-]$/), '.lock')}`;
}

export function parseIndex(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** ATTRIBUTES_FILE with the index's union merge added, or undefined when nothing needs writing: a line
 * that already gives the index an attribute (ours, or a person's own choice such as `index -merge`) is
 * left as it is, and every other line is kept byte for byte. Union merge only ever keeps lines (an
 * app retired on one branch and kept on the other stays listed, which lock-missing then refuses: fail
 * closed); the lines may end up unsorted, which reading ignores and the next `lock` sorts. */
export function attributesWithIndexMerge(existing: string | undefined): string | undefined {
  const names = (existing ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[0]);
  if (names.some((n) => n === 'index' || n === '/index')) return undefined;
  const head =
    existing === undefined || existing === ''
      ? '# Written by `safe-render lock`: two pull requests that each lock a new app add different lines to the\n# index; git keeps both instead of a conflict (merge=union).\n'
      : existing.endsWith('\n')
        ? existing
        : `${existing}\n`;
  return `${head}${INDEX_MERGE_LINE}\n`;
}

export function serializeIndex(apps: readonly string[]): string {
  const sorted = [...new Set(apps)].sort(byCodeUnit);
  return `# Apps that have a safe-render lock (written by \`safe-render lock\`). An app listed here whose lock\n# is missing is refused (lock-missing).\n${sorted.map((a) => `${a}\n`).join('')}`;
}

export interface LockState {
  /** The app's lock, if it has one. */
  lock?: LockFile;
  /** The lock's repo-relative path. */
  file: string;
  /** The index lists this app. */
  indexed: boolean;
}

export function readLockState(repoRoot: string, appName: string): LockState {
  const file = lockPath(appName);
  // Both through the guarded reader (issue 8 §7): a lock or index linked out of the repository, a
  // folder or fifo in its place, or one over the size limit stops the run (exit 2), never reads
  // as "no lock", which would switch the deletion guard off.
  const indexText = readOptionalRepoFile(repoRoot, join(repoRoot, INDEX_FILE), {
    shown: INDEX_FILE,
    kind: 'index',
    fix: unreadableLockFix(INDEX_FILE),
  });
  const indexed = indexText !== undefined && parseIndex(indexText).includes(appName);
  const text = readOptionalRepoFile(repoRoot, join(repoRoot, file), {
    shown: file,
    kind: 'lock',
    fix: unreadableLockFix(file),
  });
  if (text === undefined) return { file, indexed };
  const lock = parseLock(text, file);
  if (lock.app !== appName) {
    throw new RenderFailure(
      `the lock is for app "${excerpt(lock.app, 100)}", not "${appName}"`,
      file,
      unreadableLockFix(file),
    );
  }
  return { lock, file, indexed };
}

/** Largest index we read back before rewriting it. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;
/** Largest .safe-render/.gitattributes we read back before adding our line. */
const MAX_ATTRIBUTES_BYTES = 64 * 1024;

/** An app name goes into line-based files (`app NAME`, one index line per app): a name that would
 * change their lines, or read as an index comment, cannot be written. Argo CD's names never do. */
function checkWritableAppName(app: string): void {
  if (app === '' || /[\s\x00-\x1f\x7f\u0085\u2028\u2029]/.test(app) || app.startsWith('#')) {
    throw new UsageError(
      `the app name ${JSON.stringify(app).slice(0, 80)} cannot be written into a lock: it is empty, holds whitespace or control characters, or starts with "#"`,
    );
  }
}

/** The lock is line-based: an identity holding a line break (a kind with a newline, issue 9 §2) would
 * add lines of its own. Whatever the parser lets through, a lock that does not read back as exactly
 * what we meant to write is not written. */
function checkReadsBack(text: string, lock: LockFile, file: string): void {
  let back: LockFile | undefined;
  try {
    back = parseLock(text, file);
  } catch {
    back = undefined;
  }
  const same =
    back !== undefined &&
    back.app === lock.app &&
    back.objects.size === lock.objects.size &&
    [...lock.objects.keys()].every((k) => back!.objects.has(k)) &&
    back.accepted.length === new Set(lock.accepted).size;
  if (!same)
    throw new UsageError(
      `refusing to write ${file}: an object identity or acceptance holds a character the lock format cannot hold (a line break or a space), so the lock would not read back as written`,
    );
}

/** Writes the lock, adds the app to the index (sorted, one line per app: an index merged by union, in
 * any order, is read the same and written sorted again) and makes sure the index merges by union.
 * Returns the lock's repo-relative path. Writes follow no symlink below the repository root and refuse
 * a destination that is a link or not a regular file (util/safe-write.ts); every destination is
 * checked before any is written. */
export function writeLock(repoRoot: string, lock: LockFile): string {
  checkWritableAppName(lock.app);
  const file = lockPath(lock.app);
  const text = serializeLock(lock);
  checkReadsBack(text, lock, file);
  const lockDest = prepareFileDestination(repoRoot, file);
  const indexDest = prepareFileDestination(repoRoot, INDEX_FILE);
  const attributesDest = prepareFileDestination(repoRoot, ATTRIBUTES_FILE);
  const indexText = readFileNoFollow(repoRoot, INDEX_FILE, MAX_INDEX_BYTES);
  const apps = parseIndex(indexText ?? '');
  const attributes = attributesWithIndexMerge(readFileNoFollow(repoRoot, ATTRIBUTES_FILE, MAX_ATTRIBUTES_BYTES));
  replaceWith(lockDest, text);
  const index = serializeIndex([...apps, lock.app]);
  if (index !== indexText) replaceWith(indexDest, index);
  if (attributes !== undefined) replaceWith(attributesDest, attributes);
  return file;
}
