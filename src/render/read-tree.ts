// The only place that reads the app directory. Hidden entries (.git, .safe-render, ...) are never
// read, and nothing outside the repository root is ever opened, even through a symlink.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RenderFailure } from '../util/errors';
import { isInside, readRepoFile } from '../util/repo-file';
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES, MAX_TREE_DEPTH } from './limits';
import type { SourceFile } from '../model/object';

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export { isInside };

/** Lists files under `appDir` (relative paths), descending into folders only when `recurse`.
 * Linear in the size of the tree (issue 9 §6: resolving every folder's real path from the root made a
 * chain of nested folders cost the cube of its depth): a folder's real path is its parent's plus its
 * name, and only a symlink is resolved; and at most MAX_TREE_DEPTH levels deep. */
export function listFiles(appDir: string, repoRoot: string, recurse: boolean): string[] {
  const realRoot = realpathSync(repoRoot);
  // Errors name paths from the repository root, like every other location safe-render prints.
  const prefix = toPosix(relative(repoRoot, appDir));
  const shown = (rel: string) => (prefix ? (rel ? `${prefix}/${rel}` : prefix) : rel || '.');
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, real: string, rel: string, depth: number) => {
    if (seen.has(real)) return; // a symlink loop back into the tree
    seen.add(real);
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      if (ent.name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${ent.name}` : ent.name;
      const abs = join(dir, ent.name);
      let childReal = join(real, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        try {
          childReal = realpathSync.native(abs);
        } catch {
          throw new RenderFailure('symlink points to nothing', shown(relPath), 'remove the broken link');
        }
        if (!isInside(realRoot, childReal)) throw escape(shown(relPath), childReal);
        const st = statSync(childReal);
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir && recurse) {
        if (depth >= MAX_TREE_DEPTH) throw tooDeep(shown(relPath));
        walk(abs, childReal, relPath, depth + 1);
      } else if (isFile) out.push(relPath);
    }
  };
  const realApp = realpathSync.native(appDir);
  if (!isInside(realRoot, realApp)) throw escape(shown(''), realApp);
  walk(appDir, realApp, '', 0);
  return out;
}

function tooDeep(rel: string): RenderFailure {
  return new RenderFailure(
    `folders nest more than ${MAX_TREE_DEPTH} levels deep here, over safe-render's limit for one app`,
    rel,
    'flatten the folder tree, or exclude the deep folder in safe-render.yaml (recurse reads every level)',
  );
}

function escape(rel: string, target: string): RenderFailure {
  return new RenderFailure(
    `symlink leads outside the repository (to ${target})`,
    rel,
    'replace the link with the file itself; safe-render never reads outside the repository',
  );
}

/** Reads files as strict UTF-8 text within the size limits, through the one guarded reader
 * (src/util/repo-file.ts). `displayPrefix` makes paths repo-relative; `repoRoot` is the boundary. */
export function readSources(
  appDir: string,
  relPaths: readonly string[],
  displayPrefix: string,
  repoRoot: string,
): SourceFile[] {
  let total = 0;
  return relPaths.map((rel) => {
    const shown = displayPrefix ? `${displayPrefix}/${rel}` : rel;
    const abs = join(appDir, rel);
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) {
      throw new RenderFailure(
        `file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit for one manifest file`,
        shown,
        'split it into smaller files, or exclude it in safe-render.yaml if it is not a manifest',
      );
    }
    total += size;
    if (total > MAX_TOTAL_BYTES) {
      throw new RenderFailure(
        `the app's manifests exceed ${MAX_TOTAL_BYTES / 1048576} MiB, Argo CD's default limit for one render`,
        shown,
        'split the app into several Applications',
      );
    }
    const text = readRepoFile(repoRoot, abs, {
      shown,
      kind: 'manifest',
      maxBytes: MAX_FILE_BYTES,
      fix: 'remove it, or exclude it in safe-render.yaml',
    });
    return { path: shown, text };
  });
}
