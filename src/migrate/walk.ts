// The folder `safe-render migrate` rewrites, listed without following anything out of it (issue 13):
// symbolic links are never followed nor replaced (listed as left alone), a Helm chart (a folder with
// Chart.yaml) is not entered, `.git` is skipped and other hidden folders (`.safe-render/` among them)
// are listed as left alone. The walk is bounded in entries and depth: the folder may come from an
// unreviewed pull request.
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors';
import { CONFIG_FILE } from '../config/app-config';
import { KUSTOMIZATION_FILES } from '../render/engines/kustomize';

export const MAX_WALK_ENTRIES = 200_000;
export const MAX_WALK_DEPTH = 64;

export interface LeftAlone {
  /** Relative to the migrated folder, forward slashes; a folder ends with `/`. */
  path: string;
  why: string;
}

export interface WalkResult {
  /** `*.yaml`/`*.yml` regular files (not kustomization files nor safe-render.yaml), sorted. */
  yamlFiles: string[];
  /** Folder (relative, '' for the root) -> the kustomization file names it holds. */
  kustomizations: Map<string, string[]>;
  /** Folder (relative) -> every entry name in it, for collision checks. */
  entries: Map<string, string[]>;
  leftAlone: LeftAlone[];
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);

export function walkFolder(root: string): WalkResult {
  const out: WalkResult = { yamlFiles: [], kustomizations: new Map(), entries: new Map(), leftAlone: [] };
  let seen = 0;
  // An explicit stack: a deep chain of folders must not exhaust the call stack.
  const stack: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  while (stack.length) {
    const { rel, depth } = stack.pop()!;
    if (depth > MAX_WALK_DEPTH)
      throw new UsageError(`${rel}: folders nest deeper than ${MAX_WALK_DEPTH} levels; refusing to walk further`);
    let ents: Dirent[];
    try {
      ents = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (e) {
      throw new UsageError(`cannot list ${rel || '.'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    seen += ents.length;
    if (seen > MAX_WALK_ENTRIES)
      throw new UsageError(`the folder holds more than ${MAX_WALK_ENTRIES} entries; migrate a smaller folder`);
    ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.entries.set(
      rel,
      ents.map((e) => e.name),
    );
    const at = (name: string) => (rel ? `${rel}/${name}` : name);
    if (ents.some((e) => e.name === 'Chart.yaml')) {
      out.leftAlone.push({
        path: rel ? `${rel}/` : './',
        why: 'a Helm chart (Chart.yaml): templates and values are not manifests',
      });
      continue;
    }
    const kust = ents.filter((e) => KUSTOMIZATION_FILES.includes(e.name)).map((e) => e.name);
    if (kust.length) out.kustomizations.set(rel, kust);
    const dirs: string[] = [];
    for (const e of ents) {
      const p = at(e.name);
      if (e.name === '.git') continue;
      if (e.isSymbolicLink()) {
        // lstat, never stat: the link's target may be outside the folder.
        const st = lstatSync(join(root, p));
        if (st.isSymbolicLink())
          out.leftAlone.push({ path: p, why: 'a symbolic link: migrate never follows nor replaces a link' });
        continue;
      }
      if (e.isDirectory()) {
        if (e.name.startsWith('.'))
          out.leftAlone.push({
            path: `${p}/`,
            why: e.name === '.safe-render' ? "safe-render's own folder (locks, freeze)" : 'a hidden folder',
          });
        else dirs.push(p);
        continue;
      }
      if (!e.isFile()) {
        if (isYaml(e.name)) out.leftAlone.push({ path: p, why: 'not a regular file' });
        continue;
      }
      if (e.name === CONFIG_FILE) out.leftAlone.push({ path: p, why: "safe-render's own configuration" });
      else if (e.name.startsWith('.') && isYaml(e.name))
        out.leftAlone.push({ path: p, why: 'a hidden file (no render reads it)' });
      else if (KUSTOMIZATION_FILES.includes(e.name)) continue;
      else if (isYaml(e.name)) out.yamlFiles.push(p);
    }
    for (const d of dirs.reverse()) stack.push({ rel: d, depth: depth + 1 });
  }
  out.yamlFiles.sort();
  return out;
}
