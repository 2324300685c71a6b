import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { RenderFailure } from '../../util/errors';
import { isInside } from '../read-tree';

/** Resolves `ref` (relative to `base`) and refuses it when it leaves the repository, through `..` or a symlink. */
export function resolveInsideRepo(base: string, ref: string, repoRoot: string, what: string): string {
  const abs = resolve(base, ref);
  const real = existsSync(abs) ? realpathSync(abs) : abs;
  if (!isInside(realpathSync(repoRoot), real)) {
    throw new RenderFailure(
      `${what} "${ref}" leads outside the repository`,
      undefined,
      'keep every file the app uses inside the repository; safe-render never reads outside it',
    );
  }
  return abs;
}
