// A reader for the YAML that manifests are almost always written in (issue 13, Speed: the `yaml`
// package's parse alone took twice kubernetes-split-yaml's whole run). It reads block mappings and
// sequences, plain scalars (over several lines too), single- and double-quoted scalars (also over
// several lines), `|`, `|-`, `>` and `>-` block scalars, and flow collections written on one line, and
// gives exactly the value the `yaml` package gives with K8S_MANIFEST_YAML: plain scalars are resolved
// by that schema's own tags (src/util/k8s-yaml.ts), quoted and block scalars by ports of its own
// functions, and objects are built as its toJS builds them.
//
// It declines (returns undefined) the whole file at the first thing it is not certain of: anchors,
// aliases, tags, directives, `...`, `|+` and indentation indicators, folded scalars with more-indented
// lines, flow collections over several lines, tabs, control characters, merge keys, keys that are not
// strings, duplicate keys, anything that is an error. parse-manifests.ts then reads the file with the
// `yaml` package, so every refusal, message and bound stays where it was; this reader never refuses
// anything. What it accepts it must read as `yaml` does: fast-read.test.ts checks that by property over
// generated manifests and their variations, and test-corpus checks every corpus file.
import { Document, isScalar, type CollectionTag, type ScalarTag } from 'yaml';
import { K8S_MANIFEST_YAML } from '../util/k8s-yaml';
import { markerOf } from './document-texts';

export interface FastDoc {
  /** A document's value: always a mapping (any other document is declined). */
  value: Record<string, unknown>;
  /** 1-based line of its first key (where the `yaml` package's node starts). */
  line: number;
  /** For a top-level `items` block sequence: the 1-based line where each item's node starts. */
  itemLines?: number[];
  /** Its syntax pieces, counted at least as high as boundedTokens counts them. */
  pieces: number;
}

/** Deeper than this, the `yaml` path measures the nesting (MAX_NESTING_DEPTH is far above). */
const MAX_DEPTH = 64;
/** YAML's limit on an implicit key, which the `yaml` package enforces. */
const MAX_KEY_CHARS = 1000;

/** Characters this reader leaves to the `yaml` package: tabs, CR, C0/C1 controls, DEL, BOM, the
 * Unicode line separators and surrogates (YAML 1.1 reads some of them as line breaks). */
const DECLINED_CHARS = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]/;

/** Thrown (one object, made once) to leave the file to the `yaml` package. */
const declined = Object.freeze({ declined: true });
function decline(): never {
  throw declined;
}

// The schema's own tags, in its order: a plain scalar gets the first default tag whose test accepts it
// (the `yaml` package's findScalarTagByTest), else it is a string. Built on first use, not at start-up
// (every command loads this module).
interface PlainSchema {
  plainTags: ScalarTag[];
  options: Document['options'];
  /** Whether the tags are the ones SURELY_STRING was worked out from. */
  known: boolean;
}
let schema: PlainSchema | undefined;

/** The tags K8S_MANIFEST_YAML resolves plain scalars with, by the pattern each accepts (src/util/
 * k8s-yaml.ts: YAML 1.1's null and booleans; go-yaml's numbers and .inf/.nan). None accepts a text
 * whose first character is outside `~ N n Y y T t O o F f + - .` and the digits, nor the empty text
 * through anything but null. */
const KNOWN_TESTS = [
  'tag:yaml.org,2002:null /^(?:~|[Nn]ull|NULL)?$/',
  'tag:yaml.org,2002:bool /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/',
  'tag:yaml.org,2002:bool /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/',
  'tag:yaml.org,2002:int go',
  'tag:yaml.org,2002:float go',
  'tag:yaml.org,2002:float /^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/',
];
const MAYBE_NOT_STRING = new Set([...'~NnYyTtOoFf+-.0123456789'].map((c) => c.charCodeAt(0)));

function plainSchema(): PlainSchema {
  if (schema) return schema;
  const doc = new Document(null, K8S_MANIFEST_YAML);
  const plainTags = (doc.schema.tags as (ScalarTag | CollectionTag)[]).filter(
    (t): t is ScalarTag => t.default === true && !t.collection && t.test !== undefined,
  );
  // k8s-yaml's number tags test with a function (SyntaxTest, whose pattern source is `(?!)`).
  const tests = plainTags.map((t) => `${t.tag} ${t.test!.source === '(?!)' ? 'go' : String(t.test)}`);
  const known = tests.length === KNOWN_TESTS.length && tests.every((t, i) => t === KNOWN_TESTS[i]);
  return (schema = { plainTags, options: doc.options, known });
}

