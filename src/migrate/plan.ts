// What `safe-render migrate PATH` would do (issue 13), computed without writing anything: which files
// are split into which new files, which kustomizations are edited, and which files are left alone and
// why. A file is split only when every check passes: it is a plain manifest file (not in a Helm chart,
// not a kustomize patch or generator input, not named by a safe-render.yaml include/exclude, no `{{`),
// each document is a Kubernetes object, the pieces parse to exactly the objects the whole file parses
// to (parseManifests, the stage every render uses), and every kustomization naming it can be edited in
// place. Anything else is left alone and listed: migrate never guesses.
import { dirname, join, posix, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { canonicalJson } from '../util/canonical-json';
import { K8S_MANIFEST_YAML, K8S_TO_JS } from '../util/k8s-yaml';
import { RenderFailure } from '../util/errors';
import { readRepoFile } from '../util/repo-file';
import { isPlainObject, asObject } from '../model/object';
import { parseManifests } from '../parse/parse-manifests';
import {
  contentDocumentCount,
  firstContentLine,
  strictDocumentTexts,
  type StrictDocumentText,
} from '../parse/document-texts';
import { CONFIG_FILE } from '../config/app-config';
import { walkFolder, type LeftAlone } from './walk';
import { editResources, readKustomization, type Kustomization } from './kustomizations';
import { pickName } from './names';
import { existsSync, lstatSync } from 'node:fs';
import { KUSTOMIZATION_FILES } from '../render/engines/kustomize';
import { NO_GUARDS, selectionChecker, type NameGuards } from './name-selectors';

export type { LeftAlone };

export interface NewFile {
  /** Relative to the migrated folder. */
  path: string;
  text: string;
  /** `Kind namespace/name`, for the summary. */
  what: string;
}

export interface Split {
  /** The file being split, relative to the migrated folder. */
  path: string;
  /** Its text when planned: it is read again before anything is removed and must be unchanged. */
  text: string;
  into: NewFile[];
}

export interface KustomizationEdit {
  path: string;
  before: string;
  text: string;
  /** Entries replaced: old file -> new files (relative to the migrated folder). */
  replaced: Array<{ from: string; to: string[] }>;
}

export interface MigratePlan {
  splits: Split[];
  edits: KustomizationEdit[];
  leftAlone: LeftAlone[];
  /** YAML files that hold at most one object (split or not, they need nothing). */
  single: number;
  /** How the repository's Applications were looked for, when it matters (name-selectors.ts). */
  notes: string[];
}

interface Part {
  text: string;
  what: string;
  kind: string;
  namespace: string;
  name: string;
}

const describe = (p: Omit<Part, 'text' | 'what'>) =>
  `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name || '(no name)'}`;

/** Blank lines at either end of a piece go; its own last line ending stays (or is added, in the
 * file's style, when the file ended without one). */
function tidy(text: string, eol: string): string {
  const lines = text.split(/(?<=\n)/);
  while (lines.length && /^[ \t]*\r?\n?$/.test(lines[0]!)) lines.shift();
  while (lines.length && /^[ \t]*\r?\n?$/.test(lines[lines.length - 1]!)) lines.pop();
  const out = lines.join('');
  return out.endsWith('\n') ? out : `${out}${eol}`;
}

const ARGOCD_SKIP_MARKER = '+argocd:skip-file-rendering';

/** The pieces of one file, or why it stays as it is. */
function cutFile(path: string, text: string): { parts: Part[] } | { why: string } {
  if (text.includes('{{')) return { why: 'Go template syntax ({{ ... }}): a template, not a manifest' };
  // Argo CD's directory source skips a whole file holding this marker (argo-cd reposerver/repository/
  // repository.go getPotentiallyValidManifestFile, skipFileRenderingMarker): split, only the piece
  // with the marker would still be skipped and the others would start to be applied.
  if (text.includes(ARGOCD_SKIP_MARKER))
    return { why: `holds ${ARGOCD_SKIP_MARKER}: Argo CD skips the whole file, and would read the pieces without it` };
  const cut = strictDocumentTexts(text);
  if (!cut.ok) return { why: `${cut.reason} (line ${cut.line}); split it by hand` };
  let whole: unknown[];
  try {
    whole = parseManifests([{ path, text }]).map((d) => d.value);
  } catch (e) {
    if (e instanceof RenderFailure) return { why: `does not parse: ${e.message}` };
    throw e;
  }
  const content = cut.docs.filter((d) => !d.blank);
  if (content.length <= 1) return { parts: [] };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const parts: Part[] = [];
  let pending = '';
  for (const d of cut.docs) {
    if (d.blank) {
      // A comment between documents (a header, a note before the next object) stays with the
      // object after it; trailing comments with the last object.
      pending += d.text.endsWith('\n') ? d.text : `${d.text}${eol}`;
      continue;
    }
    const part = objectPart(d);
    if ('why' in part) return part;
    parts.push({ ...part, text: pending + d.text });
    pending = '';
  }
  if (pending) {
    const last = parts[parts.length - 1]!;
    last.text = `${last.text.endsWith('\n') ? last.text : `${last.text}${eol}`}${pending}`;
  }
  for (const p of parts) p.text = tidy(p.text, eol);
  // The pieces must be, object for object, what the whole file is.
  let pieces: unknown[];
  try {
    pieces = parts.flatMap((p) => parseManifests([{ path, text: p.text }]).map((d) => d.value));
  } catch {
    return { why: 'its documents do not parse on their own; split it by hand' };
  }
  if (canonicalJson(pieces) !== canonicalJson(whole))
    return { why: 'its documents mean something else on their own; split it by hand' };
  return { parts };
}

function objectPart(d: StrictDocumentText): Omit<Part, 'text'> | { why: string } {
  const line = firstContentLine(d);
  let value: unknown;
  try {
    const docs = parseAllDocuments(d.text, K8S_MANIFEST_YAML);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length !== 1 || list[0]!.errors.length)
      return { why: `the document at line ${line} does not parse alone` };
    value = list[0]!.toJS(K8S_TO_JS) as unknown;
  } catch {
    return { why: `the document at line ${line} does not parse alone` };
  }
  if (value === null || value === undefined)
    return { why: `the document at line ${line} is empty (~ or null); remove it, then migrate` };
  const o = isPlainObject(value) ? value : undefined;
  if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || o.kind === '')
    return { why: `the document at line ${line} is not a Kubernetes object (no apiVersion and kind)` };
  const meta = asObject(o.metadata);
  // A name YAML read as a number or boolean (`name: 1`, `name: y`) still names the file by its text.
  const text = (v: unknown) => (['string', 'number', 'boolean', 'bigint'].includes(typeof v) ? String(v) : undefined);
  const name = text(meta.name) ?? text(meta.generateName) ?? '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const p = { kind: o.kind, namespace, name };
  return { ...p, what: describe(p) };
}

