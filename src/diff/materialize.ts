// The two revisions `safe-render diff` renders (issue 12), each as a folder of its own under the OS
// temp dir, never by switching the user's checkout, and removed on every exit path.
//
// A commit is materialised as `git clone --shared --no-checkout` of the user's repository into the
// scratch folder, then `git checkout --detach <commit>` there (docs/development/diff-revisions.md says
// why, in short):
// - parity with the sidecar: Argo CD's repo-server gets its files by `git checkout` of the resolved
//   commit (util/git/client.go, nativeGitClient.Checkout), so symlinks stay symlinks, the executable
//   bit is kept and `.gitattributes export-ignore`/`export-subst` change nothing. `git archive` honours
//   both attributes, so a file marked export-ignore would be missing from the base render and not from
//   Argo CD's; and it needs a tar extractor we would have to bound against hostile archives.
// - the render needs `.git`: the pipeline finds the repository root by it
//   (context/build-context.ts findRepoRoot) and `ci` runs git there (ci/repository.ts: rev-parse
//   HEAD, --show-toplevel, the `origin` remote). The clone is a real repository whose HEAD is the
//   commit and whose `origin` is the user's `origin`.
// - nothing is written into the user's repository: `git worktree add` would register the folder in
//   the user's .git/worktrees (left behind if we are killed) and run the user's post-checkout hook.
//   `--shared` borrows the objects through .git/objects/info/alternates: no copy of the history.
// Submodules are not checked out (Argo CD does, unless ARGOCD_GIT_MODULES_ENABLED=false): a submodule
// is an empty folder here, as in a plain clone.
//
// The working tree (`--head` left out) is copied, not used in place: the files git lists with
// `ls-files --cached --others --exclude-standard` (uncommitted edits and untracked files included,
// ignored files not), into a clone whose HEAD is the user's HEAD. Rendering in place would read
// ignored files too (a `charts/` folder from `helm dependency build`, an `.env`), which the sidecar
// never sees: it renders the commit, and an ignored file is in no commit.
import {
  copyFileSync,
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { git, isTopLevel, notAGitRepo, type GitEnv } from '../lock/base-revision';
import { originURL } from '../lock/remote-url';
import { UsageError } from '../util/errors';
import { checkedRelPath } from './rel-path';

/** Files in one revision (tracked, or listed for the working tree). Twice the largest monorepo in the
 * corpus; past it a diff is not a preview any more. */
export const MAX_REVISION_FILES = 100_000;
/** Bytes in one revision, summed over its files. */
export const MAX_REVISION_BYTES = 1024 * 1024 * 1024;

export interface Revision {
  /** The scratch folder: the repository root at that revision (it holds `.git`). */
  dir: string;
  /** The commit HEAD is at in `dir`: the revision itself, or the user's HEAD for the working tree. */
  commit: string;
  /** Removes the scratch folder. Idempotent; also run when the signal aborts. */
  dispose(): void;
}

export interface ScratchOptions {
  signal?: AbortSignal;
  /** Where the scratch folder is made; the OS temp dir by default. */
  tmpRoot?: string;
}

const HEX_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** git with the user's hooks and templates out of reach: nothing of the user's configuration runs. */
const QUIET = ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false'];

const firstLine = (s: string) =>
  (s.split('\n').find((l) => l.trim() !== '') ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

function mustGit(cwd: string, env: GitEnv, args: readonly string[], what: string): Buffer {
  const r = git(cwd, env, [...QUIET, ...args]);
  if (r.missing) throw new UsageError('diff needs git, and git is not installed (not on PATH)');
  if (r.status !== 0)
    throw new UsageError(`${what}: git ${args[0]} failed: ${firstLine(r.stderr) || `exit ${r.status}`}`);
  return r.stdout;
}

/** A fresh scratch folder, its dispose, and `fill` run in it; on any error or abort it is removed. */
function withScratch(opts: ScratchOptions, fill: (dir: string) => string): Revision {
  opts.signal?.throwIfAborted();
  const dir = realpathSync(mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'safe-render-diff-')));
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    opts.signal?.removeEventListener('abort', dispose);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  opts.signal?.addEventListener('abort', dispose, { once: true });
  try {
    const commit = fill(dir);
    opts.signal?.throwIfAborted();
    return { dir, commit, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** The repository's top level, which `repoRoot` must be (a sub-folder would make relative paths lie). */
function checkTopLevel(repoRoot: string, env: GitEnv): string {
  const why = notAGitRepo(repoRoot, env);
  if (why) throw new UsageError(`diff needs a Git repository: ${why}`);
  const root = realpathSync(repoRoot);
  const top = mustGit(root, env, ['rev-parse', '--show-toplevel'], root).toString('utf8').trim();
  if (!isTopLevel(root, top))
    throw new UsageError(`diff reads a whole repository: give its root (${top || 'unknown'}), not ${repoRoot}`);
  return root;
}

/** An empty clone of `root` in `dir` (objects borrowed, nothing checked out) whose `origin` is the
 * user's `origin`, so `ci` run in it names the repository as it would in the checkout. */
function sharedClone(root: string, dir: string, env: GitEnv): void {
  mustGit(root, env, ['clone', '--quiet', '--shared', '--no-checkout', '--', root, dir], 'cannot read the repository');
  const { url } = originURL(root, env);
  if (url !== '' && !url.startsWith('-') && !/[\x00-\x1f\x7f]/.test(url))
    mustGit(dir, env, ['config', 'remote.origin.url', url], 'cannot set origin in the scratch copy');
  else git(dir, env, ['remote', 'remove', 'origin']);
}

/** Refuses a revision over the file or byte bounds before anything is written for it. */
function checkTreeSize(root: string, commit: string, env: GitEnv, label: string): void {
  const out = mustGit(root, env, ['ls-tree', '-r', '-l', '-z', commit], label).toString('utf8');
  let files = 0;
  let bytes = 0;
  for (const entry of out.split('\0')) {
    if (entry === '') continue;
    if (++files > MAX_REVISION_FILES)
      throw new UsageError(
        `${label}: more than ${MAX_REVISION_FILES} files, over safe-render's limit for one revision`,
      );
    const size = Number(/^\d+ \w+ [0-9a-f]+ +(\d+)\t/.exec(entry)?.[1] ?? 0);
    bytes += size;
    if (bytes > MAX_REVISION_BYTES)
      throw new UsageError(
        `${label}: more than ${MAX_REVISION_BYTES / 1048576} MiB, over safe-render's limit for one revision`,
      );
  }
}

/** The tree of `commit` (a 40- or 64-hex id, as diffBase/diffHead resolve it) in a scratch folder. */
export function materializeRevision(
  repoRoot: string,
  commit: string,
  env: GitEnv,
  opts: ScratchOptions = {},
): Revision {
  if (!HEX_COMMIT.test(commit))
    throw new UsageError(`not a resolved commit id: ${JSON.stringify(commit.slice(0, 80))}`);
  const root = checkTopLevel(repoRoot, env);
  const label = `commit ${commit.slice(0, 12)}`;
  checkTreeSize(root, commit, env, label);
  return withScratch(opts, (dir) => {
    sharedClone(root, dir, env);
    opts.signal?.throwIfAborted();
    // `--` ends the revision: the commit id is never read as a path or an option.
    mustGit(dir, env, ['checkout', '--quiet', '--detach', commit, '--'], `cannot check out ${label}`);
    return commit;
  });
}

/** The working tree as it is, in a scratch folder: tracked files as they are on disk (a deleted one is
 * absent), untracked files included, ignored files not. `.git` there is a clone at the user's HEAD. */
export function workingTreeSnapshot(repoRoot: string, env: GitEnv, opts: ScratchOptions = {}): Revision {
  const root = checkTopLevel(repoRoot, env);
  const head = mustGit(root, env, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], root).toString('utf8').trim();
  if (!HEX_COMMIT.test(head)) throw new UsageError(`${root}: the repository has no commit yet (HEAD)`);
  const listed = mustGit(
    root,
    env,
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    'cannot list the working tree',
  )
    .toString('utf8')
    .split('\0');
  // --cached lists each stage of a conflicted file: one copy is enough.
  const paths = [...new Set(listed.filter((p) => p !== ''))];
  if (paths.length > MAX_REVISION_FILES)
    throw new UsageError(
      `the working tree has more than ${MAX_REVISION_FILES} files, over safe-render's limit for one revision`,
    );
  return withScratch(opts, (dir) => {
    sharedClone(root, dir, env);
    mustGit(dir, env, ['update-ref', '--no-deref', 'HEAD', head], 'cannot set HEAD in the scratch copy');
    mustGit(dir, env, ['read-tree', head], 'cannot set the index in the scratch copy');
    copyListed(root, dir, paths, opts.signal);
    return head;
  });
}

/** Copies `paths` (git's, relative to `root`) from `root` to `dir`: regular files with git's two
 * modes, symlinks as symlinks (never followed). Skipped: a path that is gone (deleted, not yet staged),
 * a folder (a submodule or a nested repository: git lists those as one entry), and a path under a
 * symlinked folder (git itself calls that "beyond a symbolic link"), so nothing outside `root` is read. */
function copyListed(root: string, dir: string, paths: readonly string[], signal?: AbortSignal): void {
  const realParents = new Map<string, boolean>();
  const parentIsReal = (rel: string): boolean => {
    const parent = dirname(rel);
    if (parent === '.') return true;
    let ok = realParents.get(parent);
    if (ok === undefined) {
      try {
        ok = realpathSync(join(root, parent)) === join(root, parent);
      } catch {
        ok = false;
      }
      realParents.set(parent, ok);
    }
    return ok;
  };
  let bytes = 0;
  for (const [i, rel] of paths.entries()) {
    if (i % 1024 === 0) signal?.throwIfAborted();
    const checked = checkedRelPath(rel);
    if (checked === undefined || !parentIsReal(checked)) continue;
    const from = join(root, checked);
    let st;
    try {
      st = lstatSync(from);
    } catch {
      continue;
    }
    const to = join(dir, checked);
    if (!to.startsWith(dir + sep)) continue;
    if (st.isSymbolicLink()) {
      mkdirSync(dirname(to), { recursive: true });
      symlinkSync(readlinkSync(from), to);
    } else if (st.isFile()) {
      bytes += st.size;
      if (bytes > MAX_REVISION_BYTES)
        throw new UsageError(
          `the working tree has more than ${MAX_REVISION_BYTES / 1048576} MiB, over safe-render's limit for one revision`,
        );
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      // Git keeps one bit of the mode: executable or not (100755 or 100644).
      chmodSync(to, st.mode & 0o100 ? 0o755 : 0o644);
    }
  }
}
