// Repository URLs compared the way Argo CD compares them (util/git/git.go `NormalizeGitURL` and
// `SameURL`): lower-cased and trimmed, an scp-style SSH URL (`git@host:org/repo`) read as
// `ssh://git@host/org/repo`, one trailing `.git` dropped, then parsed as a URL and printed back
// without the `ssh://` prefix. A URL Go's net/url refuses normalises to "" and equals nothing.

// sshURLRegex in util/git/git.go.
const SSH_URL = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

/** Go's url.Parse refuses ASCII control characters and malformed %-escapes; the string it prints back
 * (`URL.String()`) is the input for the URLs repositories use (scheme, user, host, path), so the
 * input itself stands in for it. */
function goURLParses(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(s)) return false;
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return false;
  // `scheme:` must start with a letter; a colon before any slash with a bad scheme is "missing protocol scheme".
  const colon = s.indexOf(':');
  const slash = s.indexOf('/');
  if (colon === 0) return false;
  if (colon > 0 && (slash < 0 || colon < slash) && !/^[a-z][a-z0-9+.-]*$/.test(s.slice(0, colon))) return false;
  return true;
}

/** NormalizeGitURL (argo-cd util/git/git.go). */
export function normalizeGitURL(repo: string): string {
  let r = repo.trim().toLowerCase();
  if (SSH_URL.test(r) && !r.startsWith('ssh://')) {
    // "We need to replace the first colon in git@server:... style SSH URLs with a slash, otherwise
    // net/url.Parse will interpret it incorrectly as the port."
    r = `ssh://${r.replace(':', '/')}`;
  }
  if (r.endsWith('.git')) r = r.slice(0, -'.git'.length);
  if (!goURLParses(r)) return '';
  return r.startsWith('ssh://') ? r.slice('ssh://'.length) : r;
}

/** SameURL (argo-cd util/git/git.go): both normalise to the same non-empty string. */
export function sameRepoURL(a: string, b: string): boolean {
  const x = normalizeGitURL(a);
  const y = normalizeGitURL(b);
  return x !== '' && x === y;
}
