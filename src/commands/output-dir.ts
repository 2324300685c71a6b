// Writing one object per file. The new tree is built in a sibling temporary folder and swapped in at
// the end, so readers see the old tree or the new one, never half of each; and a folder safe-render
// did not write (no marker file) is never emptied or overwritten.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { UsageError } from '../util/errors';
import { MARKER_FILE, type PlannedFile } from '../emit/split-plan';

export function writeOutputDir(dir: string, files: readonly PlannedFile[]): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
    if (readdirSync(target).length > 0 && !existsSync(join(target, MARKER_FILE))) {
      throw new UsageError(`${dir} is not empty and was not written by safe-render (no ${MARKER_FILE}); refusing to replace it. Choose another folder or empty it yourself`);
    }
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.safe-render-new-${process.pid}`);
  const old = join(parent, `.${basename(target)}.safe-render-old-${process.pid}`);
  try {
    for (const f of files) {
      const p = join(tmp, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content, { flag: 'wx' });
    }
    if (existsSync(target)) {
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
