// How Argo CD reads a plugin's stdout (argocd-cmp-contract.md §3e), in its three stages:
//   1. the sidecar: kube.SplitYAMLToString over apimachinery's YAMLOrJSONDecoder (JSON stream when
//      the first non-space byte is `{`, with the fall-back to YAML; else `---`-separated YAML docs);
//   2. the repo-server: kube.SplitYAML, i.e. sigs.k8s.io/yaml into an Unstructured, which needs a
//      JSON object with a non-empty `kind`;
//   3. GenerateManifests: any object whose `items` is an array is a List and is flattened; a List
//      with `items: null` and no spec/status is dropped.
// Error texts are Argo CD's. Offsets in JSON syntax errors are approximate (byte of the offending
// character); everything else is meant to be exact.
import { parseAllDocuments, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { goJsonMarshal, goIsSpace, goQuote, goTrimSpace, jsonTypeName } from './go';

// ---------------------------------------------------------------------------------------------
// encoding/json's scanner, enough to find where one value of a stream ends and to fail like Go.

class JsonSyntaxError extends Error {
  constructor(
    msg: string,
    readonly offset: number,
  ) {
    super(msg);
  }
}
class JsonUnexpectedEof extends Error {
  constructor() {
    super('unexpected EOF');
  }
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  return `'${goQuote(c).slice(1, -1)}'`;
}

const isJsonWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipJsonWs(s: string, i: number): number {
  while (i < s.length && isJsonWs(s[i])) i++;
  return i;
}

function byteOffset(s: string, i: number): number {
  return Buffer.byteLength(s.slice(0, i + 1));
}

function fail(s: string, i: number, context: string): never {
  if (i >= s.length) throw new JsonUnexpectedEof();
  const c = String.fromCodePoint(s.codePointAt(i)!);
  throw new JsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`, byteOffset(s, i));
}

function scanString(s: string, i: number): number {
  i++; // opening quote
  for (;;) {
    if (i >= s.length) throw new JsonUnexpectedEof();
    const c = s[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') {
      const e = s[i + 1];
      if (e === undefined) throw new JsonUnexpectedEof();
      if ('"\\/bfnrt'.includes(e)) i += 2;
      else if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          if (i + k >= s.length) throw new JsonUnexpectedEof();
          if (!/[0-9a-fA-F]/.test(s[i + k]!)) fail(s, i + k, 'in \\u hexadecimal character escape');
        }
        i += 6;
      } else fail(s, i + 1, 'in string escape code');
      continue;
    }
    if (c < ' ') fail(s, i, 'in string literal');
    i++;
  }
}

function scanNumber(s: string, i: number): number {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  if (s[i] === '-') {
    i++;
    if (!digit(s[i])) fail(s, i, 'in numeric literal');
  }
  if (s[i] === '0') i++;
  else while (digit(s[i])) i++;
  if (s[i] === '.') {
    i++;
    if (!digit(s[i])) fail(s, i, 'after decimal point in numeric literal');
    while (digit(s[i])) i++;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (!digit(s[i])) fail(s, i, 'in exponent of numeric literal');
    while (digit(s[i])) i++;
  }
  return i;
}

function scanLiteral(s: string, i: number, word: string): number {
  for (let k = 1; k < word.length; k++) {
    if (i + k >= s.length) throw new JsonUnexpectedEof();
    if (s[i + k] !== word[k]) fail(s, i + k, `in literal ${word} (expecting ${quoteChar(word[k]!)})`);
  }
  return i + word.length;
}

/** The end of the JSON value starting at `i` (after whitespace). */
function scanValue(s: string, i: number): number {
  i = skipJsonWs(s, i);
  if (i >= s.length) throw new JsonUnexpectedEof();
  const c = s[i]!;
  if (c === '{') {
    i = skipJsonWs(s, i + 1);
    if (s[i] === '}') return i + 1;
    for (;;) {
      if (s[i] !== '"') fail(s, i, 'looking for beginning of object key string');
      i = skipJsonWs(s, scanString(s, i));
      if (s[i] !== ':') fail(s, i, 'after object key');
      i = skipJsonWs(s, scanValue(s, i + 1));
      if (s[i] === ',') {
        i = skipJsonWs(s, i + 1);
        continue;
      }
      if (s[i] === '}') return i + 1;
      fail(s, i, 'after object key:value pair');
    }
  }
  if (c === '[') {
    i = skipJsonWs(s, i + 1);
    if (s[i] === ']') return i + 1;
    for (;;) {
      i = skipJsonWs(s, scanValue(s, i));
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === ']') return i + 1;
      fail(s, i, 'after array element');
    }
  }
  if (c === '"') return scanString(s, i);
  if (c === '-' || (c >= '0' && c <= '9')) return scanNumber(s, i);
  if (c === 't') return scanLiteral(s, i, 'true');
  if (c === 'f') return scanLiteral(s, i, 'false');
  if (c === 'n') return scanLiteral(s, i, 'null');
  return fail(s, i, 'looking for beginning of value');
}

// ---------------------------------------------------------------------------------------------
// YAML as sigs.k8s.io/yaml (go-yaml v2) reads it. Plain scalars are typed by go-yaml v2's resolve():
// a table of YAML 1.1 booleans and nulls, then (for a scalar starting with a digit or a sign) Go's
// own number syntax with every `_` removed: strconv.ParseInt/ParseUint base 0 (so 0o17, 0X1F and
// 0b1 are numbers), else yamlStyleFloat + ParseFloat (1e3, 0999); a scalar starting with `.` is a
// float only if ParseFloat takes it. Timestamps stay text when decoded into interface{}, as does
// anything else. Merge keys work; duplicate keys are allowed (non-strict Unmarshal: last wins).
// Not modelled: go-yaml treats U+0085, U+2028 and U+2029 as line breaks.

const V2_MAP: Record<string, boolean | null> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) V2_MAP[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) V2_MAP[s] = false;
for (const s of ['', '~', 'null', 'Null', 'NULL']) V2_MAP[s] = null;
const V2_SPECIAL_FLOATS: Record<string, number> = {};
for (const s of ['.nan', '.NaN', '.NAN']) V2_SPECIAL_FLOATS[s] = NaN;
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) V2_SPECIAL_FLOATS[s] = Infinity;
for (const s of ['-.inf', '-.Inf', '-.INF']) V2_SPECIAL_FLOATS[s] = -Infinity;

/** strconv.ParseInt(s, 0, 64) (signed) or ParseUint(s, 0, 64), on a string without underscores. */
function goParseIntBase0(s: string, signed: boolean): bigint | undefined {
  let t = s;
  let neg = false;
  if (signed && (t[0] === '+' || t[0] === '-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let base = 10;
  if (t.length > 1 && t[0] === '0') {
    const p = t[1]!.toLowerCase();
    base = p === 'x' ? 16 : p === 'b' ? 2 : 8;
    t = t.slice(p === 'x' || p === 'o' || p === 'b' ? 2 : 1);
  }
  if (t === '') return undefined;
  let v = 0n;
  for (const c of t.toLowerCase()) {
    const d = '0123456789abcdef'.indexOf(c);
    if (d < 0 || d >= base) return undefined;
    v = v * BigInt(base) + BigInt(d);
  }
  if (neg) v = -v;
  if (signed ? v < -(2n ** 63n) || v > 2n ** 63n - 1n : v > 2n ** 64n - 1n) return undefined;
  return v;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2's resolve() for an untagged plain scalar, as decoded into interface{}. */
export function goYamlV2Plain(src: string): unknown {
  const hint =
    src === ''
      ? 'N'
      : '+-'.includes(src[0]!)
        ? 'S'
        : '0123456789'.includes(src[0]!)
          ? 'D'
          : 'yYnNtTfFoO~'.includes(src[0]!)
            ? 'M'
            : src[0] === '.'
              ? '.'
              : '';
  if (hint === '') return src;
  if (src in V2_MAP) return V2_MAP[src];
  if (src in V2_SPECIAL_FLOATS) return V2_SPECIAL_FLOATS[src];
  if (hint === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(src) ? Number(src) : src;
  if (hint === 'D' || hint === 'S') {
    const plain = src.replaceAll('_', '');
    const int = goParseIntBase0(plain, true) ?? goParseIntBase0(plain, false);
    if (int !== undefined)
      return int >= BigInt(Number.MIN_SAFE_INTEGER) && int <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(int) : int;
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return Number(plain);
  }
  return src;
}

type Tags = Exclude<SchemaOptions['customTags'], undefined | null>;
const REPLACED = new Set(['null', 'bool', 'int', 'float', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));
const GO_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  merge: true,
  customTags: ((tags: Array<{ tag?: string }>) => [
    ...tags.filter((t) => !REPLACED.has(t.tag ?? '')),
    {
      tag: 'tag:go-yaml.v2,2002:plain',
      default: true,
      test: /^[\s\S]*$/,
      resolve: goYamlV2Plain,
      identify: () => false,
    },
  ]) as unknown as Tags,
};

/** yaml.YAMLToJSON's value for one document chunk (the first document in it, as go-yaml reads). */
export function yamlToValue(text: string): unknown {
  const doc = parseAllDocuments(text, GO_YAML);
  const first = Array.isArray(doc) ? doc[0] : undefined;
  if (!first) return null;
  const err = first.errors[0];
  if (err) throw new Error(`yaml: ${err.message.split('\n')[0]}`);
  return first.toJS({ maxAliasCount: 100 }) ?? null;
}

/** YAMLToJSON: the compact JSON go-yaml + encoding/json produce (keys sorted, HTML escaped). */
function yamlToJson(text: string): string {
  let value: unknown;
  try {
    value = yamlToValue(text);
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  try {
    return goJsonMarshal(value);
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

/** apimachinery's YAMLReader over LineReader: one document per call, split on `---` lines. */
class YamlReader {
  constructor(
    private readonly s: string,
    private pos: number,
  ) {}

  /** bufio.ReadLine + '\n': the line without "\n" or "\r\n", then a '\n'; at EOF "\n" and eof. */
  private readLine(): { line: string; eof: boolean } {
    if (this.pos >= this.s.length) return { line: '\n', eof: true };
    const k = this.s.indexOf('\n', this.pos);
    let line: string;
    if (k < 0) {
      line = this.s.slice(this.pos);
      this.pos = this.s.length;
    } else {
      line = this.s.slice(this.pos, k);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.pos = k + 1;
    }
    return { line: `${line}\n`, eof: false };
  }

  read(): string | null {
    let buffer = '';
    for (;;) {
      const { line, eof } = this.readLine();
      if (line.startsWith('---')) {
        const trimmed = goTrimSpace(line.slice(3));
        // Only a comment or spaces may follow the document separator.
        if (trimmed.length > 0 && trimmed[0] !== '#') throw new Error(`invalid Yaml document separator: ${trimmed}`);
        if (buffer.length) return buffer;
        if (eof) return null;
      }
      if (eof) return buffer.length ? buffer : null;
      buffer += line;
    }
  }
}

/** YAMLOrJSONDecoder decoding into runtime.RawExtension: returns the raw JSON of the next
 * document ("" for a null document), null at EOF; throws with Go's message. */
class YamlOrJsonDecoder {
  private mode: 'json' | 'yaml' | 'none';
  private pos = 0;
  private count = 0;
  private yaml: YamlReader | undefined;

  constructor(private readonly s: string) {
    // GuessJSONStream peeks 4096 bytes and looks for `{` after unicode.IsSpace characters.
    const peek = Buffer.from(s).subarray(0, 4096).toString('utf8');
    const mightBeJson = [...peek].find((ch) => !goIsSpace(ch)) === '{';
    this.mode = mightBeJson ? 'json' : 'yaml';
    if (!mightBeJson) this.yaml = new YamlReader(s, 0);
  }

  /** consumeWhitespace: skip unicode spaces up to and including the first newline. */
  private consumeWhitespace(from: number): number | null {
    let i = from;
    while (i < this.s.length) {
      const ch = String.fromCodePoint(this.s.codePointAt(i)!);
      if (ch === '\ufffd') return null; // utf8.RuneError: "invalid utf8 rune"
      if (!goIsSpace(ch)) return i;
      i += ch.length;
      if (ch === '\n') return i;
    }
    return null; // io.EOF
  }

  decode(): string | null {
    let firstErr: Error | undefined;
    if (this.mode === 'json') {
      const start = skipJsonWs(this.s, this.pos);
      if (start >= this.s.length) return null;
      try {
        const end = scanValue(this.s, start);
        this.pos = end;
        this.count++;
        return this.s.slice(start, end);
      } catch (e) {
        const err = e as Error;
        firstErr = err instanceof JsonSyntaxError ? new Error(`json: offset ${err.offset}: ${err.message}`) : err;
        // More than one JSON object decoded: an unambiguous JSON stream, no switch to YAML.
        if (this.count > 1) throw err;
        const yamlStart = this.consumeWhitespace(this.pos);
        this.mode = 'none';
        if (yamlStart !== null) {
          this.mode = 'yaml';
          this.yaml = new YamlReader(this.s, yamlStart);
        }
      }
    }
    if (this.mode === 'yaml') {
      let doc: string | null;
      try {
        doc = this.yaml!.read();
        if (doc === null) return null;
        doc = doc.length ? yamlToJson(doc) : '';
      } catch (e) {
        throw firstErr ?? e;
      }
      this.count++;
      return doc === 'null' ? '' : doc;
    }
    throw firstErr ?? new Error('decoding failed as both JSON and YAML');
  }
}

/** Stage 1, kube.SplitYAMLToString: the documents as JSON strings; empty and null ones dropped. */
export function splitYamlToString(data: string): { docs: string[]; error?: string } {
  const docs: string[] = [];
  const dec = new YamlOrJsonDecoder(data);
  for (;;) {
    let raw: string | null;
    try {
      raw = dec.decode();
    } catch (e) {
      return { docs, error: `failed to unmarshal manifest: ${(e as Error).message}` };
    }
    if (raw === null) return { docs };
    const t = goTrimSpace(raw);
    if (t === '' || t === 'null') continue;
    docs.push(t);
  }
}

export type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Stage 2, kube.SplitYAML on one stage-1 string: sigs.k8s.io/yaml into an Unstructured. */
export function toUnstructured(manifest: string): JsonObject[] {
  const split = splitYamlToString(manifest);
  if (split.error) throw new Error(split.error);
  const out: JsonObject[] = [];
  for (const yml of split.docs) {
    let value: unknown;
    try {
      value = yamlToValue(yml);
    } catch (e) {
      throw new Error(`failed to unmarshal manifest: error converting YAML to JSON: ${(e as Error).message}`);
    }
    const json = goJsonMarshal(value);
    const prefix = 'failed to unmarshal manifest: error unmarshaling JSON: while decoding JSON: ';
    if (!isObject(value))
      throw new Error(
        `${prefix}json: cannot unmarshal ${jsonTypeName(value)} into Go value of type map[string]interface {}`,
      );
    if (typeof value.kind !== 'string' || value.kind === '')
      throw new Error(`${prefix}Object 'Kind' is missing in '${json}'`);
    out.push(value);
  }
  return out;
}

/** Stage 3, GenerateManifests: Lists flattened, `items: null` Lists without spec/status dropped. */
export function flattenLists(objs: readonly JsonObject[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const o of objs) {
    if (Array.isArray(o.items)) {
      for (const item of o.items) {
        if (!isObject(item)) throw new Error('items member is not an object: map[string]interface {}');
        out.push(item);
      }
    } else if ('items' in o && o.items === null && !('spec' in o) && !('status' in o)) {
      continue;
    } else out.push(o);
  }
  return out;
}

/** All three stages on a command's stdout (after runCommand trimmed one trailing "\n"). */
export function parsePluginOutput(output: string): { manifests: string[]; objects: JsonObject[]; error?: string } {
  const stage1 = splitYamlToString(output);
  if (stage1.error) return { manifests: stage1.docs, objects: [], error: stage1.error };
  const unstructured: JsonObject[] = [];
  try {
    for (const m of stage1.docs) unstructured.push(...toUnstructured(m));
  } catch (e) {
    return {
      manifests: stage1.docs,
      objects: [],
      error: `failed to convert CMP manifests to unstructured objects: ${(e as Error).message}`,
    };
  }
  try {
    return { manifests: stage1.docs, objects: flattenLists(unstructured) };
  } catch (e) {
    return { manifests: stage1.docs, objects: [], error: (e as Error).message };
  }
}

// ---------------------------------------------------------------------------------------------
// ParameterAnnouncement as encoding/json decodes it (reposerver/repository/repository.proto): field
// names match case-insensitively, unknown keys are ignored, JSON null leaves the zero value, and a
// value of the wrong type is an error.

export interface ParameterAnnouncement {
  name?: string;
  title?: string;
  tooltip?: string;
  required?: boolean;
  itemType?: string;
  collectionType?: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

const ANNOUNCEMENT_FIELDS: Record<string, 'string' | 'bool' | '[]string' | 'map[string]string'> = {
  name: 'string',
  title: 'string',
  tooltip: 'string',
  required: 'bool',
  itemType: 'string',
  collectionType: 'string',
  string: 'string',
  array: '[]string',
  map: 'map[string]string',
};

/** The struct field a JSON key sets: an exact match first, else a case-insensitive one. */
export function goFieldFor(key: string, fields: readonly string[]): string | undefined {
  return fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
}

function typeError(v: unknown, field: string, goType: string, struct = 'ParameterAnnouncement'): Error {
  return new Error(
    `json: cannot unmarshal ${jsonTypeName(v)} into Go struct field ${struct}.${field} of type ${goType}`,
  );
}

/** One element, decoded strictly; `where` prefixes errors that are not Go's own. */
export function decodeAnnouncement(v: unknown): ParameterAnnouncement {
  if (!isObject(v))
    throw new Error(`json: cannot unmarshal ${jsonTypeName(v)} into Go value of type apiclient.ParameterAnnouncement`);
  const out: ParameterAnnouncement = {};
  const fields = Object.keys(ANNOUNCEMENT_FIELDS);
  for (const [key, value] of Object.entries(v)) {
    const field = goFieldFor(key, fields) as keyof ParameterAnnouncement | undefined;
    if (!field || value === null) continue;
    const goType = ANNOUNCEMENT_FIELDS[field]!;
    if (goType === 'string') {
      if (typeof value !== 'string') throw typeError(value, field, goType);
      (out as Record<string, unknown>)[field] = value;
    } else if (goType === 'bool') {
      if (typeof value !== 'boolean') throw typeError(value, field, goType);
      out.required = value;
    } else if (goType === '[]string') {
      if (!Array.isArray(value)) throw typeError(value, field, goType);
      out.array = value.map((item) => {
        if (item !== null && typeof item !== 'string') throw typeError(item, field, 'string');
        return item ?? '';
      });
    } else {
      if (!isObject(value)) throw typeError(value, field, goType);
      out.map = Object.fromEntries(
        Object.entries(value).map(([k, item]) => {
          if (item !== null && typeof item !== 'string') throw typeError(item, field, 'string');
          return [k, item ?? ''];
        }),
      );
    }
  }
  return out;
}

/** json.Unmarshal(stdout, &[]*ParameterAnnouncement). `null` is no announcements; an empty output
 * is "unexpected end of JSON input". A null element would be a nil pointer that the gRPC response
 * cannot carry, so it is refused too. */
export function decodeAnnouncements(stdout: string): ParameterAnnouncement[] {
  if (stdout.trim() === '') throw new Error('unexpected end of JSON input');
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch (e) {
    throw new Error(`invalid JSON: ${(e as Error).message}`);
  }
  if (data === null) return [];
  if (!Array.isArray(data))
    throw new Error(
      `json: cannot unmarshal ${jsonTypeName(data)} into Go value of type []*apiclient.ParameterAnnouncement`,
    );
  return data.map((el, i) => {
    if (el === null) throw new Error(`element ${i} is null: a nil *ParameterAnnouncement cannot be sent over gRPC`);
    return decodeAnnouncement(el);
  });
}
