// Stage "parse": text -> documents, with Argo CD's rules for what counts as a document
// (argocd-cmp-contract.md §3e): empty and null documents are dropped, and any object whose `items`
// is an array is a List whose items are flattened. Any parse error fails the whole render.
import { Composer, Parser, parseAllDocuments, isMap, isSeq, type Document } from 'yaml';
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

export function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
