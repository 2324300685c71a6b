// The functions of Argo CD's goTemplate (applicationset/utils/utils.go init: sprig.GenericFuncMap()
// minus env, expandenv and getHostByName, plus normalize, slugify, toYaml, fromYaml, fromYamlArray),
// with text/template's builtins (funcs.go). Each function is written after its Go source (sprig's
// strings.go, defaults.go, dict.go, list.go, regex.go, numeric.go, crypto.go; Argo CD's
// template_functions.go); a sprig function not written here is known (so not a parse error) but not
// evaluated offline.
import { createHash } from 'node:crypto';
import { nestingProblem } from '../util/yaml-depth';
import { goToLower, goToUpper, sanitizeName } from './argo-names';
import { byteSlice, goJson, goQuote, goTitle, sprintV, utf8 } from './go-text';
import { goMatch, goReplaceAll, goRegexp } from './go-regexp';
import { fromYaml, toYaml } from './go-yaml';
import { goStringCompare, setOwn } from './go-value';
import { NotEvaluable } from './limits';
import { goEmpty } from './merge-values';
import { GoCallError } from './go-template-errors';

/** How an argument reaches the Go function: its parameter type. `value` is reflect.Value (builtins:
 * an invalid value stays invalid), `any` is interface{} (invalid becomes nil). */
export type Kind = 'string' | 'int' | 'bool' | 'float' | 'any' | 'map' | 'value';

export { GoCallError };

export interface FnEnv {
  step: () => void;
}

export interface GoFunc {
  params: Kind[];
  variadic?: Kind;
  fn: (args: unknown[], env: FnEnv) => unknown;
}

const SPRIG_NAMES =
  'abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains date dateInZone dateModify date_in_zone date_modify decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound empty encryptAES ext fail first float64 floor fromJson genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get has hasKey hasPrefix hasSuffix hello htmlDate htmlDateInZone htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq mustWithout must_date_modify nindent nospace now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend quote randAlpha randAlphaNum randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset until untilStep untitle upper urlJoin urlParse uuidv4 values without wrap wrapWith'.split(
    ' ',
  );
const BUILTINS = 'and call html index slice js len not or print printf println urlquery eq ge gt le lt ne'.split(' ');
const REMOVED = new Set(['env', 'expandenv', 'getHostByName']);
const ARGO = ['normalize', 'slugify', 'toYaml', 'fromYaml', 'fromYamlArray'];

/** Whether Argo CD's template knows the name (otherwise parsing fails: `function "x" not defined`). */
export const isKnownFunc = (name: string): boolean =>
  (SPRIG_NAMES.includes(name) && !REMOVED.has(name)) || BUILTINS.includes(name) || ARGO.includes(name);

/** sprig's strval: fmt %v of anything but a string. */
export const strval = (v: unknown): string => (typeof v === 'string' ? v : sprintV(v));

/** spf13/cast ToInt64E as sprig calls it (errors become 0). */
function castInt(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63)
      throw new NotEvaluable('converting a float outside int64 to an int is not evaluated offline');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    // trimZeroDecimal, then strconv.ParseInt(s, 0, 0).
    const s = /^[^.]*\.0*$/.test(v) ? v.slice(0, v.indexOf('.')) : v;
    if (s.includes('_')) throw new NotEvaluable('an int conversion of a number with "_" is not evaluated offline');
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
    if (!m) return 0n;
    const digits = m[2]!;
    const n = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    const r = m[1] === '-' ? -n : n;
    return r > 2n ** 63n - 1n || r < -(2n ** 63n) ? 0n : r;
  }
  return 0n;
}

/** sprig's strslice (join, toStrings). */
function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every character. */
function goReplace(s: string, old: string, neu: string): string {
  if (old === '') return [...s].reduce((acc, ch) => acc + ch + neu, neu);
  return s.split(old).join(neu);
}

/** strings.Split: an empty separator splits into characters (code points). */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

// unicode.IsSpace
const SPACE_RE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
function goTrim(s: string, cutset: string): string {
  const set = new Set(cutset);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a]!)) a++;
  while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}
