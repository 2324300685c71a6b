// `safe-render migrate PATH` (issue 13): rewrites a folder whose files hold several objects into one
// object per file, in place, as a change a person reviews before committing. The plan and the writing
// live in src/migrate/; this only reads the flags and prints.
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { has, helpText, parseArgs, type FlagSpec } from '../cli/args';
import { UsageError } from '../util/errors';
import { planMigration } from '../migrate/plan';
import { applyMigration } from '../migrate/apply';
import { migrateSummary } from '../migrate/summary';
import type { Host } from './command';
import type { Io } from './report';

const FLAGS: FlagSpec[] = [
  { name: 'dry-run', help: 'print the plan; write nothing' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const MIGRATE_HELP = helpText(
  'safe-render migrate PATH [--dry-run]',
  `Rewrite the manifests under PATH into one object per file, in place. Each document keeps its own
text (comments, key order, quoting); only the --- separators go. New files sit beside the old one,
named <kind>-<name>.yaml (the namespace or a counter joins when a name is taken; nothing is ever
overwritten). kustomization.yaml resources entries that name a split file are replaced by the new
files, in the same order, in place. The old files are removed only after every new file is written.
Left alone, and listed: Helm charts, kustomize patches and generator inputs, safe-render.yaml,
.safe-render/, hidden folders, symbolic links, files with {{ templates, and files with a document
that is not an object. Exit 0 done (or nothing to do), 2 could not run (nothing changed).`,
  FLAGS,
);

export function migrateCommand(argv: readonly string[], io: Io, host: Host): number {
  const a = parseArgs(argv, FLAGS, 'migrate');
  if (has(a, 'help')) {
    io.out(MIGRATE_HELP);
    return 0;
  }
  if (a.positional.length !== 1)
    throw new UsageError(
      `migrate takes one PATH (the folder to rewrite), got ${a.positional.length} (see safe-render migrate --help)`,
    );
  const given = a.positional[0]!;
  // The folder the user names is theirs and may be reached through their links; nothing below it is followed.
  let root: string;
  try {
    root = realpathSync(resolve(host.cwd, given));
    if (!statSync(root).isDirectory()) throw new UsageError(`${given} is not a folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${given}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const plan = planMigration(root);
  const dryRun = has(a, 'dry-run');
  if (!dryRun) applyMigration(root, plan);
  io.out(migrateSummary(plan, given, dryRun));
  return 0;
}
