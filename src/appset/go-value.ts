// Values as Go holds them after encoding/json (parameters are map[string]any: strings, float64 numbers,
// bools, nil, []any, map[string]any) and as fmt prints them with %v (fmt/print.go printValue), which
// fasttemplate-style param maps (utils/map.go ConvertToMapStringString), selectors
// (generator_spec_processor.go flattenParameters) and Go templates all go through.
import { isPlainObject } from '../model/object';

/** strconv.FormatFloat(f, 'g', -1, 64), which %v uses (fmt/print.go fmtFloat): shortest digits, and the
 * exponent form when the decimal exponent is < -4 or >= 6 (ftoa.go: "if precision was the shortest
 * possible, use precision 6 for this decision"): 1000000 prints as 1e+06, the Helm surprise. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // JS's shortest round-trip digits are Go's (both print the shortest string that reads back).
  const [mant, e] = f.toExponential().split('e') as [string, string];
  const exp = Number(e);
  const neg = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${neg}${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`;
  }
  if (exp < 0) return `${neg}0.${'0'.repeat(-exp - 1)}${digits}`;
  return digits.length <= exp + 1
    ? neg + digits + '0'.repeat(exp + 1 - digits.length)
    : `${neg}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** fmt.Sprintf("%v", v) for a JSON-decoded value. Maps print with sorted keys (fmt sorts map keys). */
export function goSprint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'bigint') return goFloat(Number(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (isPlainObject(v))
    return `map[${Object.keys(v)
      .sort(goStringCompare)
      .map((k) => `${k}:${goSprint(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** Go compares strings bytewise (UTF-8); JS compares UTF-16 units. They differ only for characters
 * beyond U+FFFF against U+E000..U+FFFF. */
export function goStringCompare(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** A parsed manifest value as encoding/json would hand it to Go: bigints become float64. */
export function toGoJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toGoJson);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toGoJson(x);
    return out;
  }
  return v;
}
