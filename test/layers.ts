// The layer order of src/ (issue 10, "Imports point one way"), and a scanner of the import edges between
// its top-level folders. test/layers.test.ts asserts every edge points down; docs/development/engines.md
// explains the order. The ESLint rules (restricted imports) enforce the same table; this stays as the
// backstop that also prints the whole edge list.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Bottom first. A folder may import its own files and any folder of a lower tier; folders of one tier
 * may import each other. The order is the data flow, context -> render -> parse -> check -> emit, with
 * the vocabulary every stage shares at the bottom and the process edge at the top:
 *   util      no knowledge of Kubernetes objects or of safe-render's stages (errors, file names, YAML
 *             as Kubernetes reads it, guarded file reads and writes, sorting)
 *   model     the shapes that flow through the pipeline and the facts about Kubernetes (identity,
 *             scopes, scope resolution, findings, the rule catalog)
 *   report    one line per finding or render failure, the one formatter every stage prints with
 *   context   which app, from Argo CD's environment or the flags (reads plugin parameters)
 *   config    safe-render.yaml and the platform policy (applies the context's parameters)
 *   render    the app folder through its engine into text sources
 *   parse     text sources into documents
 *   lock      the lock file: read, diff, snapshot, acceptance (no rules)
 *   appset    an ApplicationSet's generators evaluated offline into the Applications they yield
 *   checks    the rules, comparing the render with the lock
 *   emit      the objects to stdout or an output folder
 *   migrate   a folder's own manifest files rewritten in place, one object per file (issue 13): reads
 *             with parse, kustomizations with render's reader; needs no app, pipeline or tool
 *   pipeline  running one app through the stages, as a library
 *   ci        every app of a repository: discovery, a pool of runApp calls, cross-app checks, shards,
 *             and the CI report with its output formats (json, sarif, junit, markdown, github)
 *   diff      two renders of an app compared: objects removed, added, changed, Secrets redacted, and
 *             the text, markdown and json writers of the comparison; revisions read into scratch folders
 *   commands, cli  flags, calling in, printing: the process edge (src/cli.ts counts as cli) */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['util'],
  ['model'],
  ['report'],
  ['context'],
  ['config'],
  ['render'],
  ['parse'],
  ['lock'],
  ['appset'],
  ['checks'],
  ['emit'],
  ['migrate'],
  ['pipeline'],
  ['ci'],
  ['diff'],
  ['commands', 'cli'],
];

export interface ImportEdge {
  /** Files relative to the source root, with forward slashes. */
  file: string;
  target: string;
  from: string;
  to: string;
}

const posix = (p: string) => p.split(sep).join('/');

/** The top-level folder a file belongs to: `render` for render/engines/helm.ts, `cli` for cli.ts. */
export function folderOf(rel: string): string {
  const first = rel.split('/')[0]!;
  return rel.includes('/') ? first : first.replace(/\.[cm]?[jt]s$/, '');
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    // Tests are not shipped and may reach across layers to check a round trip (parse then emit).
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Static imports and re-exports (`import ... from`, `export ... from`, `import '...'`) and dynamic
 * `import('...')` of relative paths. */
const IMPORT =
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]*)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/gm;

/** Every import between two different top-level folders of `srcRoot`. */
export function importEdges(srcRoot: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const abs of sourceFiles(srcRoot)) {
    const file = posix(relative(srcRoot, abs));
    const text = readFileSync(abs, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      const target = posix(relative(srcRoot, resolve(dirname(abs), spec)));
      if (target.startsWith('..')) {
        edges.push({ file, target, from: folderOf(file), to: '(outside src)' });
        continue;
      }
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) edges.push({ file, target, from, to });
    }
  }
  return edges;
}

export function tierOf(folder: string): number {
  return LAYERS.findIndex((tier) => tier.includes(folder));
}

/** Why an edge breaks the layering, or undefined when it points down (or within a tier). */
export function violation(e: ImportEdge): string | undefined {
  const from = tierOf(e.from);
  const to = tierOf(e.to);
  if (from < 0)
    return `${e.file}: folder "${e.from}" is not in the layer table (test/layers.ts); add it at its place in the data flow`;
  if (to < 0) return `${e.file} imports ${e.target}: "${e.to}" is not in the layer table (test/layers.ts)`;
  if (to > from)
    return `${e.file} imports ${e.target}: ${e.from} may not import ${e.to}, a layer above it (order, bottom first: ${LAYERS.map((t) => t.join('/')).join(' < ')})`;
  return undefined;
}
