// Go's string and number formatting that templates reach: fmt %v/%q/%d, strconv.Quote, strings.Title,
// and encoding/json.Marshal (toJson). Values are JSON-decoded (float64 numbers) plus the template's own
// ints, which we hold as bigint.
import { isPlainObject } from '../model/object';
import { goFloat, goStringCompare } from './go-value';
import { NotEvaluable } from './limits';

/** fmt %v of a template value (undefined is the invalid reflect.Value: "<no value>" only where
 * text/template prints it; inside fmt it is "<nil>"). */
export function sprintV(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(sprintV).join(' ')}]`;
  if (isPlainObject(v))
    return `map[${Object.keys(v)
      .sort(goStringCompare)
      .map((k) => `${k}:${sprintV(v[k])}`)
      .join(' ')}]`;
  throw new NotEvaluable('a template value of an unknown type');
}

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote (fmt %q of a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINT.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp < 0xe000) throw new NotEvaluable('a lone surrogate in a quoted template value');
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** strings.Title: the first letter of each word upper-cased; a word starts after a separator (not a
 * letter, digit or underscore; any space). */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep =
      prev.codePointAt(0)! <= 0x7f
        ? !/^[A-Za-z0-9_]$/.test(prev)
        : !/^[\p{L}\p{Nd}]$/u.test(prev) && /^[\s\u0085]$/u.test(prev) && prev !== '\ufeff';
    out += sep ? goToTitle(ch) : ch;
    prev = ch;
  }
  return out;
}
function goToTitle(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

/** Go's encoding/json float64 format: 'f' unless the exponent is < -6 or >= 21, then 'e' with at least
 * two exponent digits. */
function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new GoJsonError(`json: unsupported value: ${goFloat(f)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return f.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(f);
}

export class GoJsonError extends Error {}

/** json.Marshal: map keys sorted, HTML characters and U+2028/U+2029 escaped. */
export function goJson(v: unknown, depth = 0, escapeHTML = true): string {
  if (depth > 1000) throw new GoJsonError('json: too deep');
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v, escapeHTML);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonFloat(v);
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x, depth + 1, escapeHTML)).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort(goStringCompare)
      .map((k) => `${goJsonString(k, escapeHTML)}:${goJson(v[k], depth + 1, escapeHTML)}`)
      .join(',')}}`;
  throw new NotEvaluable('toJson of a value of an unknown type');
}

export function goJsonString(s: string, escapeHTML = true): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b')
      out += '\\b'; // Go 1.22+
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) || cp === 0x2028 || cp === 0x2029)
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp < 0xe000) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** UTF-8 bytes of a string, and a byte slice back to text when it cuts no character in half. */
export const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
export function byteSlice(s: string, start: number, end?: number): string {
  const b = utf8(s);
  const cut = (i: number | undefined) => i !== undefined && i > 0 && i < b.length && (b[i]! & 0xc0) === 0x80;
  if (cut(start) || cut(end))
    throw new NotEvaluable('a template cuts a string inside a multi-byte character, which is not evaluated offline');
  return b.subarray(start, end).toString('utf8');
}
