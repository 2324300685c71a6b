// The tools read only the repository (issue 9 §3). helm follows symlinks anywhere in a chart folder
// (templates, files read by .Files.Get or .Files.Glob, subcharts in charts/), and kustomize's helm
// inflation hands helm a chart folder the same way: an outside file's content came out in a
// ConfigMap. Before a tool runs, every entry of the tree it may read is checked, hidden ones included
// (helm reads them too), and a symlink whose target leaves the repository is refused, as it is for
// plain manifests (read-tree.ts).
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { RenderFailure } from '../../util/errors';
import { isInside, toPosix } from '../read-tree';

/** More entries than any chart has: a bound on the walk, not a limit anyone should meet. */
const MAX_ENTRIES = 200_000;

/** Refuses a symlink under `dir` (or `dir` itself) that leads outside `repoRoot`. Links that stay
 * inside are followed (their targets are walked too, once); `.git` is skipped, since a commit cannot
 * put links in it. `what` says which tool reads the tree, for the message. */
export function checkTreeInsideRepo(dir: string, repoRoot: string, what: string): void {
  const realRoot = realpathSync(repoRoot);
  const seen = new Set<string>();
  let entries = 0;
  const refuse = (abs: string): never => {
    throw new RenderFailure(
      `symlink leads outside the repository; ${what} would read it`,
      toPosix(relative(repoRoot, abs)) || '.',
      'replace the link with the file itself; safe-render and the tools it runs never read outside the repository',
    );
  };
  const walk = (abs: string) => {
    if (++entries > MAX_ENTRIES)
      throw new RenderFailure(
        `more than ${MAX_ENTRIES} files and folders under the folder ${what} reads`,
        toPosix(relative(repoRoot, dir)) || '.',
        'keep charts small',
      );
    let st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(abs);
      } catch {
        // A dangling link: refuse it when it points out, since the target could appear later (in
        // the sidecar, /proc or a mounted volume); one that points inside is the tool's problem.
        if (!isInside(realRoot, resolve(realpathSync(dirname(abs)), readlinkSync(abs)))) refuse(abs);
        return;
      }
      if (!isInside(realRoot, real)) refuse(abs);
      st = statSync(real);
      if (!st.isDirectory()) return;
      abs = real;
    }
    if (!st.isDirectory()) return;
    const real = realpathSync(abs);
    if (!isInside(realRoot, real)) refuse(abs);
    if (seen.has(real)) return;
    seen.add(real);
    for (const name of readdirSync(abs)) if (name !== '.git') walk(join(abs, name));
  };
  walk(dir);
}