/** Most plain scalars of a manifest are names and words: text that no tag but the string's accepts,
 * told by the first character (KNOWN_TESTS), without a cache lookup or a test per tag (they were a
 * third of the read at 50k objects). Should the schema ever differ, every scalar goes through the tags. */
function surelyString(s: string): boolean {
  return s.length > 0 && !MAYBE_NOT_STRING.has(s.charCodeAt(0)) && plainSchema().known;
}

const resolved = new Map<string, unknown>();
function resolvePlain(s: string): unknown {
  if (surelyString(s)) return s;
  const hit = resolved.get(s);
  if (hit !== undefined || resolved.has(s)) return hit;
  let v: unknown = s;
  const { plainTags, options } = plainSchema();
  const tag = plainTags.find((t) => t.test!.test(s));
  if (tag) {
    let failed = false;
    const r = tag.resolve(
      s,
      () => {
        failed = true;
      },
      options,
    );
    if (failed) decline();
    v = isScalar(r) ? r.value : r;
    // NaN and the infinities are refused by parse-manifests: its own message.
    if (typeof v === 'number' && !Number.isFinite(v)) decline();
    if (typeof v === 'object' && v !== null) decline();
  }
  if (resolved.size > 50_000) resolved.clear();
  resolved.set(s, v);
  return v;
}

const SPACE = 32;

// YAML's white space here is the space alone (tabs decline): String's trim would also take U+00A0 and
// the other Unicode spaces, which are content in YAML.
function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === SPACE) e--;
  return e === s.length ? s : s.slice(0, e);
}
function trimStart(s: string): string {
  let b = 0;
  while (s.charCodeAt(b) === SPACE) b++;
  return b === 0 ? s : s.slice(b);
}
const HASH = 35;

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

/** A line of only spaces, or a comment after its indentation. */
function isBlankOrComment(line: string): boolean {
  const c = line.charCodeAt(indentOf(line));
  return Number.isNaN(c) || c === HASH;
}

/** `-` followed by a space or the end of the line, at column `col`. */
function isSeqEntry(line: string, col: number): boolean {
  return line.charCodeAt(col) === 45 /* - */ && (col + 1 === line.length || line.charCodeAt(col + 1) === SPACE);
}

/** Whether only spaces, and then nothing or a comment, follow `col`. */
function restIsEmpty(line: string, col: number): boolean {
  let c = col;
  while (line.charCodeAt(c) === SPACE) c++;
  if (c === line.length) return true;
  return line.charCodeAt(c) === HASH && c > col;
}

/** First characters a plain scalar may not start with here (YAML's indicators, plus `%`, `@` and the
 * backquote, which are reserved or directives). `-`, `?` and `:` are handled apart. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

interface Quoted {
  value: string;
  /** The column after the closing quote. */
  end: number;
}

// The `yaml` package's resolve-flow-scalar.ts, for the characters this reader accepts (no tab, no CR).

/** Its unfoldLines: a single-quoted scalar's lines, each trimmed, joined with a space; each empty line
 * between two a line break. */
function unfoldLines(source: string): string {
  const lines = source.split('\n');
  if (lines.length === 1) return source;
  let res = trimEnd(lines[0]!);
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const lm = trimStart(trimEnd(lines[i]!));
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
  }
  return res + sep + trimStart(lines[lines.length - 1]!);
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** Its doubleQuotedValue, `source` with both quotes; an escape it would report declines. */
function doubleQuotedValue(source: string): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === '\n') {
      // foldNewline: one break is a space, N breaks are N - 1 breaks; the next line's indentation goes.
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\n') {
        if (next === '\n') fold += '\n';
        i++;
        next = source[i + 1];
      }
      res += fold || ' ';
    } else if (ch === '\\') {
      let next = source[++i]!;
      const cc = ESCAPES[next];
      if (cc !== undefined) res += cc;
      else if (next === '\n') {
        // An escaped line break: nothing, and the next line's indentation goes.
        next = source[i + 1]!;
        while (next === ' ') next = source[++i + 1]!;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) decline();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) decline();
        res += String.fromCodePoint(code);
        i += length;
      } else decline();
    } else if (ch === ' ') {
      // Spaces before a line break go.
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ') next = source[++i + 1];
      if (next !== '\n') res += source.slice(wsStart, i + 1);
    } else res += ch;
  }
  return res;
}

