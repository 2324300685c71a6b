/** JSON with object keys sorted: the same value always gives the same bytes. */
export function canonicalJson(v: unknown): string {
  // Integers beyond 2^53 are bigints (util/k8s-yaml.ts), written with every digit.
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DEPTH = 512;

/** Reads JSON the way canonicalJson wrote it, so that canonicalJson(parseJsonExact(canonicalJson(v)))
 * is canonicalJson(v) for every value a render holds (issue 9 §1): an integer written without fraction
 * or exponent that a JS number cannot hold and that fits int64 is a bigint, as the render held it
 * (parse/k8s-yaml.ts). JSON.parse rounded it (9007199254740993 came back as ...992), so a lock read
 * back looked changed when it was not, and a change by one in the last digits was not seen. The text
 * is validated by JSON.parse first (strict syntax, its error); only text with a long digit run is
 * read again here. Throws on malformed input or nesting deeper than MAX_DEPTH. */
export function parseJsonExact(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  if (!/[0-9]{16}/.test(text)) return plain;
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new SyntaxError(`unexpected JSON at ${i}`);
    i = re.lastIndex;
    return m[0];
  };
  const STRING = /"(?:[^"\\]|\\.)*"/y;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const LITERAL = /true|false|null/y;
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new SyntaxError('JSON nested too deeply');
    ws();
    const c = text[i];
    if (c === '"') return JSON.parse(token(STRING)) as string;
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') return (i++, out);
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') return (i++, out);
      for (;;) {
        ws();
        const k = JSON.parse(token(STRING)) as string;
        ws();
        i++; // ':'
        // defineProperty: a key "__proto__" is an own property, as JSON.parse makes it, not the prototype.
        Object.defineProperty(out, k, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === 't' || c === 'f' || c === 'n') return JSON.parse(token(LITERAL)) as unknown;
    const n = token(NUMBER);
    const num = Number(n);
    if (Number.isSafeInteger(num) || !/^-?[0-9]+$/.test(n)) return num;
    const big = BigInt(n);
    return big >= INT64_MIN && big <= INT64_MAX ? big : num;
  };
  return value(0);
}
