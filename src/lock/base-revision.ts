// The lock and index at a base revision, read from Git (issue 8 §9): a lock may only lose what a
// person accepted, and "lost" means "compared with the lock the change started from". Git runs as a
// child process with a fixed argv, no shell and no pager; a ref from the command line is refused when
// it could be read as a flag and is then passed after `--end-of-options`, and every later command gets
// the 40-hex commit it resolved to, never the ref. Paths are read with `ls-tree` (mode and object id)
// and `cat-file blob` (bounded), so a symlink committed at the lock's path is seen as one.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../util/errors';
import { parseLock, type LockFile } from './lock-file';
import { INDEX_FILE, parseIndex } from './store';

/** The caller's environment (never process.env, issue 10): git gets it minus every GIT_* variable. */
export type GitEnv = Readonly<Record<string, string | undefined>>;

/** Largest lock or index we read from Git. */
const MAX_BLOB_BYTES = 16 * 1024 * 1024;

export interface BaseRevision {
  /** The 40-hex (or 64-hex) commit id. */
  commit: string;
  /** How it was found, for messages: `--base main`, `merge base with origin/HEAD`. */
  label: string;
}

export interface GitResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
  /** git could not be started (not installed). */
  missing: boolean;
}

export function git(repoRoot: string, callerEnv: GitEnv, args: readonly string[]): GitResult {
  const env: NodeJS.ProcessEnv = {};
  // Nothing from the caller's environment may point git at another repository or configuration.
  for (const [k, v] of Object.entries(callerEnv)) if (!k.startsWith('GIT_') && v !== undefined) env[k] = v;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  // When the repository root holds `.git`, that is the repository: never let git walk further up.
  if (existsSync(join(repoRoot, '.git'))) {
    try {
      env.GIT_CEILING_DIRECTORIES = dirname(realpathSync(repoRoot));
    } catch {
      /* the root vanished: git will say so */
    }
  }
  const r = spawnSync('git', ['--no-pager', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: MAX_BLOB_BYTES + 1024,
    timeout: 60_000,
  });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  if (r.error && !missing) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `git ${args[0]} failed: ${code === 'ENOBUFS' ? `output larger than ${MAX_BLOB_BYTES} bytes` : (code ?? r.error.message)}`,
    );
  }
  return {
    status: r.status,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8'),
    missing,
  };
}

