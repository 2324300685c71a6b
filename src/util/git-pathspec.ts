// Which files `git ls-files --full-name -z -- PATTERN` lists, run at the repository root: how Argo CD's
// ApplicationSet git *files* generator reads its `path` patterns by default (util/git/client.go
// `LsFiles`, reached from reposerver `GetGitFiles`; contract §10). Git reads the pattern as a pathspec:
// a literal pathspec matches the path itself and everything under it, one with a wildcard is matched
// by git's wildmatch WITHOUT WM_PATHNAME, so `*` and `?` cross `/` (`apps/*.json` lists
// `apps/web/config.json`) and there are no braces or extglobs. Ported from git's dir.c
// (`match_pathspec_item`, `git_fnmatch`) and wildmatch.c (`dowild`), on bytes as git works.
// Pathspec magic (`:(glob)`, `:!`, `:/`...) and absolute paths are not evaluated: the caller treats
// them as unknown.

export type PathspecResult = { matched: boolean } | { unsupported: string };

const enc = new TextEncoder();
const WM_MATCH = 0;
const WM_NOMATCH = 1;
const WM_ABORT_ALL = -1;
const WM_ABORT_TO_STARSTAR = -2;

const isGlobSpecial = (c: number | undefined) => c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c; // * ? [ \

// git's sane_ctype is ASCII only, in the C locale.
const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  alpha: (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !CLASSES.alnum!(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

/** wildmatch.c `dowild` with flags 0 (no WM_PATHNAME, no WM_CASEFOLD): `*` and `**` both match `/`.
 * Indexes past the end read as 0, the C string terminator. */
function dowild(p: Uint8Array, pi: number, t: Uint8Array, ti: number): number {
  const P = (i: number) => (i < p.length ? p[i]! : 0);
  const T = (i: number) => (i < t.length ? t[i]! : 0);
  for (; P(pi) !== 0; ti++, pi++) {
    let pCh = P(pi);
    let tCh = T(ti);
    if (tCh === 0 && pCh !== 0x2a) return WM_ABORT_ALL;
    switch (pCh) {
      case 0x5c: // '\\': literal match with the following character (a trailing `\` compares with 0)
        pCh = P(++pi);
        if (tCh !== pCh) return WM_NOMATCH;
        continue;
      default:
        if (tCh !== pCh) return WM_NOMATCH;
        continue;
      case 0x3f: // '?': anything (no WM_PATHNAME, so `/` too)
        continue;
      case 0x2a: {
        // '*': without WM_PATHNAME, '*' == '**' and matches `/`
        while (P(pi + 1) === 0x2a) pi++;
        pi++;
        if (P(pi) === 0) return WM_MATCH; // a trailing star matches everything
        for (;;) {
          if (tCh === 0) break;
          if (!isGlobSpecial(P(pi))) {
            // Advance to the next occurrence of the literal that follows the star.
            const want = P(pi);
            while ((tCh = T(ti)) !== 0 && tCh !== want) ti++;
            if (tCh !== want) return WM_NOMATCH;
          }
          const matched = dowild(p, pi, t, ti);
          if (matched !== WM_NOMATCH && matched !== WM_ABORT_TO_STARSTAR) return matched;
          tCh = T(++ti);
        }
        return WM_ABORT_ALL;
      }
      case 0x5b: {
        // '['
        pCh = P(++pi);
        if (pCh === 0x5e) pCh = 0x21; // NEGATE_CLASS2 '^' reads as '!'
        const negated = pCh === 0x21;
        if (negated) pCh = P(++pi);
        let prevCh = 0;
        let matched = false;
        do {
          if (pCh === 0) return WM_ABORT_ALL;
          if (pCh === 0x5c) {
            pCh = P(++pi);
            if (pCh === 0) return WM_ABORT_ALL;
            if (tCh === pCh) matched = true;
          } else if (pCh === 0x2d && prevCh !== 0 && P(pi + 1) !== 0 && P(pi + 1) !== 0x5d) {
            pCh = P(++pi);
            if (pCh === 0x5c) {
              pCh = P(++pi);
              if (pCh === 0) return WM_ABORT_ALL;
            }
            if (tCh <= pCh && tCh >= prevCh) matched = true;
            pCh = 0; // makes prevCh 0
          } else if (pCh === 0x5b && P(pi + 1) === 0x3a) {
            // "[:"
            const s = (pi += 2);
            while ((pCh = P(pi)) !== 0 && pCh !== 0x5d) pi++;
            if (pCh === 0) return WM_ABORT_ALL;
            const i = pi - s - 1;
            if (i < 0 || P(pi - 1) !== 0x3a) {
              // Didn't find ":]", so treat like a normal set.
              pi = s - 2;
              pCh = 0x5b;
              if (tCh === pCh) matched = true;
              continue;
            }
            const cls = CLASSES[new TextDecoder().decode(p.subarray(s, s + i))];
            if (!cls) return WM_ABORT_ALL; // malformed [:class:]
            if (cls(tCh)) matched = true;
            pCh = 0;
          } else if (tCh === pCh) matched = true;
        } while (((prevCh = pCh), (pCh = P(++pi)) !== 0x5d));
        if (matched === negated) return WM_NOMATCH;
        continue;
      }
    }
  }
  return T(ti) !== 0 ? WM_NOMATCH : WM_MATCH;
}

/** git's wildmatch(pattern, text, 0): true on WM_MATCH. */
export function gitWildmatch(pattern: string, text: string): boolean {
  return dowild(enc.encode(pattern), 0, enc.encode(text), 0) === WM_MATCH;
}

/** The pathspec as git keeps it after `prefix_path` at the top of the work tree (normalize_path_copy:
 * `.` and empty components dropped, `..` resolved), or why we do not evaluate it. */
export function normalizePathspec(spec: string): { match: string } | { unsupported: string } {
  if (spec.startsWith(':')) return { unsupported: 'uses pathspec magic' };
  if (spec.startsWith('/')) return { unsupported: 'is an absolute path (git refuses it outside the checkout)' };
  const parts = spec.split('/');
  const trailing = spec.endsWith('/') && spec !== '/';
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return { unsupported: 'leaves the repository (git refuses it)' };
      out.pop();
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return { match: joined && trailing ? `${joined}/` : joined };
}

/** Whether `git ls-files -- SPEC` at the repository root lists `file` (a repo-relative path). */
export function gitPathspecMatch(spec: string, file: string): PathspecResult {
  // Argo CD sends "." for an empty path (GetGitFiles), which normalises to "": every file.
  const n = normalizePathspec(spec === '' ? '.' : spec);
  if ('unsupported' in n) return n;
  const match = n.match;
  if (match === '') return { matched: true }; // the pathspec is the top: MATCHED_RECURSIVELY
  const m = enc.encode(match);
  const name = enc.encode(file);
  // A literal prefix of the path, ending at a folder boundary, matches (MATCHED_EXACTLY / RECURSIVELY).
  if (m.length <= name.length && m.every((c, i) => name[i] === c)) {
    if (m.length === name.length) return { matched: true };
    if (m[m.length - 1] === 0x2f || name[m.length] === 0x2f) return { matched: true };
  }
  let nowildcard = 0;
  while (nowildcard < m.length && !isGlobSpecial(m[nowildcard])) nowildcard++;
  if (nowildcard === m.length) return { matched: false };
  // git_fnmatch: the literal prefix must match as is, the rest through wildmatch without WM_PATHNAME.
  for (let i = 0; i < nowildcard; i++) if (m[i] !== name[i]) return { matched: false };
  return { matched: dowild(m, nowildcard, name, nowildcard) === WM_MATCH };
}
