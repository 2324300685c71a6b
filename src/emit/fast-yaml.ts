// A quick writer for the everyday shape of a manifest body, for `render -o` (issue 13 "Speed"): the
// `yaml` package builds a Document, a schema and a node per value for every object before it writes
// one, which was most of the time `-o` spent at 50k objects. This writer handles the common subset
// (mappings, sequences, plain and simple double-quoted strings, block literals, safe integers,
// booleans, null) and writes exactly what `stringify(body, K8S_YAML_STRINGIFY)` writes; for anything
// else (a float, a bigint, a string that would need escapes or a chomping indicator the subset does
// not cover, a very long key) it answers undefined and the caller uses the `yaml` package. The same
// schema decides which strings must be quoted (its own tag tests, read once), so a string such as
// "yes", "0644" or "~" is never written plain. src/emit/fast-yaml.test.ts checks, with fast-check,
// that every answer equals the package's output.
import { Document, type Schema } from 'yaml';
import { K8S_YAML_STRINGIFY } from '../util/k8s-yaml';

type Tag = { default?: unknown; tag: string; test?: RegExp };

const STR_TAG = 'tag:yaml.org,2002:str';
// Characters the package never writes plain, whatever the context (its plainString), and the document
// markers it treats specially at line starts.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
// Forces double quotes with escapes in the package; left to it.
const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]/;
// A double-quoted string the package writes as JSON does: printable ASCII, no quote, no backslash.
const SIMPLE_QUOTED = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
// The package writes a key longer than this as an explicit `? key`; left to it.
const MAX_KEY = 1000;

let schemaTags: Tag[] | undefined;

/** The non-string tags of the stringify schema whose test a plain scalar must not match. */
function resolvingTags(): Tag[] {
  if (!schemaTags) {
    const schema = new Document(null, K8S_YAML_STRINGIFY).schema as Schema & { compat?: Tag[] | null };
    schemaTags = [...(schema.tags as Tag[]), ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== STR_TAG);
  }
  return schemaTags;
}

class Unsupported extends Error {}

// Keys and label values repeat from object to object: their answers are kept (short strings only,
// and a bounded number, so memory stays small whatever the input).
const MEMO_MAX_LENGTH = 64;
const MEMO_MAX_ENTRIES = 50_000;
const memo = new Map<string, string | null>();

/** A string on one line: plain when the package would write it plain, else simple double quotes. */
function inline(s: string): string {
  if (s.length > MEMO_MAX_LENGTH) return inlineUncached(s);
  let r = memo.get(s);
  if (r === undefined) {
    try {
      r = inlineUncached(s);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      r = null;
    }
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(s, r);
  }
  if (r === null) throw new Unsupported();
  return r;
}

function inlineUncached(s: string): string {
  // "<<" is the merge key's own spelling, which the package writes in its own way.
  if (NEEDS_ESCAPE.test(s) || s.includes('\n') || DOCUMENT_MARKER.test(s) || s === '<<') throw new Unsupported();
  if (s !== '' && !NOT_PLAIN.test(s) && !resolvingTags().some((t) => t.test?.test(s))) return s;
  // The package prefers double quotes unless the string holds one (then single); only the simple case here.
  if (SIMPLE_QUOTED.test(s)) return `"${s}"`;
  throw new Unsupported();
}

/** A multi-line string as a block literal, written at `indent`: only the chomping the subset covers
 * (ends with no newline, "|-", or one newline, "|"), no leading blanks (which need an indentation
 * indicator), no trailing blank line. */
function block(s: string, indent: string): string {
  const clip = s.endsWith('\n');
  const body = clip ? s.slice(0, -1) : s;
  if (body === '' || NEEDS_ESCAPE.test(s) || /^[\n\t ]/.test(body) || /[\n\t ]$/.test(body)) throw new Unsupported();
  return `|${clip ? '' : '-'}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}

/** A scalar after `key: ` or `- `, whose content (for a block literal) is indented by `indent`. */
function scalar(v: unknown, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
    throw new Unsupported();
  }
  if (typeof v === 'string') return v.includes('\n') ? block(v, indent) : inline(v);
  throw new Unsupported();
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Lines of a non-empty mapping or sequence at `pad`, pushed onto `out`. */
function collection(v: unknown, pad: string, out: string[]): void {
  const inner = `${pad}  `;
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isNonEmpty(item)) {
        const start = out.length;
        collection(item, inner, out);
        out[start] = `${pad}- ${out[start]!.slice(inner.length)}`;
      } else out.push(`${pad}- ${leaf(item, inner)}`);
    }
    return;
  }
  if (!isMap(v)) throw new Unsupported();
  for (const key of Object.keys(v)) {
    if (key.length > MAX_KEY) throw new Unsupported();
    const k = inline(key);
    const val = v[key];
    if (Array.isArray(val) && val.length > 0) {
      out.push(`${pad}${k}:`);
      collection(val, inner, out);
    } else if (isNonEmpty(val)) {
      out.push(`${pad}${k}:`);
      collection(val, inner, out);
    } else out.push(`${pad}${k}: ${leaf(val, inner)}`);
  }
}

const isNonEmpty = (v: unknown): boolean =>
  Array.isArray(v) ? v.length > 0 : isMap(v) ? Object.keys(v).length > 0 : false;

/** A scalar or an empty collection. */
function leaf(v: unknown, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (isMap(v)) return '{}';
  return scalar(v, indent);
}

/** `stringify(body, K8S_YAML_STRINGIFY)` for a mapping in the subset, else undefined. */
export function fastYaml(body: unknown): string | undefined {
  if (!isMap(body)) return undefined;
  if (Object.keys(body).length === 0) return '{}\n';
  const out: string[] = [];
  try {
    collection(body, '', out);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return `${out.join('\n')}\n`;
}
