// Where locks live: `.safe-render/` at the repository root, one file per Argo CD app plus an index of
// every app that has one (so a lock deleted together with the objects it protects is noticed).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RenderFailure } from '../util/errors';
import { parseLock, serializeLock, unreadableLockFix, type LockFile } from './lock-file';
import { excerpt, readOptionalRepoFile } from '../util/repo-file';

export const LOCK_DIR = '.safe-render';
export const INDEX_FILE = `${LOCK_DIR}/index`;

/** App names are `<name>` or `<namespace>_<name>`; anything else a file name cannot hold is %-escaped. */
export function lockPath(appName: string): string {
  return `${LOCK_DIR}/locks/${appName.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}.lock`;
}

export function parseIndex(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export function serializeIndex(apps: readonly string[]): string {
  const sorted = [...new Set(apps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
  const indexText = readOptionalRepoFile(repoRoot, join(repoRoot, INDEX_FILE), { shown: INDEX_FILE, kind: 'index', fix: unreadableLockFix(INDEX_FILE) });
  const indexed = indexText !== undefined && parseIndex(indexText).includes(appName);
  const text = readOptionalRepoFile(repoRoot, join(repoRoot, file), { shown: file, kind: 'lock', fix: unreadableLockFix(file) });
  if (text === undefined) return { file, indexed };
  const lock = parseLock(text, file);
  if (lock.app !== appName) {
    throw new RenderFailure(`the lock is for app "${excerpt(lock.app, 100)}", not "${appName}"`, file, unreadableLockFix(file));
  }
  return { lock, file, indexed };
}

function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Writes the lock and adds the app to the index. Returns the lock's repo-relative path. */
export function writeLock(repoRoot: string, lock: LockFile): string {
  const file = lockPath(lock.app);
  writeAtomic(join(repoRoot, file), serializeLock(lock));
  const indexPath = join(repoRoot, INDEX_FILE);
  const apps = existsSync(indexPath) ? parseIndex(readFileSync(indexPath, 'utf8')) : [];
  writeAtomic(indexPath, serializeIndex([...apps, lock.app]));
  return file;
}
