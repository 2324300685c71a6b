// The kustomization files of the migrated folder: which files each one names, and how (issue 13). A file
// named only as a `resources` entry may be split, and the entry is replaced by the new files in the same
// order; a file named anywhere else (patches, patchesStrategicMerge, components, generators,
// configurations, crds, ...) is left alone: kustomize reads those as something other than a list of
// objects (a patch file with several documents is several patches), so splitting it would change what
// it means. The kustomization is read as kustomize reads it (KView: keys folded as encoding/json folds
// them, merge keys and aliases followed), so no reference hides from the check.
//
// The edit is a splice of the file's text at the entry's own characters, so every comment, quote and
// indent of the kustomization stays as it was; the result is parsed again and must list exactly the
// expected resources, or the kustomization is not edited and its files are left alone.
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node, type Scalar } from 'yaml';
import { KView } from '../render/engines/kustomization-yaml';
import { nestingProblem } from '../util/yaml-depth';

export interface ResourceEntry {
  /** The entry as written. */
  value: string;
  /** The file it names, relative to the migrated folder; undefined for a folder, URL or a path outside. */
  file?: string;
  node: Scalar;
}

export interface Kustomization {
  /** Relative to the migrated folder. */
  path: string;
  dir: string;
  text: string;
  /** Files (relative to the migrated folder) named as `resources` entries. */
  resources: ResourceEntry[];
  /** Files named anywhere else, with the field they appear in. */
  otherRefs: Map<string, string>;
  /** `resources: [a, b]` rather than a block list. */
  flow?: boolean;
  /** Why its resources cannot be edited (aliases, merge keys, an odd layout); undefined when they can. */
  notEditable?: string;
}

/** The file a kustomization string names, relative to the migrated folder, if it names one there. */
function refersTo(dir: string, value: string, files: ReadonlySet<string>): string | undefined {
  if (value === '' || value.includes('\n') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('/'))
    return undefined;
  const p = posix.normalize(posix.join(dir, value));
  return files.has(p) ? p : undefined;
}

export function readKustomization(path: string, text: string, files: ReadonlySet<string>): Kustomization {
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  const k: Kustomization = { path, dir, text, resources: [], otherRefs: new Map() };
  const deep = nestingProblem(text);
  if (deep) return { ...k, notEditable: `it ${deep}` };
  const docs = parseAllDocuments(text, { uniqueKeys: false, merge: true, prettyErrors: false });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
  if (list.some((d) => d.errors.length)) return { ...k, notEditable: 'it does not parse as YAML' };
  if (list.length !== 1) return { ...k, notEditable: 'it holds several YAML documents' };
  const doc = list[0]!;
  const view = new KView(doc, doc.contents as Node | null);
  const candidates = view.get('resources');
  const resourceNodes = new Set<unknown>();
  for (const c of view.list('resources')) resourceNodes.add(c.node);
  // Every string of the file that names one of our files, and where.
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const collect = (n: unknown) => {
        if (isScalar(n) && typeof n.value === 'string' && !resourceNodes.has(n)) {
          const f = refersTo(dir, n.value, files);
          if (f && !k.otherRefs.has(f)) k.otherRefs.set(f, key || 'a field');
        }
      };
      collect(pair.value);
      if (isSeq(pair.value)) pair.value.items.forEach(collect);
      return undefined;
    },
    Seq(_, seq) {
      for (const item of seq.items)
        if (isScalar(item) && typeof item.value === 'string' && !resourceNodes.has(item)) {
          const f = refersTo(dir, item.value, files);
          if (f && !k.otherRefs.has(f)) k.otherRefs.set(f, 'a list');
        }
      return undefined;
    },
  });
  // Editable only in the plain layout: one top-level `resources` key (exactly that spelling) whose value
  // is a list of plain or quoted strings written in place (no alias, anchor or merge key).
  const top = doc.contents;
  const direct = isMap(top) ? top.items.filter((p) => isScalar(p.key) && p.key.value === 'resources') : [];
  const seq = direct[0]?.value;
  if (candidates.length === 0) return k;
  if (candidates.length !== 1 || direct.length !== 1 || !isSeq(seq) || candidates[0]!.node !== seq)
    return { ...k, notEditable: '`resources` is not one plain list (aliases, merge keys or several spellings)' };
  k.flow = seq.flow === true;
  for (const item of seq.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || item.anchor || !item.range)
      return { ...k, notEditable: 'a `resources` entry is not a plain string' };
    k.resources.push({ value: item.value, file: refersTo(dir, item.value, files), node: item });
  }
  return k;
}

