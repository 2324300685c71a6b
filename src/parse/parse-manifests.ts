// Stage "parse": text -> documents, with Argo CD's rules for what counts as a document
// (argocd-cmp-contract.md §3e): empty and null documents are dropped, and any object whose `items`
// is an array is a List whose items are flattened. Any parse error fails the whole render, and so does
// anything Kubernetes' YAML-to-JSON step refuses (map keys that are null, maps or lists; .inf, .nan)
// rather than being turned into something it never meant ("[ a ]" keys, null numbers).
//
// The work a hostile file can cause is bounded (issue 8 §8), each limit ending the render with one
// render-failed line (exit 2): nesting depth (checked on the parser's stack, before the recursive
// composer runs: 1000 levels of `[` in 2 KB crashed V8 natively), the size that aliases add across the
// whole render (each alias is the whole anchored node again in our output and in every walk of it), and
// duplicate keys are found with a Set (linear) instead of the yaml package's pairwise check.
import {
  Composer,
  LineCounter,
  parseAllDocuments,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
} from 'yaml';
import { goNumberSyntax, K8S_MANIFEST_YAML, K8S_TO_JS } from '../util/k8s-yaml';
import { RenderFailure } from '../util/errors';
import { boundedTokens, MAX_NESTING_DEPTH, TooBig, TooDeep, tooDeepAt } from '../util/yaml-depth';

export { MAX_NESTING_DEPTH, tooDeepAt };
import { isPlainObject, type ParsedDoc, type SourceFile } from '../model/object';
import { fastRead } from './fast-read';

/** What aliases may add to the whole render, in characters of expanded text (about its JSON size). */
export const MAX_ALIAS_EXPANSION = 16 * 1024 * 1024;
/** Anchors and aliases per document, and in the whole render, in documents that use aliases. The yaml
 * package resolves each alias by scanning the document's anchors and aliases before it: quadratic in
 * their number per document (20k anchors and 20k aliases, a 700 KB file, took 50 s). With these two
 * bounds the scans of a whole render stay under 10^8 steps, about a second. */
export const MAX_ALIAS_NODES_PER_DOCUMENT = 2000;
export const MAX_ALIAS_NODES = 50_000;

/** Syntax pieces (lexemes other than blanks, line breaks and comments) in one document (review9,
 * issue 9 §6): the yaml package holds a whole document's syntax tree and nodes while composing it,
 * 0.4 to 1 KB per piece, so an 8 MB flow sequence of 4 million `0`s took 3.7 GB and two minutes. A
 * pair `key: value` is five pieces, a flow item two or three; a flow collection's start counts six
 * (it costs the parser about that). 250k pieces is about 50k pairs, some 1 MB of ordinary YAML in one
 * document, and keeps one document's parse within about 150 MB. */
export const MAX_PIECES_PER_DOCUMENT = 250_000;

/** Objects after Lists are flattened (review9, issue 9 §6): the document bound (MAX_DOCUMENTS) did not
 * count items, so one `{"kind":"List","items":[{},{},...]}` of 6 MB made two million objects (2.8 GB,
 * over five minutes). The same bound as for documents. */
export const MAX_OBJECTS = 100_000;

/** Work counted across every file of one render. */
interface Budget {
  aliasExpansion: number;
  aliasNodes: number;
  /** Duplicate keys read as go-yaml v2 reads them (the last wins) instead of refused: for `ci`
   * discovery, which must find every Application Argo CD would read from a file (a render still
   * refuses them). */
  readonly lastKeyWins?: boolean;
}

/** `fast: false` reads every file with the `yaml` package (the reference the fast reader is tested
 * against). */
export function parseManifests(
  files: readonly SourceFile[],
  opts: { lastKeyWins?: boolean; fast?: boolean } = {},
): ParsedDoc[] {
  const out: ParsedDoc[] = [];
  const budget: Budget = { aliasExpansion: 0, aliasNodes: 0, lastKeyWins: opts.lastKeyWins === true };
  for (const f of files) if (opts.fast === false || !readFast(f, out)) parseFile(f, out, budget);
  return out;
}

/** The fast reader's documents (src/parse/fast-read.ts), added as addDocument adds them; false (and
 * nothing added) when it declines the file or the file would pass MAX_OBJECTS, which the reference
 * path then refuses with its own message. What fast-read accepts has no aliases, no keys Kubernetes
 * cannot read, no duplicate keys and no NaN or infinity, so addDocument's other checks have nothing
 * to find in it. */
