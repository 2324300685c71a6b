// Argo CD Applications that choose files by name (issue 13, migrate): a directory source with
// `directory.include` / `directory.exclude` (and a plugin source with include/exclude parameters)
// renders the files whose path under the app folder its globs select. Splitting `all.yaml` into
// `deployment-web.yaml`, ... changes those paths: `include: all.yaml` would render nothing (and, with
// auto-prune, Argo CD deletes the workload), `exclude: service-*.yaml` would newly drop a file. A file
// is split only when every new name is selected exactly as the old one was, decided with Argo CD's own
// matching (util/argo-glob.ts); anything we cannot decide leaves the file alone. Which Applications
// exist is ci's discovery (src/ci/name-selectors.ts); this is the pure decision.
import { posix } from 'node:path';
import { argoGlobMatch } from '../util/argo-glob';
import { excerpt } from '../util/repo-file';
import { UsageError } from '../util/errors';

export interface NameSelector {
  /** Who selects, as shown: `Application web`, `Application web (ApplicationSet apps)`. */
  app: string;
  /** The folder the source renders, relative to the repository root ('' for the root). */
  dir: string;
  /** Argo CD's `directory.recurse`: without it only the folder's own files are read. */
  recurse: boolean;
  /** The field, as shown: `directory.include`, `sources[1].directory.exclude`, `plugin parameter include`. */
  field: string;
  /** The glob as written (a value that is not a string: its JSON). */
  glob: string;
  /** Matched with Argo CD's glob (directory sources); a plugin's globs are the plugin's business, never decided. */
  argoGlob: boolean;
}

/** An Application that may select files by name where we cannot tell which: an ApplicationSet that
 * could not be evaluated offline, or any selector when the repository's root is unknown. It could
 * cover any file of the repository. */
export interface UnknownSelector {
  app: string;
  /** Completes `<app> ...`: `could not be evaluated offline (...) and may ...`. */
  why: string;
}

export interface NameGuards {
  /** The migrated folder relative to the repository root ('' when it is the root). */
  rootInRepo: string;
  selectors: NameSelector[];
  unknown: UnknownSelector[];
  /** What the person should know about how the Applications were found (no repository, no origin). */
  notes?: string[];
}

export const NO_GUARDS: NameGuards = { rootInRepo: '', selectors: [], unknown: [] };

/** The path Argo CD matches (relative to the app folder), or undefined when the source does not read
 * the file: outside its folder, or below it without recurse (repository.go getPotentiallyValidManifests
 * skips every sub-folder unless `recurse`). */
export function pathUnder(s: Pick<NameSelector, 'dir' | 'recurse'>, repoRel: string): string | undefined {
  let rel: string;
  if (s.dir === '') rel = repoRel;
  else if (repoRel.startsWith(`${s.dir}/`)) rel = repoRel.slice(s.dir.length + 1);
  else return undefined;
  if (!s.recurse && rel.includes('/')) return undefined;
  return rel;
}

const shownGlob = (s: NameSelector) =>
  `${excerpt(s.app, 120)} selects files by name (${s.field}: ${excerpt(s.glob, 120)})`;

/** Selectors a run weighs at most: they come from the repository's files (an Application may list
 * many sources), and each planned file is checked against those of its folder and the ones above. */
export const MAX_NAME_SELECTORS = 10_000;

export interface SelectionChecker {
  /** Why `file` (relative to the migrated folder) must stay rather than become `newNames` (file names
   * in the same folder), or undefined when no Application's selection changes. */
  verdict(file: string, newNames: readonly string[]): string | undefined;
}

/** The guards indexed by the folder each selector renders, so that a file is checked only against the
 * selectors of its own folder and its ancestors (no files x selectors scan). */
export function selectionChecker(g: NameGuards): SelectionChecker {
  if (g.selectors.length > MAX_NAME_SELECTORS)
    throw new UsageError(
      `the repository's Applications set directory include/exclude ${g.selectors.length} times, more than the ${MAX_NAME_SELECTORS} migrate weighs; migrate a repository with fewer, or split it by hand`,
    );
  const byDir = new Map<string, NameSelector[]>();
  for (const s of g.selectors) {
    const list = byDir.get(s.dir);
    if (list) list.push(s);
    else byDir.set(s.dir, [s]);
  }
  return {
    verdict(file, newNames) {
      if (g.unknown.length) {
        const u = g.unknown[0]!;
        return `${excerpt(u.app, 120)} ${u.why}; migrate does not guess`;
      }
      const repoRel = g.rootInRepo ? `${g.rootInRepo}/${file}` : file;
      const parts = repoRel.split('/');
      // '' (the root), then each ancestor folder down to the file's own.
      for (let i = 0; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        for (const s of byDir.get(dir) ?? []) {
          const why = selectorVerdict(s, repoRel, newNames);
          if (why !== undefined) return why;
        }
      }
      return undefined;
    },
  };
}

/** One selector's reason to keep the file, or undefined. */
function selectorVerdict(s: NameSelector, repoRel: string, newNames: readonly string[]): string | undefined {
  const rel = pathUnder(s, repoRel);
  if (rel === undefined) return undefined;
  if (!s.argoGlob) return `${shownGlob(s)}; migrate cannot tell how a new name would match it`;
  const dir = posix.dirname(rel) === '.' ? '' : `${posix.dirname(rel)}/`;
  const was = argoGlobMatch(s.glob, rel);
  if (was === undefined) return `${shownGlob(s)}; migrate cannot decide exactly how Argo CD matches this glob`;
  for (const n of newNames) {
    const now = argoGlobMatch(s.glob, `${dir}${n}`);
    if (now === undefined) return `${shownGlob(s)}; migrate cannot decide exactly how Argo CD matches this glob`;
    if (now !== was)
      return `${shownGlob(s)}; a new name would ${was ? 'fall out of it' : 'fall into it'} (${excerpt(n, 120)})`;
  }
  return undefined;
}

/** `selectionChecker(g).verdict(file, newNames)`, for one file. */
export function nameSelectionVerdict(g: NameGuards, file: string, newNames: readonly string[]): string | undefined {
  return selectionChecker(g).verdict(file, newNames);
}