/** Folders whose safe-render.yaml selects files by name: a new name could fall out of (or into) the
 * selection, so their files (and those below) stay. */
function filteredFolders(root: string, files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (posix.basename(f) !== CONFIG_FILE) continue;
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    try {
      const text = readRepoFile(root, join(root, f), { shown: f, kind: 'config' });
      const doc = parseAllDocuments(text)[0]?.toJS() as unknown;
      const o = asObject(doc);
      if ('include' in o || 'exclude' in o) out.add(dir);
    } catch {
      out.add(dir);
    }
  }
  return out;
}

/** Levels above the migrated folder searched for a kustomization that names a file inside it. */
const MAX_ANCESTORS = 32;

/** Files of the migrated folder that a kustomization ABOVE it names (up to the repository root, the
 * folder holding .git): migrate edits nothing outside the folder it was given, so those files stay. */
function namedFromAbove(root: string, files: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  let dir = root;
  for (let i = 0; i < MAX_ANCESTORS && !existsSync(join(dir, '.git')); i++) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
    const rel = relative(dir, root).split(sep).join('/');
    const seen = new Set([...files].map((f) => `${rel}/${f}`));
    for (const name of KUSTOMIZATION_FILES) {
      const abs = join(dir, name);
      if (!existsSync(abs) || lstatSync(abs).isSymbolicLink()) continue;
      let k: Kustomization;
      try {
        k = readKustomization(name, readRepoFile(dir, abs, { shown: abs, kind: 'kustomization' }), seen);
      } catch {
        continue;
      }
      const shown = relative(root, abs).split(sep).join('/');
      for (const r of k.resources) if (r.file) out.set(r.file.slice(rel.length + 1), shown);
      for (const f of k.otherRefs.keys()) out.set(f.slice(rel.length + 1), shown);
    }
  }
  return out;
}

const under = (dir: string, f: string) => dir === '' || f === dir || f.startsWith(`${dir}/`);

/** `guards`: the repository's Applications that select files by name (src/ci/name-selectors.ts finds
 * them; the command hands them in, as migrate sits below ci). */
