// Repository URLs compared the way Argo CD compares them: argo-cd util/git/git.go NormalizeGitURL,
// NormalizeGitURLAllowInvalid, SameURL and IsSSHURL. Case, surrounding space, a `.git` suffix and the
// scp-like SSH form (`git@host:org/repo`) do not make two URLs different; a trailing slash does.

// sshURLRegex = regexp.MustCompile("^(ssh://)?([^/:]*?)@[^@]+$")
const SSH_URL = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

// strings.TrimSpace (unicode.IsSpace; JS's \s also takes U+FEFF, Go's does not).
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

/** IsSSHURL: whether the URL is an SSH one (`ssh://user@...` or `user@host:path`). */
export function isSSHURL(url: string): boolean {
  return SSH_URL.test(url);
}

/** Whether Go's net/url.Parse rejects the text (the cases a repository URL can hit): ASCII control
 * characters, a malformed %-escape, a colon in the first segment of a scheme-less URL, and a port that
 * is not digits. */
function goURLParseFails(u: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(u)) return true;
  if (/%(?![0-9a-fA-F]{2})/.test(u)) return true;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(u);
  if (!scheme) {
    if (u.startsWith(':')) return true; // "missing protocol scheme"
    const first = u.split('/')[0]!;
    if (first.includes(':')) return true; // "first path segment in URL cannot contain colon"
    return false;
  }
  const rest = u.slice(scheme[0].length);
  if (!rest.startsWith('//')) return false;
  const authority = rest.slice(2).split(/[/?#]/)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) return !/^\[[^\]]*\](:[0-9]*)?$/.test(host);
  const colon = host.indexOf(':');
  return colon >= 0 && !/^[0-9]*$/.test(host.slice(colon + 1));
}

/** NormalizeGitURL: "" when Go cannot parse the URL. Simplified: Go re-escapes the parsed URL
 * (url.String()); we keep the text as written, which differs only for URLs with characters Go escapes. */
export function normalizeGitURL(repo: string): string {
  let r = repo.replace(TRIM, '').toLowerCase();
  if (isSSHURL(r) && !r.startsWith('ssh://')) {
    // The first colon of git@server:org/repo becomes a slash, else url.Parse reads it as the port.
    r = `ssh://${r.replace(':', '/')}`;
  }
  if (r.endsWith('.git')) r = r.slice(0, -4);
  if (goURLParseFails(r)) return '';
  return r.startsWith('ssh://') ? r.slice(6) : r;
}

/** SameURL: both normalise (an unparseable URL compares as written) to the same non-empty text. */
export function sameRepoURL(left: string, right: string): boolean {
  const l = normalizeGitURL(left) || left;
  const r = normalizeGitURL(right) || right;
  return l !== '' && r !== '' && l === r;
}

/** Host and path of a repository URL as git fetches it: scheme, user, port, a trailing `/` or `.git`
 * and case dropped; "" when there is no host and path. */
function hostAndPath(url: string): string {
  let r = url.replace(TRIM, '').toLowerCase();
  if (isSSHURL(r) && !/^[a-z][a-z0-9+.-]*:\/\//.test(r)) r = `ssh://${r.replace(':', '/')}`;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+)(?::[0-9]*)?(\/[^?#]*)$/.exec(r);
  if (!m) return '';
  const path = m[2]!
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return path === '' ? '' : `${m[1]}${path}`;
}

/** Whether an app's repoURL fetches this repository, for choosing the apps `ci` checks. SameURL alone
 * is not enough: Argo CD fetches `https://host/org/repo/`, `git@host:org/repo` and
 * `ssh://git@host:22/org/repo` as they are written, and each is this repository's content, which the
 * sidecar then renders; ci skipping them as "another repository" would pass what the sidecar refuses. */
export function sameRepository(appRepoURL: string, repoURL: string): boolean {
  if (sameRepoURL(appRepoURL, repoURL)) return true;
  const a = hostAndPath(appRepoURL);
  return a !== '' && a === hostAndPath(repoURL);
}
