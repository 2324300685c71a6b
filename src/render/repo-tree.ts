// The repository as Argo CD's ApplicationSet git generators see it (contract §10): the directory
// generator walks the checkout with filepath.WalkDir (reposerver `GetGitDirectories`), which never
// follows a symlink and lists only real folders; the files generator lists what `git ls-files` lists,
// which includes hidden files and symlinks (as files). Hidden folders are listed here too: whether
// they count depends on the repo-server's `--include-hidden-directories`, which the rule reads from the
// platform policy. Only `.git` is left out, the way git never lists its own folder.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's folders and files, relative to its root with forward slashes. */
export interface RepoTree {
  dirs: readonly string[];
  files: readonly string[];
}

export function listRepoTree(repoRoot: string): RepoTree {
  const dirs: string[] = [];
  const files: string[] = [];
  // An explicit stack: a deep chain of folders must not exhaust the call stack (issue 9 §6).
  const stack: [abs: string, rel: string][] = [[repoRoot, '']];
  while (stack.length) {
    const [abs, rel] = stack.pop()!;
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
      if (ent.name === '.git') continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        dirs.push(r);
        stack.push([join(abs, ent.name), r]);
      } else if (ent.isFile() || ent.isSymbolicLink()) files.push(r);
    }
  }
  return { dirs, files };
}