/** The entry text for `name` beside an entry written as `like` (same folder prefix, same quoting). */
function entryFor(like: ResourceEntry, name: string, text: string): string {
  const slash = like.value.lastIndexOf('/');
  const value = slash < 0 ? name : `${like.value.slice(0, slash + 1)}${name}`;
  const src = text.slice(like.node.range![0], like.node.range![1]);
  if (src.startsWith('"')) return JSON.stringify(value);
  if (src.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  // New names are [a-z0-9._-] (names.ts) under the entry's own folder prefix: plain is safe unless the
  // prefix needed quotes, and then it is quoted above.
  return value;
}

/** The kustomization's text with each entry naming a key of `replace` replaced by the new file names
 * (in order); undefined when the splice cannot be done in place (the caller leaves the files alone). */
export function editResources(k: Kustomization, replace: ReadonlyMap<string, readonly string[]>): string | undefined {
  const { text } = k;
  const edits: Array<{ start: number; end: number; insert: string }> = [];
  for (const e of k.resources) {
    const names = e.file === undefined ? undefined : replace.get(e.file);
    if (!names) continue;
    const [start, end] = e.node.range!;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const prefix = text.slice(lineStart, start);
    if (k.flow) {
      // `resources: [a.yaml, b.yaml]`: the new names, comma-separated, where the old one stood.
      if (!/[[,]$/.test(text.slice(0, start).trimEnd())) return undefined;
      edits.push({ start, end, insert: names.map((n) => entryFor(e, n, text)).join(', ') });
      continue;
    }
    // `  - a.yaml  # note`: the first name in place, one more line per name after the entry's line.
    if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
    const lineEnd = text.indexOf('\n', end);
    const eol = lineEnd < 0 ? '' : text[lineEnd - 1] === '\r' ? '\r\n' : '\n';
    const more = names
      .slice(1)
      .map((n) => `${prefix}${entryFor(e, n, text)}${eol || '\n'}`)
      .join('');
    edits.push({ start, end, insert: entryFor(e, names[0]!, text) });
    if (more) {
      const at = lineEnd < 0 ? text.length : lineEnd + 1;
      edits.push({ start: at, end: at, insert: lineEnd < 0 ? `\n${more}` : more });
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = `${out.slice(0, e.start)}${e.insert}${out.slice(e.end)}`;
  // The edit must mean exactly the expected list and nothing else.
  const expected = k.resources.flatMap((e) => {
    const names = e.file === undefined ? undefined : replace.get(e.file);
    if (!names) return [e.value];
    const slash = e.value.lastIndexOf('/');
    return names.map((n) => (slash < 0 ? n : `${e.value.slice(0, slash + 1)}${n}`));
  });
  const again = parseAllDocuments(out, { uniqueKeys: false, merge: true, prettyErrors: false });
  const d = (Array.isArray(again) ? again : [again]) as Document.Parsed[];
  if (d.length !== 1 || d[0]!.errors.length) return undefined;
  const before = parseAllDocuments(text, { uniqueKeys: false, merge: true })[0]?.toJS() as Record<string, unknown>;
  const after = d[0]!.toJS() as Record<string, unknown>;
  if (JSON.stringify(after.resources) !== JSON.stringify(expected)) return undefined;
  if (JSON.stringify({ ...after, resources: null }) !== JSON.stringify({ ...before, resources: null }))
    return undefined;
  return out;
}
