// Which two commits `safe-render diff` compares (issue 12): `--base REF`, by default the merge base of
// HEAD with the repository's default branch (`origin/HEAD`, else `main`, else `master`). The lookup is
// lock/base-revision.ts's, shared with `lock --check` and `ci --base`, so the three agree on what "the
// base" is; a ref from the command line is validated there (never read as a flag, no control
// characters, at most 256 characters) and resolved to its commit id, which is all later git commands get.
import { defaultBase, explicitBase, type BaseRevision, type GitEnv } from '../lock/base-revision';
import { UsageError } from '../util/errors';

export type { BaseRevision, GitEnv };

/** The merge base of HEAD with the default branch; a UsageError (exit 2) when there is none. */
export function defaultBaseRef(repoRoot: string, env: GitEnv): BaseRevision {
  const found = defaultBase(repoRoot, env);
  if ('reason' in found) throw new UsageError(`diff needs a base revision (give --base REF): ${found.reason}`);
  return found;
}

/** `--base REF` when given, else the default base. A ref that names no commit is a UsageError (exit 2). */
export function diffBase(repoRoot: string, ref: string | undefined, env: GitEnv): BaseRevision {
  return ref === undefined ? defaultBaseRef(repoRoot, env) : explicitBase(repoRoot, ref, env);
}

/** `--head REF` (when given; without it the head is the working tree, see workingTreeSnapshot):
 * resolved like --base, with the messages naming the flag the user gave. */
export function diffHead(repoRoot: string, ref: string, env: GitEnv): BaseRevision {
  try {
    return { ...explicitBase(repoRoot, ref, env), label: `--head ${ref}` };
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--base\b/, '--head'));
    throw e;
  }
}