function readFast(file: SourceFile, out: ParsedDoc[]): boolean {
  const docs = fastRead(file.text, MAX_PIECES_PER_DOCUMENT);
  if (docs === undefined) return false;
  const added: ParsedDoc[] = [];
  for (const d of docs) {
    const value = d.value;
    const source = { file: file.path, line: d.line };
    if ('items' in value) {
      const items = value.items;
      if (Array.isArray(items)) {
        items.forEach((item, i) =>
          added.push({ value: item, source: { file: file.path, line: d.itemLines?.[i] ?? d.line }, fromList: true }),
        );
        continue;
      }
      // Argo CD drops a List whose items are null when it has no spec or status.
      if (items === null && !('spec' in value) && !('status' in value)) continue;
    }
    added.push({ value, source });
  }
  if (out.length + added.length > MAX_OBJECTS) return false;
  for (const d of added) out.push(d);
  return true;
}

function parseFile(file: SourceFile, out: ParsedDoc[], budget: Budget): void {
  const start = out.length;
  const spent = { ...budget };
  if (parseFileStreaming(file, out, budget)) return;
  out.length = start;
  Object.assign(budget, spent);
  parseFileWhole(file, out, budget);
}

/** The 1-based line of `offset`, from line starts the yaml parser recorded while reading up to it. */
const lineIn =
  (lines: LineCounter) =>
  (offset: number): number =>
    lines.linePos(offset).line;

function tooBig(file: SourceFile, line: number): RenderFailure {
  return new RenderFailure(
    `one YAML document holds more than ${MAX_PIECES_PER_DOCUMENT} pieces (keys, values, items and punctuation; about 1 MB of ordinary YAML); refusing it (bounded work for hostile input)`,
    `${file.path}:${line}`,
    'split it into several documents (one object each)',
  );
}

function tooDeep(file: SourceFile, line: number): RenderFailure {
  return new RenderFailure(
    `the YAML nests deeper than ${MAX_NESTING_DEPTH} levels, which no Kubernetes object needs; refusing it (bounded work for hostile input)`,
    `${file.path}:${line}`,
    'flatten the structure; if this file is generated, check the generator',
  );
}

/** The fast path, for files that parse cleanly: one document at a time. The Composer is what
 * parseAllDocuments runs, minus collecting every document of the file before returning, which would
 * keep a whole bundle file's syntax tree alive while its documents are converted: memory and time
 * would then grow faster than the input (scripts/bench.mjs measures the growth). A yielded Document is final (the Composer never touches it again), so it
 * equals the one parseAllDocuments returns, except that only parseAllDocuments adds line and column
 * to error messages. So on any parse error, or anything else thrown, this returns false and the caller
 * runs the file again through the reference path, which fails exactly as it always did; our own
 * refusals (RenderFailure, too deep) are the same on both paths and end the render here. */
function parseFileStreaming(file: SourceFile, out: ParsedDoc[], budget: Budget): boolean {
  // The parser has read past a document's last line before the composer yields it, so every offset
  // asked about below is on a line it has already recorded.
  const lines = new LineCounter();
  const lineOf = lineIn(lines);
  try {
    for (const doc of new Composer(K8S_MANIFEST_YAML).compose(
      boundedTokens(file.text, lines.addNewLine, MAX_PIECES_PER_DOCUMENT),
    ) as Iterable<Document.Parsed>) {
      if (doc.errors.length > 0) return false;
      addDocument(file, doc, lineOf, out, budget);
    }
    return true;
  } catch (e) {
    // Our own refusals are final: every document before this one composed without errors, so the
    // reference path would reach the same refusal, after parsing the whole file a second time.
    if (e instanceof TooDeep) throw tooDeep(file, lineOf(e.offset));
    if (e instanceof TooBig) throw tooBig(file, lineOf(e.offset));
    if (e instanceof RenderFailure) throw e;
    return false;
  }
}

/** The reference path: every document of the file composed first, then each checked and converted in
 * order; errors carry line and column. */
function parseFileWhole(file: SourceFile, out: ParsedDoc[], budget: Budget): void {
  // parseAllDocuments runs its own parser: bound the depth, and each document's size, over the whole
  // file first (which also records every line start for lineOf). (parseAllDocuments keeps every
  // document at once: a file that reaches this path has a syntax error, and the per-document bound and
  // the file-size limit bound what it holds.)
  const lines = new LineCounter();
  const lineOf = lineIn(lines);
  try {
    for (const _ of boundedTokens(file.text, lines.addNewLine, MAX_PIECES_PER_DOCUMENT)) void _;
  } catch (e) {
    if (e instanceof TooDeep) throw tooDeep(file, lineOf(e.offset));
    if (e instanceof TooBig) throw tooBig(file, lineOf(e.offset));
    throw e;
  }
  const docs = parseAllDocuments(file.text, K8S_MANIFEST_YAML) as unknown as Document.Parsed[];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
      throw new RenderFailure(
        `invalid YAML: ${firstLine(err.message)}`,
        `${file.path}:${line}`,
        'fix the syntax; the file must parse as Kubernetes reads YAML (YAML 1.1, no duplicate keys)',
      );
    }
    addDocument(file, doc, lineOf, out, budget);
  }
}