const firstLine = (s: string) =>
  (s.split('\n').find((l) => l.trim() !== '') ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

function resolveCommit(repoRoot: string, ref: string, env: GitEnv): string | undefined {
  const r = git(repoRoot, env, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const out = r.stdout.toString('utf8').trim();
  return r.status === 0 && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : undefined;
}

/** Why git cannot answer here, or undefined when this is a Git work tree. */
/** Whether `top` (git's `rev-parse --show-toplevel`) is the folder `root` (a real path): a command that
 * reads a whole repository is given its root, since from a sub-folder its relative paths would lie. */
export function isTopLevel(root: string, top: string): boolean {
  try {
    return realpathSync(top) === root;
  } catch {
    return top === root;
  }
}

export function notAGitRepo(repoRoot: string, env: GitEnv): string | undefined {
  const r = git(repoRoot, env, ['rev-parse', '--is-inside-work-tree']);
  if (r.missing) return 'git is not installed (not on PATH)';
  if (r.status !== 0 || r.stdout.toString('utf8').trim() !== 'true') {
    // git's own reason matters: "dubious ownership" (safe.directory) is not "no repository".
    const said = firstLine(r.stderr).replace(/^fatal: /, '');
    return `${repoRoot} is not a Git work tree${said ? ` (git: ${said})` : ''}`;
  }
  return undefined;
}

/** A ref given on the command line: validated so git cannot read it as a flag, then resolved. Errors
 * are usage errors (exit 2): the caller asked for a comparison we cannot make. */
export function explicitBase(repoRoot: string, ref: string, env: GitEnv): BaseRevision {
  if (ref === '' || ref.startsWith('-'))
    throw new UsageError(
      `--base ${JSON.stringify(ref.slice(0, 80))} is not a revision: a revision cannot be empty or start with "-"`,
    );
  if (ref.length > 256 || /[\x00-\x20\x7f]/.test(ref))
    throw new UsageError('--base: a revision has no spaces or control characters and at most 256 characters');
  const why = notAGitRepo(repoRoot, env);
  if (why) throw new UsageError(`--base needs a Git repository: ${why}`);
  const commit = resolveCommit(repoRoot, ref, env);
  if (!commit)
    throw new UsageError(
      `--base ${ref}: no such commit in this repository (a shallow clone may lack it: fetch it first, e.g. \`git fetch --unshallow\`, or \`fetch-depth: 0\` in GitHub Actions)`,
    );
  return { commit, label: `--base ${ref}` };
}

/** The default base: the merge base of HEAD with the default branch (`origin/HEAD`, else `main`,
 * else `master`, local or on origin). `reason` says why there is none. */
export function defaultBase(repoRoot: string, env: GitEnv): BaseRevision | { reason: string } {
  const why = notAGitRepo(repoRoot, env);
  if (why) return { reason: why };
  if (!resolveCommit(repoRoot, 'HEAD', env)) return { reason: 'the repository has no commit yet' };
  for (const ref of ['origin/HEAD', 'main', 'origin/main', 'master', 'origin/master']) {
    const tip = resolveCommit(repoRoot, ref, env);
    if (!tip) continue;
    const r = git(repoRoot, env, ['merge-base', 'HEAD', tip]);
    const commit = r.stdout.toString('utf8').trim();
    if (r.status === 0 && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit))
      return { commit, label: `merge base with ${ref}` };
  }
  return {
    reason:
      'no origin/HEAD, main or master with a merge base with HEAD (a shallow clone has none: fetch the default branch)',
  };
}

/** The content of `rel` (relative to the repository root) at `commit`, or undefined when absent. A
 * symlink or submodule there is an error: the lock at the base must be a file like any lock. */
export function readAtBase(repoRoot: string, base: BaseRevision, rel: string, env: GitEnv): string | undefined {
  const ls = git(repoRoot, env, ['ls-tree', '-z', base.commit, '--', `./${rel}`]);
  if (ls.status !== 0)
    throw new UsageError(`cannot list ${rel} at ${base.label} (${base.commit.slice(0, 12)}): ${firstLine(ls.stderr)}`);
  const entry = ls.stdout
    .toString('utf8')
    .split('\0')
    .find((e) => e !== '');
  if (!entry) return undefined;
  const m = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(entry);
  if (!m) throw new UsageError(`cannot read ${rel} at ${base.label}: unexpected git output`);
  if (m[2] !== 'blob' || (m[1] !== '100644' && m[1] !== '100755')) {
    throw new UsageError(
      `${rel} at ${base.label} (${base.commit.slice(0, 12)}) is not a regular file (git mode ${m[1]}); a lock or index must be a file`,
    );
  }
  const blob = git(repoRoot, env, ['cat-file', 'blob', m[3]!]);
  if (blob.status !== 0) throw new UsageError(`cannot read ${rel} at ${base.label}: ${firstLine(blob.stderr)}`);
  if (blob.stdout.length > MAX_BLOB_BYTES)
    throw new UsageError(`${rel} at ${base.label} is larger than ${MAX_BLOB_BYTES} bytes`);
  return blob.stdout.toString('utf8');
}

/** The app's lock at the base, parsed; undefined when the base has none. */
export function lockAtBase(repoRoot: string, base: BaseRevision, file: string, env: GitEnv): LockFile | undefined {
  const text = readAtBase(repoRoot, base, file, env);
  return text === undefined ? undefined : parseLock(text, `${file} at ${base.label} (${base.commit.slice(0, 12)})`);
}

/** The apps the index lists at the base. */
export function indexAtBase(repoRoot: string, base: BaseRevision, env: GitEnv): string[] {
  return parseIndex(readAtBase(repoRoot, base, INDEX_FILE, env) ?? '');
}
