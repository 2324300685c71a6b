// `-o DIR` (render, split): one object per file into DIR. Issue 13: `-o yaml` and `-o json` are almost
// always kubectl's format habit, and would quietly create a folder named yaml; and `--output` given with
// `-o` used to be ignored. Both are usage errors (exit 2) that say what to type instead.
import { has, one, type FlagSpec, type ParsedArgs } from '../cli/args';
import { UsageError } from '../util/errors';

export const OUT_DIR_FLAG: FlagSpec = {
  name: 'out',
  short: 'o',
  value: true,
  placeholder: 'DIR',
  help: 'write one object per file into DIR instead of stdout (not a format: see --output)',
};

/** Format words kubectl's -o takes that a folder is rarely meant to be called. */
const FORMAT_WORDS = new Set(['yaml', 'yml', 'json']);

/** The -o folder, or undefined; a format word, or -o with --output, is a usage error. */
export function outDirArg(a: ParsedArgs): string | undefined {
  const dir = one(a, 'out');
  if (dir === undefined) return undefined;
  if (FORMAT_WORDS.has(dir.toLowerCase()))
    throw new UsageError(
      `-o takes a folder to write one object per file into, not a format: for a ${dir.toLowerCase() === 'json' ? 'JSON' : 'YAML'} stream on stdout use --output ${dir.toLowerCase() === 'json' ? 'json' : 'yaml'}; for a folder named ${dir}, write -o ./${dir}`,
    );
  if (dir === '') throw new UsageError('-o needs a folder name');
  if (has(a, 'output'))
    throw new UsageError(
      `--output sets the format of the stream on stdout, and -o writes a folder instead of that stream: give one of them (the folder's files are always YAML)`,
    );
  return dir;
}
