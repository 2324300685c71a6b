// The repository's URL as its Git remote names it. gitRemoteURL (issue 14): `lock` records it in the
// lock's source when no --repo-url is given; `origin` first, else the only remote; with several
// remotes and no `origin` there is no one answer, and the caller says so. originURL: `origin` alone,
// which `ci`, `diff` and `migrate` compare Applications' repoURL with.
import { git, type GitEnv } from './base-revision';

export type RemoteURL = { url: string; remote: string } | { reason: string };

/** At most this many remotes are listed (a repository with more is not guessed from). */
const MAX_REMOTES = 100;

/** The `origin` remote's URL as git gives it ('' when there is none, or git cannot say), and whether
 * git is missing altogether: for `ci`, `diff` and `migrate`, which read `origin` only. */
export function originURL(root: string, env: GitEnv): { url: string; gitMissing: boolean } {
  // `--` ends the options; `origin` is fixed, nothing from the repository reaches the argv.
  const r = git(root, env, ['remote', 'get-url', '--', 'origin']);
  return { url: r.status === 0 ? r.stdout.toString('utf8').trim() : '', gitMissing: r.missing };
}

export function gitRemoteURL(root: string, env: GitEnv): RemoteURL {
  const list = git(root, env, ['remote']);
  if (list.missing) return { reason: 'git is not installed (not on PATH)' };
  if (list.status !== 0) return { reason: 'git cannot list the remotes of this repository' };
  const remotes = list.stdout
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, MAX_REMOTES + 1);
  const remote = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0]! : undefined;
  if (remote === undefined)
    return {
      reason: remotes.length
        ? `the repository has ${remotes.length > MAX_REMOTES ? 'over 100' : remotes.length} remotes and none is named origin`
        : 'the repository has no remote',
    };
  // `--` ends the options: a remote named like a flag stays a name.
  const r = git(root, env, ['remote', 'get-url', '--', remote]);
  const url = r.status === 0 ? withoutCredentials(r.stdout.toString('utf8').trim()) : '';
  if (url === '' || /[\s\x00-\x1f\x7f]/.test(url))
    return { reason: `git gives no usable URL for the remote ${JSON.stringify(remote.slice(0, 40))}` };
  return { url, remote };
}

/** A remote URL without a password or token: a CI checkout's remote often carries one
 * (`https://gitlab-ci-token:TOKEN@host/...`, `https://x-access-token:TOKEN@github.com/...`), and the
 * lock is committed. The user part of an `https://` URL goes too (Argo CD's repoURL has none, its
 * credentials live in repository Secrets); an ssh user (`git@host:org/repo`, `ssh://git@host/...`)
 * stays, since Argo CD's ssh repoURLs carry it. */
export function withoutCredentials(url: string): string {
  // The user part ends at the LAST "@" before the path (WHATWG URL's reading): a password with a raw
  // "@" in it (`https://u:p@ss@host/...`) must go whole, not leave "ss@" behind in the lock.
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)@(.*)$/.exec(url);
  if (!m) return url;
  const [, scheme, user, rest] = m as unknown as [string, string, string, string];
  if (/^ssh$/i.test(scheme) && !user.includes(':')) return url;
  return `${scheme}://${rest}`;
}
