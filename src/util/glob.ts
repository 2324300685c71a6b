// Glob matching with each pattern compiled once. `minimatch(path, glob, options)` builds a new
// Minimatch (parse, brace expansion, regexp) on every call; the namespace check calls it for every
// object, so at 50k objects compiling the same one or two globs over and over was a visible part of
// a render. `new Minimatch(glob, options).match(path)` is exactly what `minimatch()` does (both
// validate the pattern and treat `#` comments alike), so results do not change.
import { Minimatch, type MinimatchOptions } from 'minimatch';

/** `(path, glob) => minimatch(path, glob, options)`, keeping every compiled glob for reuse. The
 * patterns come from the app's config, so the cache stays as small as the config. */
export function globMatcher(options: MinimatchOptions): (path: string, glob: string) => boolean {
  const compiled = new Map<string, Minimatch>();
  return (path, glob) => {
    let m = compiled.get(glob);
    if (m === undefined) {
      m = new Minimatch(glob, options);
      compiled.set(glob, m);
    }
    return m.match(path);
  };
}