function addDocument(
  file: SourceFile,
  doc: Document.Parsed,
  lineOf: (offset: number) => number,
  out: ParsedDoc[],
  budget: Budget,
): void {
  const contents = doc.contents;
  if (contents === null) return;
  const { notJson, aliases, anchors } = firstNotJson(doc, file.text, budget.lastKeyWins === true);
  if (notJson) throw new RenderFailure(notJson.message, `${file.path}:${lineOf(notJson.offset)}`, notJson.fix);
  if (aliases > 0) {
    budget.aliasNodes += aliases + anchors;
    if (aliases + anchors > MAX_ALIAS_NODES_PER_DOCUMENT || budget.aliasNodes > MAX_ALIAS_NODES) {
      const perDoc = aliases + anchors > MAX_ALIAS_NODES_PER_DOCUMENT;
      throw new RenderFailure(
        `cannot load YAML: ${perDoc ? `this document has ${aliases + anchors} anchors and aliases, more than ${MAX_ALIAS_NODES_PER_DOCUMENT}` : `the render has more than ${MAX_ALIAS_NODES} anchors and aliases`} (each alias costs a scan of the ones before it); refusing it (bounded work for hostile input)`,
        `${file.path}:${lineOf(contents.range[0])}`,
        'write the repeated content out instead of using so many anchors and aliases',
      );
    }
    budget.aliasExpansion += aliasExpansion(contents);
    if (budget.aliasExpansion > MAX_ALIAS_EXPANSION) {
      throw new RenderFailure(
        `cannot load YAML: aliases (*name, <<: *name) expand the render by more than ${MAX_ALIAS_EXPANSION / 1024 / 1024} MiB in all; refusing it (bounded work for hostile input)`,
        `${file.path}:${lineOf(contents.range[0])}`,
        'write the repeated content out, or repeat less of it',
      );
    }
  }
  let value: unknown;
  try {
    value = doc.toJS(K8S_TO_JS);
  } catch (e) {
    throw new RenderFailure(
      `cannot load YAML: ${(e as Error).message}`,
      `${file.path}:${lineOf(contents.range[0])}`,
      'remove the aliases that expand too often (more than 100 expansions per document is refused)',
    );
  }
  if (value === null || value === undefined) return;
  const line = lineOf(contents.range[0]);
  if (isPlainObject(value) && 'items' in value) {
    const items = value.items;
    if (Array.isArray(items)) {
      if (out.length + items.length > MAX_OBJECTS) throw tooManyObjects(file, line);
      const seq = isMap(contents) ? contents.get('items', true) : undefined;
      items.forEach((item, i) => {
        const node = isSeq(seq) ? seq.items[i] : undefined;
        const itemOffset =
          node && typeof node === 'object' && 'range' in node ? (node.range as number[])[0] : undefined;
        out.push({
          value: item,
          source: { file: file.path, line: itemOffset === undefined ? line : lineOf(itemOffset) },
          fromList: true,
        });
      });
      return;
    }
    // Argo CD drops a List whose items are null when it has no spec or status.
    if (items === null && !('spec' in value) && !('status' in value)) return;
  }
  if (out.length + 1 > MAX_OBJECTS) throw tooManyObjects(file, line);
  out.push({ value, source: { file: file.path, line } });
}

function tooManyObjects(file: SourceFile, line: number): RenderFailure {
  return new RenderFailure(
    `the render holds more than ${MAX_OBJECTS} objects once Lists are flattened; refusing it (bounded work for hostile input)`,
    `${file.path}:${line}`,
    'split the app into several Applications',
  );
}

interface NotJson {
  offset: number;
  message: string;
  fix: string;
}

/** The first node sigs.k8s.io/yaml cannot convert to JSON (it fails the render in Argo CD too), or the
 * first duplicate key (go-yaml keeps the last, kustomize merges them: the file means different things to
 * different tools); and whether the document uses aliases at all. */
