// Glob matching with each pattern compiled once. `minimatch(path, glob, options)` builds a new
// Minimatch (parse, brace expansion, regexp) on every call; the namespace check calls it for every
// object, so at 50k objects compiling the same one or two globs over and over was a visible part of
// a render. `new Minimatch(glob, options).match(path)` is exactly what `minimatch()` does (both
// validate the pattern and treat `#` comments alike), so results do not change.
//
// The patterns come from the repository (safe-render.yaml, FREEZE, patches), so compiling and
// matching them must be bounded work (issue 8 §6 and §8): minimatch turns a glob into a backtracking
// RegExp, and three `*` in one path segment (`*a*a*a*b`) already take seconds against one 255-byte
// file name, more stars or nested extglobs (`+(+(a*)*)b`) hang for minutes; `{1..100000000}` expands
// to 100,000 patterns. `globProblem` refuses those shapes before minimatch sees them; every pattern
// we compile from hostile input goes through `compileGlob`.
import { braceExpand, Minimatch, type MinimatchOptions } from 'minimatch';
import { UsageError } from './errors';

export const GLOB_MAX_LENGTH = 1024;
/** Patterns one glob may expand to through braces (`{a,b}`): more is refused, never truncated. */
export const GLOB_MAX_EXPANSIONS = 64;
/** Runs of `*` in one path segment (`**` alone as a segment does not count): two match in
 * quadratic time at worst, three do not. */
export const GLOB_MAX_STARS_PER_SEGMENT = 2;

/** Why this glob is refused, or undefined. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > GLOB_MAX_LENGTH) return `is longer than ${GLOB_MAX_LENGTH} characters`;
  // Extglobs (`+(..)`, `@(..)`, `!(..)`, `*(..)`, `?(..)`): no program that reads these fields
  // (Argo CD's globs, kubectl, the shell defaults) knows them, and nested ones backtrack forever.
  if (/(?<!\\)[?*+@!]\(/.test(glob))
    return 'uses an extglob (`+(..)`, `@(..)`, `!(..)`, `*(..)`, `?(..)`), which is not supported';
  // Bounded expansion: one more than the limit tells us the limit was passed, without expanding all.
  const expanded = braceExpand(glob, { braceExpandMax: GLOB_MAX_EXPANSIONS + 1 });
  if (expanded.length > GLOB_MAX_EXPANSIONS) return `expands to more than ${GLOB_MAX_EXPANSIONS} patterns through {..}`;
  for (const p of expanded) {
    for (const segment of p.split('/')) {
      if (segment === '**') continue;
      const stars = segment.replace(/\\./g, '').match(/\*+/g)?.length ?? 0;
      if (stars > GLOB_MAX_STARS_PER_SEGMENT)
        return `has more than ${GLOB_MAX_STARS_PER_SEGMENT} \`*\` in one path segment (${JSON.stringify(segment.length > 60 ? `${segment.slice(0, 60)}…` : segment)}), which cannot be matched in bounded time`;
    }
  }
  return undefined;
}

/** A compiled glob, or a usage error (exit 2, one line) for a glob `globProblem` refuses. */
export function compileGlob(glob: string, options: MinimatchOptions): Minimatch {
  const problem = globProblem(glob);
  if (problem) {
    const shown = JSON.stringify(glob.length > 80 ? `${glob.slice(0, 80)}…` : glob);
    throw new UsageError(`glob ${shown} ${problem}`);
  }
  return new Minimatch(glob, { ...options, braceExpandMax: GLOB_MAX_EXPANSIONS });
}

const shared = new Map<string, Minimatch>();

/** `minimatch(path, glob, options)` for a glob from hostile input: bounded, refused with exit 2 when
 * not. Compiled globs are kept (the patterns come from config files, so they are few; the cache is
 * cleared if it ever grows past 1,000 entries). */
export function matchGlob(path: string, glob: string, options: MinimatchOptions): boolean {
  const key = `${JSON.stringify(options)}\0${glob}`;
  let m = shared.get(key);
  if (m === undefined) {
    m = compileGlob(glob, options);
    if (shared.size >= 1000) shared.clear();
    shared.set(key, m);
  }
  return m.match(path);
}

/** `(path, glob) => minimatch(path, glob, options)`, keeping every compiled glob for reuse. The
 * patterns come from the app's config, so the cache stays as small as the config. */
export function globMatcher(options: MinimatchOptions): (path: string, glob: string) => boolean {
  const compiled = new Map<string, Minimatch>();
  return (path, glob) => {
    let m = compiled.get(glob);
    if (m === undefined) {
      m = compileGlob(glob, options);
      compiled.set(glob, m);
    }
    return m.match(path);
  };
}
