// Go's regexp (RE2 syntax) for sprig's regexReplaceAll/regexMatch, run with JS's engine only where both
// read the pattern the same way. The pattern is translated token by token: `.` becomes "anything but
// \n" (JS's also stops at \r, U+2028, U+2029), `\s` Go's ASCII class; anything RE2 and JS read
// differently or that we do not translate (flags, \A \z, \Q, POSIX classes, \p, named groups,
// lookaround, backreferences) is not evaluated offline.
import { createContext, Script, type Context } from 'node:vm';
import { AppSetInvalid, NotEvaluable } from './limits';

const refuse = (pattern: string, what: string) =>
  new NotEvaluable(
    `the regular expression ${JSON.stringify(pattern.slice(0, 80))} uses ${what}, which is not evaluated offline`,
  );

const GO_S = '\\t\\n\\f\\r ';

export interface GoRegexp {
  re: RegExp;
  groups: number;
}

/** regexp.Compile (MustCompile panics, which text/template reports as an error). */
export function goRegexp(pattern: string): GoRegexp {
  let out = '';
  let groups = 0;
  let depth = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) throw new AppSetInvalid('error parsing regexp: trailing backslash at end of expression');
      if ('dDwWbB'.includes(e)) out += `\\${e}`;
      else if (e === 's') out += `[${GO_S}]`;
      else if (e === 'S') out += `[^${GO_S}]`;
      else if (e === '-') out += '-';
      else if ('.+*?()|[]{}^$\\/'.includes(e)) out += `\\${e}`;
      else if (e === 'n' || e === 't' || e === 'r' || e === 'f' || e === 'v') out += `\\${e}`;
      else throw refuse(pattern, `the escape \\${e}`);
      i += 2;
    } else if (c === '[') {
      // A character class: literal characters, ranges and the escapes above.
      let j = i + 1;
      let cls = '[';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      if (pattern[j] === ']') {
        cls += '\\]';
        j++;
      }
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        const d = pattern[j]!;
        if (d === '[' && pattern[j + 1] === ':') throw refuse(pattern, 'a POSIX class');
        if (d === '\\') {
          const e = pattern[j + 1];
          if (e === undefined) throw new AppSetInvalid('error parsing regexp: trailing backslash at end of expression');
          if ('dDwW'.includes(e)) cls += `\\${e}`;
          else if (e === 's') cls += GO_S;
          else if ('.+*?()|[]{}^$\\/-'.includes(e) || 'ntrfv'.includes(e)) cls += `\\${e}`;
          else throw refuse(pattern, `the escape \\${e} in a class`);
          j++;
        } else if (d === '[' || d === '/') cls += `\\${d}`;
        else cls += d;
      }
      if (j >= pattern.length) throw new AppSetInvalid('error parsing regexp: missing closing ]');
      out += `${cls}]`;
      i = j + 1;
    } else if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] === ':') {
          out += '(?:';
          i += 3;
        } else throw refuse(pattern, 'a group flag or name');
      } else {
        out += '(';
        groups++;
        i++;
      }
      depth++;
    } else if (c === ')') {
      if (depth === 0) throw new AppSetInvalid('error parsing regexp: unexpected )');
      depth--;
      out += ')';
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) throw refuse(pattern, 'a literal {');
      if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000))
        throw new AppSetInvalid('error parsing regexp: invalid repeat count');
      out += m[0];
      i += m[0].length;
    } else if (c === '.') {
      out += '[^\\n]';
      i++;
    } else if (c === '}' || c === ']' || c === '/') {
      out += `\\${c}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (depth !== 0) throw new AppSetInvalid('error parsing regexp: missing closing )');
  try {
    return { re: new RegExp(out, 'gu'), groups };
  } catch {
    throw refuse(pattern, 'syntax JS reads differently');
  }
}

/** Regexp.Expand for ReplaceAllString: $1, ${1}, $name (a name is the longest run of letters, digits
 * and _, so "$1x" is the group named "1x", which is empty), $$ is "$". */
function expand(repl: string, m: readonly string[]): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (repl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let j: number;
    if (repl[i + 1] === '{') {
      const e = repl.indexOf('}', i + 2);
      const inner = e < 0 ? '' : repl.slice(i + 2, e);
      if (e < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += c; // a malformed ${...} is copied as written
        continue;
      }
      name = inner;
      j = e + 1;
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(repl.slice(i + 1));
      if (!mm) {
        out += c;
        continue;
      }
      name = mm[0];
      j = i + 1 + name.length;
    }
    // A number is a group; a name matches nothing (named groups are refused when compiling).
    if (/^[0-9]+$/.test(name) && Number(name) < m.length) out += m[Number(name)] ?? '';
    i = j - 1;
  }
  return out;
}

// JS's regex engine backtracks (RE2 does not): a hostile pattern such as (a+)+$ can take exponential
// time. Every match runs in a vm context with a time limit, so such a pattern ends as "not evaluated".
const REGEX_TIMEOUT_MS = 250;
const MAX_MATCHES = 100_000;
// Made on first use, not at load: every safe-render process would otherwise pay for a vm context at
// start-up (the sidecar starts one per render), while few renders hold a regexReplaceAll.
let vmState: { sandbox: Context; findAll: Script } | undefined;

/** The matches of `r` in `src` (at most `max` + 1), each as [start, end, groups], under the time limit. */
function runFind(r: GoRegexp, src: string, max: number): [number, number, string[]][] {
  vmState ??= { sandbox: createContext({ job: undefined, result: undefined }), findAll: new Script(FIND_ALL_SOURCE) };
  const { sandbox, findAll } = vmState;
  sandbox.job = { source: r.re.source, flags: r.re.flags, src, max };
  try {
    findAll.runInContext(sandbox, { timeout: REGEX_TIMEOUT_MS });
  } catch {
    throw new NotEvaluable(
      `the regular expression ${JSON.stringify(r.re.source.slice(0, 80))} takes too long to evaluate offline`,
    );
  } finally {
    sandbox.job = undefined;
  }
  const found = JSON.parse(sandbox.result as string) as [number, number, string[]][];
  sandbox.result = undefined;
  return found;
}
// Go's replaceAll loop (regexp.go): where the next search starts after each match.
const FIND_ALL_SOURCE = `result = (() => {
  const { source, flags, src, max } = job;
  const re = new RegExp(source, flags);
  const found = [];
  let searchPos = 0;
  while (searchPos <= src.length && found.length <= max) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const a1 = m.index + m[0].length;
    found.push([m.index, a1, Array.from(m, (g) => (g === undefined ? '' : g))]);
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return JSON.stringify(found);
})()`;

function findAll(r: GoRegexp, src: string): [number, number, string[]][] {
  const found = runFind(r, src, MAX_MATCHES);
  if (found.length > MAX_MATCHES)
    throw new NotEvaluable('a regular expression matches too many times to evaluate offline');
  return found;
}

/** Regexp.ReplaceAllString: Go's loop (regexp.go replaceAll), where an empty match right after a
 * previous match is not replaced (JS's String.replace would). */
export function goReplaceAll(r: GoRegexp, src: string, repl: string, step: () => void): string {
  let out = '';
  let lastMatchEnd = 0;
  for (const [a0, a1, groups] of findAll(r, src)) {
    step();
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += expand(repl, groups);
    lastMatchEnd = a1;
  }
  return out + src.slice(lastMatchEnd);
}

export function goMatch(r: GoRegexp, s: string): boolean {
  return runFind(r, s, 0).length > 0;
}
