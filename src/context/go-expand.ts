// Argo CD's interpolation of plugin env values (contract §3b, `Env.Envsubst` in argo-cd
// pkg/apis/application/v1alpha1/types.go): Go's os.Expand against the build variables only, unknown
// names giving "" and `$$` giving `$`. Written again here rather than imported from the test harness
// (test/harness/go.ts), which must stay independent of the program it checks; the parity test in
// test/ci.test.ts holds the two together.

/** isShellSpecialVar (Go os/env.go). */
function isShellSpecialVar(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && '*#$@!?-0123456789'.includes(c);
}

/** isAlphaNum (Go os/env.go): ASCII letter, digit or underscore. */
function isAlphaNum(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_]$/.test(c);
}

/** getShellName (Go os/env.go): the name after a `$` and how many characters it takes (every
 * character that matters is ASCII, so UTF-16 indexes give Go's byte answer). */
function getShellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecialVar(s[1]) && s[2] === '}') return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1]; // "${}" is eaten
    }
    return ['', 1]; // bad syntax: "${" is eaten
  }
  if (isShellSpecialVar(s[0])) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}

/** Go's os.Expand. */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let buf: string | null = null;
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      buf ??= '';
      buf += s.slice(i, j);
      const [name, w] = getShellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // invalid syntax: the characters are eaten
      } else if (name === '')
        buf += s[j]; // `$` not followed by a name stays
      else buf += mapping(name);
      j += w;
      i = j + 1;
    }
  }
  return buf === null ? s : buf + s.slice(i);
}

/** Env.Envsubst: os.Expand against `vars` only (the last of a name wins); `$$` is `$`, unknown is "". */
export function envsubst(s: string, vars: ReadonlyArray<readonly [string, string]>): string {
  const byName = new Map<string, string>();
  for (const [k, v] of vars) byName.set(k, v);
  return goExpand(s, (name) => (name === '$' ? '$' : (byName.get(name) ?? '')));
}