/** The column of the quote that closes a scalar opened before `from` on `line` (`'` doubled is a
 * quote inside; `\` escapes in double quotes), or -1 when the line does not close it. */
function closingQuote(line: string, from: number, single: boolean): number {
  if (single) {
    let q = line.indexOf("'", from);
    while (q >= 0 && line.charCodeAt(q + 1) === 39) q = line.indexOf("'", q + 2);
    return q;
  }
  for (let k = from; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (c === 92 /* \ */) k++;
    else if (c === 34) return k;
  }
  return -1;
}

function quotedValue(source: string): string {
  return source[0] === "'" ? unfoldLines(source.slice(1, -1)).replace(/''/g, "'") : doubleQuotedValue(source);
}

/** A quoted scalar that closes on its own line, or a decline. */
function quoted(line: string, col: number): Quoted {
  const close = closingQuote(line, col + 1, line[col] === "'");
  if (close < 0) decline();
  return { value: quotedValue(line.slice(col, close + 1)), end: close + 1 };
}

interface Key {
  key: string;
  /** The column after the `:`. */
  valueCol: number;
}

/** The mapping key that starts at `col`, undefined when the line holds no `key:` there (a scalar). */
function keyAt(line: string, col: number): Key | undefined {
  const c = line.charCodeAt(col);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const q = quoted(line, col);
    if (line.charCodeAt(q.end) !== 58 /* : */) return undefined;
    if (q.end + 1 < line.length && line.charCodeAt(q.end + 1) !== SPACE) decline();
    if (q.value === '__proto__' || q.value === '<<' || q.end - col > MAX_KEY_CHARS) decline();
    return { key: q.value, valueCol: q.end + 1 };
  }
  let colon = line.indexOf(':', col);
  while (colon >= 0 && colon + 1 < line.length && line.charCodeAt(colon + 1) !== SPACE)
    colon = line.indexOf(':', colon + 1);
  if (colon < 0) return undefined;
  const text = line.slice(col, colon);
  const hash = text.indexOf(' #');
  if (hash >= 0) return undefined; // `a #b: c` is a scalar and a comment
  if (text === '' || text.endsWith(' ') || text.length > MAX_KEY_CHARS) decline();
  if (!plainMayStart(c, line.charCodeAt(col + 1))) decline();
  const key = resolvePlain(text);
  if (typeof key !== 'string' || key === '__proto__' || key === '<<') decline();
  return { key, valueCol: colon + 1 };
}

/** Whether `c` may start a plain scalar when the character after it is `next`: not an indicator,
 * except `-` and `:` before a character that is not a space (`-1`, `--flag`, `:5000`). */
function plainMayStart(c: number, next: number): boolean {
  if (c === 45 /* - */ || c === 58 /* : */) return !Number.isNaN(next) && next !== SPACE;
  return c !== 63 /* ? */ && !NOT_PLAIN_START.has(c);
}

/** A line of a plain scalar in block context, from `col` to the end of the line: its text, and whether
 * a comment ended it. Only a scalar's first line is bound by the rules for its first character. */
function plainLine(line: string, col: number, first = true): { text: string; comment: boolean } {
  if (first && !plainMayStart(line.charCodeAt(col), line.charCodeAt(col + 1))) decline();
  let text = line.slice(col);
  const hash = text.indexOf(' #');
  if (hash >= 0) text = text.slice(0, hash);
  text = trimEnd(text);
  if (text.includes(': ') || text.endsWith(':')) decline();
  return { text, comment: hash >= 0 };
}

/** A plain scalar inside a one-line flow collection, from `p` to the next `,`, `]` or `}`: the
 * characters that could mean more there (`:`, `#`, quotes, brackets) decline. */
