// The repository files an ApplicationSet's git files generator reads (issue 11), for the checks
// (CheckEnv.readRepoFile) and for `lock --application --generated`.
import { resolve } from 'node:path';
import { MAX_FILE_BYTES } from '../appset/limits';
import { RenderFailure } from '../util/errors';
import { isInside, readOptionalRepoFile } from '../util/repo-file';

/** Repository files by repo-relative path, through the guarded reader, each read once per run. A file
 * that is absent or refused (a link out of the repository, a folder, over the limit, not UTF-8) reads
 * as undefined: the generator that asked cannot be evaluated, and says so. */
export function repoFileReader(repoRoot: string): (rel: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (rel) => {
    if (cache.has(rel)) return cache.get(rel);
    let text: string | undefined;
    const abs = resolve(repoRoot, rel);
    // Only paths inside the repository; resolveInside (in the reader) also refuses links that leave it.
    if (isInside(repoRoot, abs) && abs !== repoRoot) {
      try {
        text = readOptionalRepoFile(repoRoot, abs, { shown: rel, kind: 'config', maxBytes: MAX_FILE_BYTES });
      } catch (e) {
        if (!(e instanceof RenderFailure)) throw e;
      }
    }
    cache.set(rel, text);
    return text;
  };
}