function goTrimSpace(s: string): string {
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && SPACE_RE.test(cps[a]!)) a++;
  while (b > a && SPACE_RE.test(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

const byteLen = (s: string) => utf8(s).length;

/** gosimple/slug Make on a name SanitizeName already reduced to [-a-z0-9.] (SlugifyName). */
function slugify(args: unknown[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((a, idx) => {
    if (idx === args.length - 1) {
      if (typeof a !== 'string') throw new GoCallError('interface conversion: interface {} is not string');
      name = a;
    } else if (idx === 0) {
      if (typeof a !== 'bigint') throw new GoCallError('interface conversion: interface {} is not int');
      maxSize = Number(a);
    } else if (idx === 1) {
      if (typeof a !== 'boolean') throw new GoCallError('interface conversion: interface {} is not bool');
      smart = a;
    }
  });
  let slug = sanitizeName(name);
  if (!smart && slug.length >= maxSize) slug = slug.slice(0, Math.max(0, maxSize));
  slug = slug.replace(/[^a-zA-Z0-9\-_]/g, '-').replace(/-+/g, '-');
  slug = slug.replace(/^[-_]+|[-_]+$/g, '');
  if (maxSize > 0 && smart && slug.length > maxSize) {
    let cut = -1;
    for (let i = maxSize; i >= 0; i--)
      if (slug[i] === '-') {
        cut = i;
        break;
      }
    slug = cut >= 0 ? slug.slice(0, cut) : slug.slice(0, maxSize);
  }
  return slug;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += sprintV(a);
  });
  return out;
}

/** fmt.Sprintf for the verbs templates use: %s %v %d %q %t %f %% with flags '-', '0' and a width
 * (and a precision for %f). Anything else is not evaluated offline. */
function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let n = 0;
  const re = /%([-0+# ]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', width, prec, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (/[+# ]/.test(flags)) throw new NotEvaluable(`printf flag ${flags} is not evaluated offline`);
    if (n >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[n++];
    let s: string;
    const typeName = () =>
      typeof a === 'string'
        ? 'string'
        : typeof a === 'bigint'
          ? 'int'
          : typeof a === 'number'
            ? 'float64'
            : typeof a === 'boolean'
              ? 'bool'
              : undefined;
    const wrong = () => {
      const t = typeName();
      if (!t) throw new NotEvaluable(`printf %${verb} of this value is not evaluated offline`);
      return `%!${verb}(${t}=${sprintV(a)})`;
    };
    switch (verb) {
      case 's':
      case 'v':
        if (prec !== undefined) throw new NotEvaluable('printf precision is not evaluated offline');
        // %s of a number or bool is a "bad verb" in Go; of nil "%!s(<nil>)".
        if (verb === 's' && a === null) s = '%!s(<nil>)';
        else if (verb === 's' && (typeof a === 'bigint' || typeof a === 'number' || typeof a === 'boolean'))
          s = wrong();
        else s = sprintV(a);
        break;
      case 'd':
        s = typeof a === 'bigint' ? a.toString() : wrong();
        break;
      case 'q':
        s = typeof a === 'string' ? goQuote(a) : wrong();
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : wrong();
        break;
      case 'f':
        s = typeof a === 'number' ? a.toFixed(prec === undefined ? 6 : Number(prec)) : wrong();
        break;
      default:
        throw new NotEvaluable(`printf verb %${verb} is not evaluated offline`);
    }
    const w = width ? Number(width) : 0;
    const len = [...s].length;
    if (len < w) {
      const pad = w - len;
      if (flags.includes('-')) s += ' '.repeat(pad);
      else if (flags.includes('0') && /[df]/.test(verb!) && !s.startsWith('%!'))
        s = s.startsWith('-') ? `-${'0'.repeat(pad)}${s.slice(1)}` : '0'.repeat(pad) + s;
      else s = ' '.repeat(pad) + s;
    }
    out += s;
  }
  out += format.slice(last);
  if (n < args.length)
    out += `%!(EXTRA ${args
      .slice(n)
      .map((a) => `${typeof a === 'string' ? 'string' : 'value'}=${sprintV(a)}`)
      .join(', ')})`;
  return out;
}

const str = (fn: (...s: string[]) => unknown, n: number): GoFunc => ({
  params: Array<Kind>(n).fill('string'),
  fn: (a) => fn(...(a as string[])),
});

export const FUNCS: Record<string, GoFunc> = {
  // text/template builtins that are not control flow (and/or/not/eq... are in the evaluator).
  print: { params: [], variadic: 'any', fn: (a) => sprint(a) },
  println: { params: [], variadic: 'any', fn: (a) => `${a.map(sprintV).join(' ')}\n` },
  printf: { params: ['string'], variadic: 'any', fn: (a) => sprintf(a[0] as string, a.slice(1)) },
  // sprig defaults.go
  default: { params: ['any'], variadic: 'any', fn: (a) => (a.length < 2 || goEmpty(a[1]) ? a[0] : a[1]) },
  empty: { params: ['any'], fn: (a) => goEmpty(a[0]) },
  coalesce: { params: [], variadic: 'any', fn: (a) => a.find((x) => !goEmpty(x)) ?? null },
  ternary: { params: ['any', 'any', 'bool'], fn: (a) => (a[2] ? a[0] : a[1]) },
  toJson: { params: ['any'], fn: (a) => goJson(a[0]) },
  mustToJson: { params: ['any'], fn: (a) => goJson(a[0]) },
  toRawJson: { params: ['any'], fn: (a) => goJson(a[0], 0, false) },
  // sprig strings.go
  lower: str(goToLower, 1),
  upper: str(goToUpper, 1),
  title: str(goTitle, 1),
  trim: str(goTrimSpace, 1),
  trimAll: str((cut, s) => goTrim(s!, cut!), 2),
  trimPrefix: str((p, s) => (s!.startsWith(p!) ? s!.slice(p!.length) : s), 2),
  trimSuffix: str((p, s) => (p !== '' && s!.endsWith(p!) ? s!.slice(0, s!.length - p!.length) : s), 2),
  replace: str((o, n, s) => goReplace(s!, o!, n!), 3),
  contains: str((sub, s) => s!.includes(sub!), 2),
  hasPrefix: str((p, s) => s!.startsWith(p!), 2),
  hasSuffix: str((p, s) => s!.endsWith(p!), 2),
  nospace: str((s) => [...s].filter((c) => !SPACE_RE.test(c)).join(''), 1),
  repeat: {
    params: ['int', 'string'],
    fn: (a) => {
      const n = a[0] as bigint;
      if (n < 0n) throw new GoCallError('strings: negative Repeat count');
      if (BigInt((a[1] as string).length) * n > 1n << 20n)
        throw new NotEvaluable('repeat yields a string too long to evaluate');
      return (a[1] as string).repeat(Number(n));
    },
  },
  trunc: {
    params: ['int', 'string'],
    fn: (a) => {
      const c = Number(a[0] as bigint);
      const s = a[1] as string;
      const len = byteLen(s);
      if (c < 0 && len + c > 0) return byteSlice(s, len + c);
      if (c >= 0 && len > c) return byteSlice(s, 0, c);
      return s;
    },
  },
  substr: {
    params: ['int', 'int', 'string'],
    fn: (a) => {
      const start = Number(a[0] as bigint);
      const end = Number(a[1] as bigint);
      const s = a[2] as string;
      const len = byteLen(s);
      const check = (lo: number, hi: number) => {
        if (lo < 0 || hi > len || lo > hi)
          throw new GoCallError(`runtime error: slice bounds out of range [${lo}:${hi}]`);
      };
      if (start < 0) {
        check(0, end);
        return byteSlice(s, 0, end);
      }
      if (end < 0 || end > len) {
        check(start, len);
        return byteSlice(s, start);
      }
      check(start, end);
      return byteSlice(s, start, end);
    },
  },
  quote: {
    params: [],
    variadic: 'any',
    fn: (a) =>
      a
        .filter((x) => x !== null)
        .map((x) => goQuote(strval(x)))
        .join(' '),
  },
  squote: {
    params: [],
    variadic: 'any',
    fn: (a) =>
      a
        .filter((x) => x !== null)
        .map((x) => `'${sprintV(x)}'`)
        .join(' '),
  },
  cat: {
    params: [],
    variadic: 'any',
    fn: (a) =>
      a
        .filter((x) => x !== null)
        .map(sprintV)
        .join(' '),
  },
  indent: {
    params: ['int', 'string'],
    fn: (a) => {
      const pad = ' '.repeat(Math.max(0, Number(a[0] as bigint)));
      return pad + (a[1] as string).split('\n').join(`\n${pad}`);
    },
  },
  nindent: {
    params: ['int', 'string'],
    fn: (a) => {
      const pad = ' '.repeat(Math.max(0, Number(a[0] as bigint)));
      return `\n${pad}${(a[1] as string).split('\n').join(`\n${pad}`)}`;
    },
  },
  toString: { params: ['any'] as Kind[], fn: (a: unknown[]) => strval(a[0]) },
  toStrings: { params: ['any'], fn: (a) => strslice(a[0]) },
  splitList: str((sep, s) => goSplit(s!, sep!), 2),
  join: { params: ['string', 'any'], fn: (a) => strslice(a[1]).join(a[0] as string) },
  b64enc: str((s) => utf8(s).toString('base64'), 1),
  b64dec: str((s) => {
    // base64.StdEncoding.DecodeString; an error is returned as the text.
    if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s))
      throw new NotEvaluable('b64dec of text that is not standard base64 is not evaluated offline');
    const b = Buffer.from(s, 'base64');
    const t = b.toString('utf8');
    if (!Buffer.from(t, 'utf8').equals(b))
      throw new NotEvaluable('b64dec of bytes that are not UTF-8 is not evaluated offline');
    return t;
  }, 1),
  sha256sum: str((s) => createHash('sha256').update(s, 'utf8').digest('hex'), 1),
  sha1sum: str((s) => createHash('sha1').update(s, 'utf8').digest('hex'), 1),
  // sprig regex.go
  regexReplaceAll: {
    params: ['string', 'string', 'string'],
    fn: (a, env) => goReplaceAll(goRegexp(a[0] as string), a[1] as string, a[2] as string, env.step),
  },
  mustRegexReplaceAll: {
    params: ['string', 'string', 'string'],
    fn: (a, env) => goReplaceAll(goRegexp(a[0] as string), a[1] as string, a[2] as string, env.step),
  },
  regexMatch: { params: ['string', 'string'], fn: (a) => goMatch(goRegexp(a[0] as string), a[1] as string) },
  // sprig numeric.go / conversion
  int: { params: ['any'], fn: (a) => castInt(a[0]) },
  int64: { params: ['any'], fn: (a) => castInt(a[0]) },
  atoi: str((s) => (/^[+-]?[0-9]+$/.test(s) ? castInt(s.replace(/^([+-]?)0+(?=\d)/, '$1')) : 0n), 1),
  add: { params: [], variadic: 'any', fn: (a) => a.reduce<bigint>((x, y) => x + castInt(y), 0n) },
  add1: { params: ['any'], fn: (a) => castInt(a[0]) + 1n },
  sub: { params: ['any', 'any'], fn: (a) => castInt(a[0]) - castInt(a[1]) },
  mul: {
    params: ['any'],
    variadic: 'any',
    fn: (a) => a.slice(1).reduce<bigint>((x, y) => x * castInt(y), castInt(a[0])),
  },
  // sprig list.go / dict.go
  list: { params: [], variadic: 'any', fn: (a) => [...a] },
  dict: {
    params: [],
    variadic: 'any',
    fn: (a) => {
      const d: Record<string, unknown> = {};
      for (let i = 0; i < a.length; i += 2) setOwn(d, strval(a[i]), i + 1 < a.length ? a[i + 1] : '');
      return d;
    },
  },
  get: {
    params: ['map', 'string'],
    fn: (a) => {
      const d = (a[0] ?? {}) as Record<string, unknown>;
      return Object.prototype.hasOwnProperty.call(d, a[1] as string) ? d[a[1] as string] : '';
    },
  },
  hasKey: { params: ['map', 'string'], fn: (a) => Object.prototype.hasOwnProperty.call(a[0] ?? {}, a[1] as string) },
  first: {
    params: ['any'],
    fn: (a) => {
      if (!Array.isArray(a[0])) throw new GoCallError('Cannot find first on type');
      return a[0].length ? a[0][0] : null;
    },
  },
  last: {
    params: ['any'],
    fn: (a) => {
      if (!Array.isArray(a[0])) throw new GoCallError('Cannot find last on type');
      return a[0].length ? a[0][a[0].length - 1] : null;
    },
  },
  sortAlpha: { params: ['any'], fn: (a) => strslice(a[0]).sort(goStringCompare) },
  // Argo CD's own (utils.go, template_functions.go)
  normalize: str(sanitizeName, 1),
  slugify: { params: [], variadic: 'any', fn: (a) => slugify(a) },
  toYaml: { params: ['any'], fn: (a) => toYaml(a[0]) },
  fromYaml: { params: ['string'], fn: (a) => fromYaml(a[0] as string, 'map') },
  fromYamlArray: { params: ['string'], fn: (a) => fromYaml(a[0] as string, 'list') },
  fromJson: {
    params: ['string'],
    fn: (a) => {
      const t = a[0] as string;
      if (t.length > 1 << 20 || nestingProblem(t)) throw new NotEvaluable('fromJson of a text too large to evaluate');
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return null; // mustFromJson's output stays nil on an error
      }
    },
  },
};