function flowPlain(line: string, p: number, isKey: boolean): { text: string; end: number } {
  let e = p;
  while (e < line.length) {
    const d = line.charCodeAt(e);
    if (d === 44 /* , */ || d === 93 /* ] */ || d === 125 /* } */) break;
    if (isKey && d === 58 /* : */ && line.charCodeAt(e + 1) === SPACE) break;
    e++;
  }
  const text = trimEnd(line.slice(p, e));
  if (text === '' || /[[\]{}#:"']/.test(text)) decline();
  if (!plainMayStart(text.charCodeAt(0), text.charCodeAt(1))) decline();
  return { text, end: e };
}

/** A one-line flow collection: `[a, "b", 'c']`, `{a: 1, "b": c}`, `[{port: 80}]`, `[]`, `{}`, nested
 * up to MAX_DEPTH. Anything else (a trailing comma, an empty or missing value, a key that is a
 * collection, a pair inside a sequence, a line break) declines. */
function flowInline(line: string, col: number, depth = 1): { value: unknown; end: number; pieces: number } {
  if (depth > MAX_DEPTH) decline();
  const isMap = line.charCodeAt(col) === 123; /* { */
  const close = isMap ? 125 : 93;
  const seq: unknown[] = [];
  const map: Record<string, unknown> = {};
  let p = col + 1;
  // `{`/`[` count six (boundedTokens), the close one; each scalar item at most three, each pair six.
  let pieces = 7;
  const skip = () => {
    while (line.charCodeAt(p) === SPACE) p++;
  };
  const node = (isKey = false): { value: unknown; quoted?: string } => {
    const c = line.charCodeAt(p);
    if (c === 34 || c === 39) {
      const q = quoted(line, p);
      p = q.end;
      return { value: q.value, quoted: q.value };
    }
    if (c === 91 || c === 123) {
      if (isKey) decline();
      const f = flowInline(line, p, depth + 1);
      p = f.end;
      pieces += f.pieces;
      return { value: f.value };
    }
    const f = flowPlain(line, p, isKey);
    p = f.end;
    return { value: resolvePlain(f.text) };
  };
  skip();
  if (line.charCodeAt(p) === close) return { value: isMap ? map : seq, end: p + 1, pieces };
  for (;;) {
    pieces += isMap ? 6 : 3;
    skip();
    if (isMap) {
      const k = node(true);
      const key = k.quoted ?? k.value;
      if (typeof key !== 'string' || key === '__proto__' || key === '<<' || Object.hasOwn(map, key)) decline();
      // `key: value`: the colon right after the key and a space after it.
      if (line.charCodeAt(p) !== 58 /* : */ || line.charCodeAt(p + 1) !== SPACE) decline();
      p += 2;
      skip();
      const c = line.charCodeAt(p);
      if (c === 44 || c === 125) decline(); // an empty value
      map[key] = node().value;
    } else seq.push(node().value);
    skip();
    const d = line.charCodeAt(p);
    if (d === close) return { value: isMap ? map : seq, end: p + 1, pieces };
    if (d !== 44) decline();
    p++;
    skip();
    if (line.charCodeAt(p) === close) decline(); // a trailing comma
  }
}

class Reader {
  private i = 0;
  private end = 0;
  /** The document's syntax pieces as boundedTokens counts them, counted high (a plain scalar is two
   * lexemes, a quoted one one; each line of a multi-line scalar counts again here). */
  private pieces = 0;
  /** Whether the text ends with a line break (a block scalar's last line keeps it only then). */
  private readonly finalBreak: boolean;

  constructor(
    private readonly lines: string[],
    text: string,
    private readonly maxPieces: number,
  ) {
    this.finalBreak = text.endsWith('\n');
  }

  /** Past the caller's bound, the `yaml` path refuses the document with its own message. */
  private count(pieces: number): void {
    this.pieces += pieces;
    if (this.pieces > this.maxPieces) decline();
  }

  /** Every document with content, or a decline. */
  read(): FastDoc[] {
    const { lines } = this;
    const out: FastDoc[] = [];
    let start = 0;
    for (let j = 0; j <= lines.length; j++) {
      const line = j < lines.length ? lines[j]! : undefined;
      if (line !== undefined) {
        // The cutters' test of a marker line (the text has no tab or CR here, so both cuts agree).
        const marker = markerOf(line, false);
        if (line.charCodeAt(0) === 37 /* % */ || marker === '...') decline();
        if (marker !== '---') continue;
        if (!restIsEmpty(line, 3)) decline(); // `--- |`, `--- !tag`, `--- {a: 1}`
      }
      this.pieces = 0;
      const d = this.document(start, j);
      if (d) out.push(d);
      start = j + 1;
    }
    return out;
  }

  private document(start: number, end: number): FastDoc | undefined {
    this.i = start;
    this.end = end;
    const first = this.nextContent();
    if (first >= end) return undefined;
    const line = this.lines[first]!;
    if (indentOf(line) !== 0 || isSeqEntry(line, 0)) decline();
    this.i = first;
    const itemLines: number[] = [];
    const value = this.map(0, undefined, 1, itemLines);
    if (this.nextContent() < end) decline();
    return { value, line: first + 1, pieces: this.pieces, ...(itemLines.length > 0 ? { itemLines } : {}) };
  }

  /** The index of the next line from `i` that is neither blank nor a comment, or `end`. */
  private nextContent(): number {
    let j = this.i;
    while (j < this.end && isBlankOrComment(this.lines[j]!)) j++;
    return j;
  }

  /** A block mapping whose keys stand at column `indent`, starting at line `i` (at column `firstCol`
   * for a mapping that begins after a sequence's `- `). `itemLines`: given for a document's top
   * level, where `items` records its items' lines. */
  private map(
    indent: number,
    firstCol: number | undefined,
    depth: number,
    itemLines?: number[],
  ): Record<string, unknown> {
    if (depth > MAX_DEPTH) decline();
    const obj: Record<string, unknown> = {};
    let col = firstCol;
    for (;;) {
      if (col === undefined) {
        const j = this.nextContent();
        if (j >= this.end) break;
        const ind = indentOf(this.lines[j]!);
        if (ind < indent) break;
        if (ind > indent) decline();
        this.i = j;
        col = indent;
      }
      const line = this.lines[this.i]!;
      if (isSeqEntry(line, col)) decline();
      const k = keyAt(line, col);
      if (k === undefined) decline();
      if (Object.hasOwn(obj, k.key)) decline();
      this.count(3);
      const lines = itemLines !== undefined && k.key === 'items' ? itemLines : undefined;
      obj[k.key] = this.value(line, k.valueCol, indent, depth, lines);
      col = undefined;
    }
    return obj;
  }

  /** A value that starts at `col` of the current line (after `key:` or `- `), or below it when the
   * rest of the line is empty. `n`: the indentation of the mapping or sequence it belongs to; lines
   * indented deeper than `n` after an inline value would continue it, and decline. */
  private value(line: string, col: number, n: number, depth: number, itemLines?: number[]): unknown {
    let c = col;
    while (line.charCodeAt(c) === SPACE) c++;
    let min = n + 1; // the least indentation of a plain scalar's next lines
    if (c === line.length || (line.charCodeAt(c) === HASH && c > col)) {
      const keyLine = this.i;
      this.i++;
      const j = this.nextContent();
      if (j >= this.end) return null;
      const next = this.lines[j]!;
      const ind = indentOf(next);
      if (ind < n || (ind === n && !isSeqEntry(next, ind))) return null;
      this.i = j;
      if (isSeqEntry(next, ind)) return this.seq(ind, depth + 1, itemLines);
      const k = keyAt(next, ind);
      if (k !== undefined || itemLines) return this.map(ind, undefined, depth + 1);
      // A scalar on the lines below its key (`key:` then `  {}`, or a long text). With a comment
      // between the two, the yaml package may refuse it (`a:` `#b` `  x`: "Implicit keys need to be on
      // a single line"): left to it.
      const ch = next.charCodeAt(ind);
      if (ch === 124 || ch === 62 || c !== line.length) decline();
      for (let b = keyLine + 1; b < j; b++) if (indentOf(this.lines[b]!) !== this.lines[b]!.length) decline();
      line = next;
      c = ind;
      min = ind;
    }
    const ch = line.charCodeAt(c);
    let v: unknown;
    this.count(3);
    if (ch === 124 /* | */ || ch === 62 /* > */) return this.blockScalar(line, c, n);
    if (ch === 34 || ch === 39) {
      const q = this.quotedLines(line, c, n);
      if (!restIsEmpty(this.lines[this.i]!, q.end)) decline();
      v = q.value;
    } else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      const f = flowInline(line, c);
      this.count(f.pieces);
      if (!restIsEmpty(line, f.end)) decline();
      v = f.value;
    } else {
      const first = plainLine(line, c);
      this.i++;
      return resolvePlain(first.comment ? (this.noContinuation(n), first.text) : this.plainRest(first.text, n, min));
    }
    // A List's items in a flow list: their lines are left to `yaml`.
    if (itemLines && Array.isArray(v) && v.length > 0) decline();
    this.i++;
    this.noContinuation(n);
    return v;
  }

  /** A quoted scalar from column `col` of the current line, over as many lines as it takes (each
   * deeper than `n`); leaves the current line at its closing quote. */
  private quotedLines(line: string, col: number, n: number): Quoted {
    const single = line[col] === "'";
    let j = this.i;
    let l = line;
    let close = closingQuote(l, col + 1, single);
    while (close < 0) {
      j++;
      if (j >= this.end) decline();
      l = this.lines[j]!;
      const ind = indentOf(l);
      if (ind < l.length && ind <= n) decline();
      this.count(1);
      close = closingQuote(l, 0, single);
    }
    const source =
      j === this.i
        ? line.slice(col, close + 1)
        : [line.slice(col), ...this.lines.slice(this.i + 1, j), l.slice(0, close + 1)].join('\n');
    this.i = j;
    return { value: quotedValue(source), end: close + 1 };
  }

  /** A plain scalar's next lines, folded onto its first as the `yaml` package's foldLines does: each
   * line trimmed, joined with a space, and each empty line between two a line break. The scalar goes
   * on while lines are indented deeper than `n` (at least `min`); a line that would be a key, a
   * comment or an indicator there declines. */
  private plainRest(first: string, n: number, min: number): string {
    // The scalar's lines: up to the last one deeper than `n` before a line that is not.
    let last = this.i;
    for (let j = this.i; j < this.end; j++) {
      const l = this.lines[j]!;
      const ind = indentOf(l);
      if (ind === l.length) continue;
      if (ind <= n) break;
      last = j + 1;
    }
    let text = first;
    let sep = ' ';
    for (let j = this.i; j < last; j++) {
      const l = this.lines[j]!;
      const ind = indentOf(l);
      if (ind === l.length) {
        if (sep === '\n') text += '\n';
        else sep = '\n';
        continue;
      }
      if (ind < min) decline();
      // A comment line here would end the scalar and make the lines after it an error.
      if (l.charCodeAt(ind) === HASH) decline();
      const next = plainLine(l, ind, false); // declines `a: b`, which would be a key
      this.count(2);
      if (next.comment) decline();
      text += sep + next.text;
      sep = ' ';
    }
    this.i = last;
    return text;
  }

  /** After an inline value: a following line indented deeper than `n` would continue it (a multi-line
   * scalar) or be an error. Either way the `yaml` package reads it. */
  private noContinuation(n: number): void {
    let j = this.i;
    while (j < this.end) {
      const l = this.lines[j]!;
      const ind = indentOf(l);
      if (ind === l.length) {
        j++;
        continue;
      }
      if (ind > n) decline();
      if (l.charCodeAt(ind) !== HASH) return;
      j++;
    }
  }

  /** A block sequence whose `-` stand at column `indent`, starting at line `i`. */
  private seq(indent: number, depth: number, itemLines?: number[], midLine = false): unknown[] {
    if (depth > MAX_DEPTH) decline();
    const arr: unknown[] = [];
    let first = midLine; // `- - a`: the inner sequence's first `-` is on the current line
    for (;;) {
      const j = first ? this.i : this.nextContent();
      first = false;
      if (j >= this.end) break;
      const line = this.lines[j]!;
      if (j !== this.i || !midLine || arr.length > 0) {
        const ind = indentOf(line);
        if (ind < indent) break;
        if (ind > indent) decline();
      }
      if (!isSeqEntry(line, indent)) break;
      this.i = j;
      this.count(1);
      let c = indent + 1;
      while (line.charCodeAt(c) === SPACE) c++;
      if (c === line.length || line.charCodeAt(c) === HASH) {
        // `-` alone: the item is below it (or null).
        this.i = j + 1;
        const k = this.nextContent();
        if (k < this.end && indentOf(this.lines[k]!) > indent) {
          this.i = k;
          itemLines?.push(k + 1);
          const next = this.lines[k]!;
          const kind = indentOf(next);
          arr.push(isSeqEntry(next, kind) ? this.seq(kind, depth + 1) : this.map(kind, undefined, depth + 1));
        } else {
          if (itemLines) decline();
          arr.push(null);
        }
        continue;
      }
      itemLines?.push(j + 1);
      if (isSeqEntry(line, c)) {
        arr.push(this.seq(c, depth + 1, undefined, true));
        continue;
      }
      const ch = line.charCodeAt(c);
      const k = ch === 124 || ch === 62 || ch === 91 || ch === 123 ? undefined : keyAt(line, c);
      if (k !== undefined) arr.push(this.map(c, c, depth + 1));
      else arr.push(this.value(line, c, indent, depth));
    }
    return arr;
  }

  /** A `|`, `|-`, `>` or `>-` block scalar whose header is at column `col` of the current line, read
   * as the `yaml` package's resolveBlockScalar reads it (a folded one only without more-indented
   * lines, whose rules it leaves to `yaml`). */
  private blockScalar(line: string, col: number, n: number): string {
    const folded = line.charCodeAt(col) === 62; /* > */
    let h = col + 1;
    const strip = line.charCodeAt(h) === 45; /* - */
    if (strip) h++;
    if (h < line.length && line.charCodeAt(h) !== SPACE) decline(); // `|+`, `|2`, `|#`
    if (!restIsEmpty(line, h)) decline();
    const { lines } = this;
    let j = this.i + 1;
    let leading = 0;
    let leadingLines = 0;
    while (j < this.end && indentOf(lines[j]!) === lines[j]!.length) {
      leading = Math.max(leading, lines[j]!.length);
      leadingLines++;
      j++;
    }
    if (j >= this.end) decline(); // an empty block scalar
    const bi = indentOf(lines[j]!);
    if (bi <= n || leading > bi) decline();
    const parts: string[] = [];
    let last = -1; // the last line with content
    for (; j < this.end; j++) {
      const l = lines[j]!;
      const ind = indentOf(l);
      if (ind === l.length) {
        if (ind > bi) decline(); // spaces beyond the indentation are content: left to `yaml`
        parts.push('');
        continue;
      }
      if (ind < bi) break;
      if (folded && ind > bi) decline(); // more-indented lines keep their breaks: left to `yaml`
      parts.push(l.slice(bi));
      last = j;
    }
    if (last === lines.length - 1 && !this.finalBreak) decline();
    // The block ends at its last content line; blank lines after it are not content (clip, strip).
    parts.length -= j - 1 - last;
    this.i = last + 1;
    // A line after the block that is deeper than its parent but not the block's: an error.
    this.noContinuation(n);
    let body = '\n'.repeat(leadingLines);
    if (!folded) body += parts.join('\n');
    else {
      // resolveBlockScalar's folding: lines join with a space; each empty line between two is a break.
      let sep = '';
      for (const p of parts) {
        if (p === '') {
          if (sep === '\n') body += '\n';
          else sep = '\n';
        } else {
          body += sep + p;
          sep = ' ';
        }
      }
    }
    return strip ? body : `${body}\n`;
  }
}

/** The documents of `text`, read without the `yaml` package, or undefined where it must read them.
 * `strict` (for the tests): an exception other than a decline is thrown instead of declining, so a bug
 * here shows; in a render it would only send the file to the `yaml` package. */
export function fastRead(text: string, maxPieces = Infinity, strict = false): FastDoc[] | undefined {
  if (DECLINED_CHARS.test(text)) return undefined;
  try {
    return new Reader(text.split('\n'), text, maxPieces).read();
  } catch (e) {
    if (e === declined || !strict) return undefined;
    throw e;
  }
}

/** For the tests: whether plain scalars told apart by their first character (surelyString) are on. */
export function firstCharacterShortcut(): boolean {
  return plainSchema().known;
}
