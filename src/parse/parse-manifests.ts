// Stage "parse": text -> documents, with Argo CD's rules for what counts as a document
// (argocd-cmp-contract.md §3e): empty and null documents are dropped, and any object whose `items`
// is an array is a List whose items are flattened. Any parse error fails the whole render.
import { parseAllDocuments, isMap, isSeq, type Document } from 'yaml';
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
  const lineOf = lineCounter(file.text);
  const docs = parseAllDocuments(file.text, K8S_YAML) as unknown as Document.Parsed[];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
      throw new RenderFailure(`invalid YAML: ${firstLine(err.message)}`, `${file.path}:${line}`,
        'fix the syntax; the file must parse as Kubernetes reads YAML (YAML 1.1, no duplicate keys)');
    }
    const contents = doc.contents;
    if (contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS(K8S_TO_JS);
    } catch (e) {
      throw new RenderFailure(`cannot load YAML: ${(e as Error).message}`, `${file.path}:${lineOf(contents.range[0])}`,
        'remove the aliases that expand too often (more than 100 expansions per document is refused)');
    }
    if (value === null || value === undefined) continue;
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
        continue;
      }
      // Argo CD drops a List whose items are null when it has no spec or status.
      if (items === null && !('spec' in value) && !('status' in value)) continue;
    }
    out.push({ value, source: { file: file.path, line } });
  }
}

export function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

/** The yaml package's first message line ends with ":" before a code frame; drop both, since the
 * finding already names file:line and goes on with ". Fix: ...". */
function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/:\s*$/, '');
}
