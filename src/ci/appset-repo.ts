// The repository an ApplicationSet's git generators read offline, for `ci` and for `migrate`'s search
// for Applications that select files by name: its file list (read once, when a generator first needs
// it) and its files through the guarded reader, a file that cannot be read being absent.
import { join } from 'node:path';
import type { AppSetRepo } from '../appset/generate';
import { listRepoTree, type RepoTree } from '../render/repo-tree';
import { readRepoFile } from '../util/repo-file';

export function appSetRepoAt(root: string, repoURL: string): AppSetRepo {
  let tree: RepoTree | undefined;
  return {
    repoURL,
    tree: () => (tree ??= listRepoTree(root)),
    readFile: (rel) => {
      try {
        return readRepoFile(root, join(root, rel), { shown: rel, kind: 'values' });
      } catch {
        return undefined;
      }
    },
  };
}
