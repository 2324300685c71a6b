// The repository `ci` checks (issue 11): its root, the HEAD commit (ARGOCD_APP_REVISION for every
// app, as the sidecar gets the resolved commit) and its URL as the apps name it (`--repo-url`, else
// the `origin` remote). Git runs as lock/base-revision.ts runs it: argv only, no shell, no pager,
// none of the caller's GIT_* variables. With both `--repo-url` and `--revision` (a CI job that knows its
// commit, in the sidecar image, which has no git) git is not run at all.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { git, isTopLevel, notAGitRepo, type GitEnv } from '../lock/base-revision';
import { originURL } from '../lock/remote-url';
import { UsageError } from '../util/errors';

export interface RepositoryFacts {
  root: string;
  revision: string;
  /** As given (`--repo-url`) or as `origin` says; compared with apps' repoURL by sameRepoURL. */
  url: string;
}

const HEX_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function repositoryFacts(
  dir: string,
  env: GitEnv,
  repoURLFlag: string | undefined,
  revisionFlag?: string,
): RepositoryFacts {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    throw new UsageError(`${dir}: no such folder`);
  }
  // ARGOCD_APP_REVISION is the resolved commit SHA in the sidecar, never a branch name: so is --revision.
  if (revisionFlag !== undefined && !HEX_COMMIT.test(revisionFlag))
    throw new UsageError(
      `--revision takes the full commit SHA (40 or 64 lower-case hex digits), as Argo CD passes ARGOCD_APP_REVISION, not "${revisionFlag.slice(0, 80)}"`,
    );
  if (revisionFlag !== undefined && repoURLFlag !== undefined) {
    // Without git the root cannot be asked of git: it is the folder given, which must hold .git (a
    // checkout), so that a sub-folder is not taken for the repository and its locks missed.
    if (!existsSync(join(root, '.git')))
      throw new UsageError(`ci checks a whole repository: ${dir} holds no .git (give the checkout's root)`);
    return { root, revision: revisionFlag, url: repoURLFlag };
  }
  const why = notAGitRepo(root, env);
  if (why) throw new UsageError(`ci checks a Git repository: ${why}`);
  const top = git(root, env, ['rev-parse', '--show-toplevel']).stdout.toString('utf8').trim();
  if (!isTopLevel(root, top))
    throw new UsageError(`ci checks a whole repository: give its root (${top || 'unknown'}), not ${dir}`);
  const head =
    revisionFlag ??
    git(root, env, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).stdout.toString('utf8').trim();
  if (!HEX_COMMIT.test(head)) throw new UsageError(`${root}: the repository has no commit yet (HEAD)`);
  let url = repoURLFlag;
  if (url === undefined) {
    url = originURL(root, env).url;
    if (url === '')
      throw new UsageError(
        'the repository has no `origin` remote: give its URL as the Applications name it with --repo-url URL',
      );
  }
  return { root, revision: head, url };
}