export function planMigration(root: string, guards: NameGuards = NO_GUARDS): MigratePlan {
  const walk = walkFolder(root);
  const leftAlone: LeftAlone[] = [...walk.leftAlone];
  const files = new Set(walk.yamlFiles);
  const configs = leftAlone.filter((l) => posix.basename(l.path) === CONFIG_FILE).map((l) => l.path);
  const filtered = filteredFolders(root, configs);

  const kusts: Kustomization[] = [];
  const severalKusts = new Set<string>();
  for (const [dir, names] of walk.kustomizations) {
    if (names.length > 1) {
      severalKusts.add(dir);
      continue;
    }
    const path = dir ? `${dir}/${names[0]}` : names[0]!;
    const abs = join(root, path);
    if (lstatSync(abs).isSymbolicLink()) {
      kusts.push({ path, dir, text: '', resources: [], otherRefs: new Map(), notEditable: 'it is a symbolic link' });
      continue;
    }
    try {
      const text = readRepoFile(root, abs, { shown: path, kind: 'kustomization' });
      kusts.push(readKustomization(path, text, files));
    } catch (e) {
      if (!(e instanceof RenderFailure)) throw e;
      kusts.push({ path, dir, text: '', resources: [], otherRefs: new Map(), notEditable: e.message });
    }
  }
  const kustIn = new Map(kusts.map((k) => [k.dir, k]));
  const above = namedFromAbove(root, files);

  let single = 0;
  const planned = new Map<string, { text: string; parts: Part[] }>();
  for (const f of walk.yamlFiles) {
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    // A file that stays for what it is (a patch, a file no kustomization lists...) is listed only when
    // it holds more than one object: the list is what a person still has to look at.
    const skip = (why: string) => {
      let count: number | undefined;
      try {
        count = contentDocumentCount(readRepoFile(root, join(root, f), { shown: f, kind: 'manifest' }))?.count;
      } catch {
        count = undefined;
      }
      if (count !== undefined && count <= 1) single++;
      else leftAlone.push({ path: f, why });
    };
    const filter = [...filtered].find((d) => under(d, f));
    if (filter !== undefined) {
      skip(`${filter ? `${filter}/` : ''}${CONFIG_FILE} selects files by name (include/exclude)`);
      continue;
    }
    const fromAbove = above.get(f);
    if (fromAbove) {
      skip(`${fromAbove}, outside the migrated folder, names it; migrate that folder instead`);
      continue;
    }
    if (severalKusts.has(dir)) {
      skip('its folder has more than one kustomization file');
      continue;
    }
    const other = kusts.find((k) => k.otherRefs.has(f));
    if (other) {
      skip(`${other.path} uses it in \`${other.otherRefs.get(f)}\`, not as a resources entry`);
      continue;
    }
    const refs = kusts.filter((k) => k.resources.some((r) => r.file === f));
    const blocked = kusts.find((k) => k.notEditable && (refs.includes(k) || k.dir === dir));
    if (blocked) {
      skip(`${blocked.path} cannot be edited in place: ${blocked.notEditable}`);
      continue;
    }
    const own = kustIn.get(dir);
    if (own && refs.length === 0) {
      skip(`in a kustomize folder, but not listed in ${own.path} resources`);
      continue;
    }
    let text: string;
    try {
      text = readRepoFile(root, join(root, f), { shown: f, kind: 'manifest' });
    } catch (e) {
      if (!(e instanceof RenderFailure)) throw e;
      leftAlone.push({ path: f, why: e.message });
      continue;
    }
    const cut = cutFile(f, text);
    if ('why' in cut) {
      const count = contentDocumentCount(text)?.count;
      if (count !== undefined && count <= 1) single++;
      else leftAlone.push({ path: f, why: cut.why });
    } else if (cut.parts.length === 0) single++;
    else planned.set(f, { text, parts: cut.parts });
  }

  // Kustomization edits; a kustomization that cannot be spliced keeps every file it names.
  const edits: KustomizationEdit[] = [];
  const names = new Map<string, string[]>();
  const taken = new Map<string, Set<string>>();
  for (const [f, p] of planned) {
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    let t = taken.get(dir);
    if (!t) taken.set(dir, (t = new Set((walk.entries.get(dir) ?? []).map((n) => n.toLowerCase()))));
    names.set(
      f,
      p.parts.map((part) => pickName({ ...part, ext: posix.extname(f) }, t!)),
    );
  }
  // An Application that selects files by name must select the new files exactly as the old one
  // (deleting the entry being visited is safe while iterating a Map).
  const selection = selectionChecker(guards);
  for (const f of planned.keys()) {
    const why = selection.verdict(f, names.get(f)!);
    if (why === undefined) continue;
    planned.delete(f);
    names.delete(f);
    leftAlone.push({ path: f, why });
  }
  for (let changed = true; changed;) {
    changed = false;
    edits.length = 0;
    for (const k of kusts) {
      const replace = new Map<string, string[]>();
      for (const r of k.resources) if (r.file && names.has(r.file)) replace.set(r.file, names.get(r.file)!);
      if (replace.size === 0) continue;
      const text = editResources(k, replace);
      if (text === undefined) {
        for (const f of replace.keys()) {
          names.delete(f);
          planned.delete(f);
          leftAlone.push({ path: f, why: `${k.path} resources cannot be edited in place` });
        }
        changed = true;
        break;
      }
      const dirOf = (f: string) => (posix.dirname(f) === '.' ? '' : `${posix.dirname(f)}/`);
      edits.push({
        path: k.path,
        before: k.text,
        text,
        replaced: [...replace].map(([from, to]) => ({ from, to: to.map((n) => `${dirOf(from)}${n}`) })),
      });
    }
  }
  const splits: Split[] = [...planned].map(([path, p]) => {
    const dir = posix.dirname(path) === '.' ? '' : `${posix.dirname(path)}/`;
    const n = names.get(path)!;
    return {
      path,
      text: p.text,
      into: p.parts.map((part, i) => ({ path: `${dir}${n[i]}`, text: part.text, what: part.what })),
    };
  });
  leftAlone.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { splits, edits, leftAlone, single, notes: [...(guards.notes ?? [])] };
}
