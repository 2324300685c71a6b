// The repository's folders as Argo CD's git directory generator lists them (reposerver
// repository.go GetGitDirectories: filepath.WalkDir over the checkout).
import type { ArgoInstall } from '../config/platform-policy';
import type { RepoTree } from '../render/repo-tree';
import { goStringCompare } from './go-value';

/** A folder the directory generator lists: WalkDir skips hidden folders and all below them unless the
 * repo-server runs with --include-hidden-directories. */
export const visibleDir = (d: string, install: ArgoInstall): boolean =>
  install.applicationSet?.includeHiddenDirectories === true || !d.split('/').some((c) => c.startsWith('.'));

/** Folders that hold a file at some depth. Git records files, not folders: a folder that is empty
 * here (or holds only empty folders) does not exist in Argo CD's checkout, so it generates nothing. */
const populatedCache = new WeakMap<RepoTree, Set<string>>();
export function populatedDirs(tree: RepoTree): Set<string> {
  let set = populatedCache.get(tree);
  if (!set) {
    set = new Set<string>();
    for (const f of tree.files) {
      for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
        const d = f.slice(0, i);
        if (set.has(d)) break;
        set.add(d);
      }
    }
    populatedCache.set(tree, set);
  }
  return set;
}

/** WalkDir's order: depth first, each folder's entries by name (bytewise). */
export function walkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = goStringCompare(x[i]!, y[i]!);
    if (c) return c;
  }
  return x.length - y.length;
}

/** The folders GetGitDirectories returns, in its order. */
export function gitDirectories(tree: RepoTree, install: ArgoInstall): string[] {
  const populated = populatedDirs(tree);
  return tree.dirs.filter((d) => populated.has(d) && visibleDir(d, install)).sort(walkOrder);
}
