// Small pieces of Go's standard library that Argo CD's behaviour depends on, reimplemented exactly
// enough for the harness: os.Expand (with getShellName), strconv.Quote, unicode.IsSpace,
// filepath.Clean, encoding/json's Marshal of plain values (sorted keys, HTML escaping), and the
// text of an exec.ExitError. Deliberately independent of src/: the harness must not share code
// with the program it checks.

/** isShellSpecialVar from Go's os/env.go. */
function isShellSpecialVar(c: string | undefined): boolean {
  return c !== undefined && '*#$@!?-0123456789'.includes(c) && c.length === 1;
}

/** isAlphaNum from Go's os/env.go: ASCII letter, digit or underscore. */
function isAlphaNum(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_]$/.test(c);
}

/** getShellName from Go's os/env.go, line for line: the name after a `$` and how many bytes it
 * takes (every byte that matters is ASCII, so UTF-16 indexes give the same answer). */
export function getShellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecialVar(s[1]) && s[2] === '}') return [s.slice(1, 2), 3];
    // Scan to closing brace.
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') {
        if (i === 1) return ['', 2]; // Bad syntax; eat "${}"
        return [s.slice(1, i), i + 1];
      }
    }
    return ['', 1]; // Bad syntax; eat "${"
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
        // Invalid syntax: the characters are eaten.
      } else if (name === '') {
        // Valid syntax, but $ was not followed by a name: keep the dollar.
        buf += s[j];
      } else {
        buf += mapping(name);
      }
      j += w;
      i = j + 1;
    }
  }
  return buf === null ? s : buf + s.slice(i);
}

/** Argo CD's Env.Envsubst: os.Expand against `vars` only; `$$` gives `$`, unknown names give "". */
export function envsubst(s: string, vars: ReadonlyArray<readonly [string, string]>): string {
  const byName = new Map<string, string>();
  for (const [k, v] of vars) byName.set(k, v);
  return goExpand(s, (name) => (name === '$' ? '$' : (byName.get(name) ?? '')));
}

/** unicode.IsSpace: exactly the Unicode White_Space property. */
export function goIsSpace(ch: string): boolean {
  return /^\p{White_Space}$/u.test(ch);
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function goIsPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** strconv.Quote. A lone surrogate reaches a Go process as U+FFFD, so it is quoted as one. */
export function goQuote(s: string): string {
  let out = '"';
  for (let ch of s) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      ch = '\ufffd';
      cp = 0xfffd;
    }
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (goIsPrint(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** argoexec.GetCommandArgsToLog: the argv as it appears in Argo CD's error messages. */
export function commandArgsToLog(argv: readonly string[]): string {
  return argv.map((a) => (a === '' ? '""' : [...a].some(goIsSpace) ? goQuote(a) : a)).join(' ');
}

/** filepath.Clean on Unix paths. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** Order of Go strings (bytes of UTF-8), which is code point order. */
export function compareGoStrings(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

/** A JSON string as encoding/json writes it: HTML-sensitive characters and U+2028/9 escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.Marshal of a value decoded into interface{}: object keys sorted, compact. */
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return goJsonString(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v))
        throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      return String(v);
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort(compareGoStrings)
    .map((k) => `${goJsonString(k)}:${goJsonMarshal(o[k])}`)
    .join(',')}}`;
}

/** The JSON type name encoding/json uses in "cannot unmarshal X into ..." errors. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v; // string, number
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
};

/** os.ProcessState.String(): `exit status N` or `signal: killed`. */
export function exitStatusText(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_TEXT[signal] ?? signal}`;
  return `exit status ${code}`;
}