function firstNotJson(
  doc: Document.Parsed,
  text: string,
  lastKeyWins: boolean,
): { notJson?: NotJson; aliases: number; anchors: number } {
  let found: NotJson | undefined;
  let aliases = 0;
  let anchors = 0;
  const offsetOf = (node: unknown) => (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  visit(doc, {
    Alias() {
      aliases++;
    },
    Seq(_, seq) {
      if (seq.anchor) anchors++;
    },
    Map(_, map) {
      if (map.anchor) anchors++;
      // The yaml package's uniqueKeys rule (equal scalar values; each `<<` is its own key), with a Set.
      if (map.items.length < 2 || lastKeyWins) return undefined;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || typeof key.value === 'symbol') continue;
        const k = typeof key.value === 'string' ? key.value : { t: typeof key.value, v: String(key.value) };
        const id = typeof k === 'string' ? `s${k}` : `${k.t}:${k.v}`;
        if (seen.has(id)) {
          const offset = offsetOf(key);
          const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
          const line = text.slice(0, offset).split('\n').length;
          found = {
            offset,
            message: `invalid YAML: Map keys must be unique at line ${line}, column ${offset - lineStart + 1}`,
            fix: 'fix the syntax; the file must parse as Kubernetes reads YAML (YAML 1.1, no duplicate keys)',
          };
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
    Pair(_, pair) {
      const key = pair.key as unknown;
      if (isCollection(key)) {
        found = {
          offset: offsetOf(key),
          message: `a map key is a ${isMap(key) ? 'mapping' : 'list'}, which Kubernetes cannot read (an unrendered template such as \`{{ .Values.x }}\`?)`,
          fix: 'quote the key if it is text; templates must be rendered by their engine (a Helm chart is not a plain directory)',
        };
      } else if (
        isScalar(key) &&
        (typeof key.value === 'number' || typeof key.value === 'bigint') &&
        !keyKeepsItsText(key)
      ) {
        found = {
          offset: offsetOf(key),
          message: `a map key is the number ${String(key.source ?? key.value)
            .replace(/[\s\p{Cc}\p{Cf}]+/gu, ' ')
            .slice(
              0,
              40,
            )}, which Kubernetes' reader turns into different text (a float key such as 1e6 becomes "1e+06") or cannot read (an integer beyond int64)`,
          fix: 'quote the key (`"1e6": ...`) so that it is the text it says',
        };
      } else if (key === null || (isScalar(key) && key.value === null)) {
        found = {
          offset: offsetOf(key ?? pair.value),
          message: 'a map key is null (empty, `~` or `null`), which Kubernetes cannot read',
          fix: 'quote the key if it is text (`"null": ...`), or remove the entry',
        };
      }
      return found ? visit.BREAK : undefined;
    },
    Scalar(_, node) {
      if (node.anchor) anchors++;
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        found = {
          offset: offsetOf(node),
          message: `\`${node.source ?? String(node.value)}\` is ${Number.isNaN(node.value) ? 'NaN' : 'infinite'}, which JSON cannot carry; Kubernetes refuses it`,
          fix: 'quote it if it is text',
        };
      }
      return found ? visit.BREAK : undefined;
    },
  });
  return { notJson: found, aliases, anchors };
}

const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_MAX = BigInt(2) ** BigInt(63) - BigInt(1);

/** Whether a number used as a map key becomes the same text for sigs.k8s.io/yaml as for us. It turns an
 * int key into its decimal digits (FormatInt: the same as String here), a float key with
 * strconv.FormatFloat(k, 'g', -1, 32) (64 in older versions; "1e+06" where we would write "1000000"),
 * and refuses a uint64 key (unsupported map key type). Only integer keys within int64 agree. */
function keyKeepsItsText(key: { value: unknown; source?: string; tag?: string }): boolean {
  if (key.tag !== undefined && key.tag !== 'tag:yaml.org,2002:int') return false;
  if (key.tag === undefined && goNumberSyntax(key.source ?? '') !== 'int') return false;
  const n =
    typeof key.value === 'bigint'
      ? key.value
      : Number.isSafeInteger(key.value)
        ? BigInt(key.value as number)
        : undefined;
  return n !== undefined && n >= INT64_MIN && n <= INT64_MAX;
}

/** How much longer than its text a document becomes when its aliases are expanded, in characters of
 * the expanded value (about its JSON size). An alias refers to the last anchor of that name before it,
 * so one pass in document order sees every anchored node complete before its aliases; an alias inside
 * its own anchored node has no size yet and counts as nothing (toJS refuses it). Recursion is bounded by
 * MAX_NESTING_DEPTH. */
function aliasExpansion(root: unknown): number {
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  let added = 0;
  const walk = (node: unknown): number => {
    if (isAlias(node)) {
      const size = sizes.get(anchors.get(node.source)) ?? 0;
      added += size;
      return size;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    let size = 1;
    if (isScalar(node)) size = typeof node.value === 'string' ? node.value.length + 2 : String(node.value).length;
    else if (isMap(node)) for (const p of node.items) size += walk(p.key) + walk(p.value) + 2;
    else if (isSeq(node)) for (const item of node.items) size += walk(item) + 1;
    if (anchor) sizes.set(node, size);
    return size;
  };
  walk(root);
  return added;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/:\s*$/, '');
}
