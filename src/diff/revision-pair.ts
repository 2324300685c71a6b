// The two folders `safe-render diff` renders (issue 12): the base commit and the head (a commit, or
// the working tree as it is), each materialised once; the same commit twice is materialised once and
// rendered once. Both are removed by `dispose`, and by the signal (materialize.ts), on every path.
import { git, type GitEnv } from '../lock/base-revision';
import { diffBase, diffHead } from './revisions';
import { materializeRevision, workingTreeSnapshot, type Revision, type ScratchOptions } from './materialize';

export interface RevisionPair {
  base: Revision;
  /** The same object as `base` when both are one commit (then `same` is true). */
  head: Revision;
  same: boolean;
  /** `abc123def456` or `working tree (HEAD abc123def456)`, for people. */
  baseLabel: string;
  headLabel: string;
  /** The submodules (gitlinks) each revision has, as repository paths: diff does not fetch them. */
  submodules: { base: string[]; head: string[] };
  dispose(): void;
}

const short = (c: string) => c.slice(0, 12);

/** Whether the working tree is exactly its HEAD commit: nothing modified, staged or untracked (ignored
 * files do not count; the snapshot leaves them out too). Then the working tree is that commit. */
function cleanWorkingTree(root: string, env: GitEnv): boolean {
  const r = git(root, env, [
    '-c',
    'core.hooksPath=/dev/null',
    'status',
    '--porcelain',
    '--untracked-files=all',
    '--ignore-submodules=none',
    '-z',
  ]);
  return r.status === 0 && r.stdout.length === 0;
}

/** Gitlink paths (mode 160000) of a commit: folders a checkout leaves empty unless submodules are
 * fetched, which diff never does (it needs the network and credentials). */
function gitlinks(root: string, commit: string, env: GitEnv): string[] {
  const r = git(root, env, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (r.status !== 0) return [];
  const out: string[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    if (!entry.startsWith('160000 ')) continue;
    const tab = entry.indexOf('\t');
    if (tab > 0) out.push(entry.slice(tab + 1));
  }
  return out;
}

/** Resolves `--base` (default: the merge base with the default branch) and `--head` (default: the
 * working tree) and materialises both. A ref that names no commit is a UsageError (exit 2). */
export function materializePair(
  repoRoot: string,
  baseRef: string | undefined,
  headRef: string | undefined,
  env: GitEnv,
  opts: ScratchOptions = {},
): RevisionPair {
  const base = diffBase(repoRoot, baseRef, env);
  const headCommit = headRef !== undefined ? diffHead(repoRoot, headRef, env).commit : undefined;
  const headIsBase =
    headCommit !== undefined
      ? headCommit === base.commit
      : git(repoRoot, env, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).stdout.toString('utf8').trim() ===
          base.commit && cleanWorkingTree(repoRoot, env);
  const baseRev = materializeRevision(repoRoot, base.commit, env, opts);
  let headRev: Revision = baseRev;
  if (!headIsBase) {
    try {
      headRev =
        headCommit !== undefined
          ? materializeRevision(repoRoot, headCommit, env, opts)
          : workingTreeSnapshot(repoRoot, env, opts);
    } catch (e) {
      baseRev.dispose();
      throw e;
    }
  }
  const baseLinks = gitlinks(repoRoot, base.commit, env);
  return {
    base: baseRev,
    head: headRev,
    same: headIsBase,
    baseLabel: short(base.commit),
    headLabel:
      headCommit !== undefined
        ? short(headCommit)
        : headIsBase
          ? `working tree (clean, ${short(base.commit)})`
          : `working tree (HEAD ${short(headRev.commit)})`,
    submodules: { base: baseLinks, head: headIsBase ? baseLinks : gitlinks(repoRoot, headRev.commit, env) },
    dispose() {
      headRev.dispose();
      baseRev.dispose();
    },
  };
}
