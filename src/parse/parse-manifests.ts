// Stage "parse": text -> documents, with Argo CD's rules for what counts as a document
// (argocd-cmp-contract.md §3e): empty and null documents are dropped, and any object whose `items`
// is an array is a List whose items are flattened. Any parse error fails the whole render, and so does
// anything Kubernetes' YAML-to-JSON step refuses (map keys that are null, maps or lists; .inf, .nan)
// rather than being turned into something it never meant ("[ a ]" keys, null numbers).
import { Composer, Parser, parseAllDocuments, isCollection, isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from './k8s-yaml';
import { lineCounter } from './line-counter';
import { RenderFailure } from '../util/errors';
import type { JsonObject, ParsedDoc } from '../model/object';

export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  text: string;
}

export function parseManifests(files: readonly SourceFile[]): ParsedDoc[] {
  const out: ParsedDoc[] = [];
  for (const f of files) parseFile(f, out);
  return out;
}

function parseFile(file: SourceFile, out: ParsedDoc[]): void {
  const start = out.length;
  if (parseFileStreaming(file, out)) return;
  out.length = start;
  parseFileWhole(file, out);
}

/** The fast path, for files that parse cleanly: one document at a time. The Composer is what
 * parseAllDocuments runs, minus collecting every document of the file before returning. Collecting
 * them keeps a whole bundle file's syntax tree (hundreds of bytes of short-lived objects per byte of
 * YAML) alive while its documents are converted, long enough for V8 to copy much of it into the old
 * generation; at 50k objects that garbage was most of the bytes promoted, and made render time grow
 * faster than the input. A yielded Document is final (the Composer never touches it again), so it
 * equals the one parseAllDocuments returns, except that only parseAllDocuments adds line and column
 * to error messages. So on any error, or anything thrown, this returns false and the caller runs the
 * file again through the reference path, which fails exactly as it always did. */
function parseFileStreaming(file: SourceFile, out: ParsedDoc[]): boolean {
  const lineOf = lineCounter(file.text);
  try {
    for (const doc of new Composer(K8S_YAML).compose(new Parser().parse(file.text)) as Iterable<Document.Parsed>) {
      if (doc.errors.length > 0) return false;
      addDocument(file, doc, lineOf, out);
    }
    return true;
  } catch {
    return false;
  }
}

/** The reference path: every document of the file composed first, then each checked and converted in
 * order; errors carry line and column. */
function parseFileWhole(file: SourceFile, out: ParsedDoc[]): void {
  const lineOf = lineCounter(file.text);
  const docs = parseAllDocuments(file.text, K8S_YAML) as unknown as Document.Parsed[];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
      throw new RenderFailure(`invalid YAML: ${firstLine(err.message)}`, `${file.path}:${line}`,
        'fix the syntax; the file must parse as Kubernetes reads YAML (YAML 1.1, no duplicate keys)');
    }
    addDocument(file, doc, lineOf, out);
  }
}

function addDocument(file: SourceFile, doc: Document.Parsed, lineOf: (offset: number) => number, out: ParsedDoc[]): void {
  const contents = doc.contents;
  if (contents === null) return;
  const notJson = firstNotJson(doc);
  if (notJson) throw new RenderFailure(notJson.message, `${file.path}:${lineOf(notJson.offset)}`, notJson.fix);
  let value: unknown;
  try {
    value = doc.toJS(K8S_TO_JS);
  } catch (e) {
    throw new RenderFailure(`cannot load YAML: ${(e as Error).message}`, `${file.path}:${lineOf(contents.range[0])}`,
      'remove the aliases that expand too often (more than 100 expansions per document is refused)');
  }
  if (value === null || value === undefined) return;
  const line = lineOf(contents.range[0]);
  if (isPlainObject(value) && 'items' in value) {
    const items = value.items;
    if (Array.isArray(items)) {
      const seq = isMap(contents) ? contents.get('items', true) : undefined;
      items.forEach((item, i) => {
        const node = isSeq(seq) ? seq.items[i] : undefined;
        const itemOffset = node && typeof node === 'object' && 'range' in node ? (node.range as number[])[0] : undefined;
        out.push({ value: item, source: { file: file.path, line: itemOffset === undefined ? line : lineOf(itemOffset) } });
      });
      return;
    }
    // Argo CD drops a List whose items are null when it has no spec or status.
    if (items === null && !('spec' in value) && !('status' in value)) return;
  }
  out.push({ value, source: { file: file.path, line } });
}

interface NotJson {
  offset: number;
  message: string;
  fix: string;
}

/** The first node sigs.k8s.io/yaml cannot convert to JSON: it fails the render in Argo CD too. */
function firstNotJson(doc: Document.Parsed): NotJson | undefined {
  let found: NotJson | undefined;
  const offsetOf = (node: unknown) => (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as unknown;
      if (isCollection(key)) {
        found = {
          offset: offsetOf(key),
          message: `a map key is a ${isMap(key) ? 'mapping' : 'list'}, which Kubernetes cannot read (an unrendered template such as \`{{ .Values.x }}\`?)`,
          fix: 'quote the key if it is text; templates must be rendered by their engine (a Helm chart is not a plain directory)',
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
  return found;
}

export function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/:\s*$/, '');
}
