// `safe-render migrate PATH` (issue 13): rewrites a folder whose files hold several objects into one
// object per file, in place, as a change a person reviews before committing. The plan and the writing
// live in src/migrate/; this only reads the flags and prints.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { has, helpText, one, parseArgs, type FlagSpec } from '../cli/args';
import { UsageError } from '../util/errors';
import { planMigration } from '../migrate/plan';
import { applyMigration } from '../migrate/apply';
import { migrateSummary } from '../migrate/summary';
import type { NameGuards } from '../migrate/name-selectors';
import { excerpt } from '../util/repo-file';
import { repositorySelectors } from '../ci/name-selectors';
import { findRepoRoot } from '../context/build-context';
import { originURL } from '../lock/remote-url';
import type { Host } from './command';
import type { Io } from './report';

const FLAGS: FlagSpec[] = [
  { name: 'dry-run', help: 'print the plan; write nothing' },
  {
    name: 'repo-url',
    value: true,
    placeholder: 'URL',
    help: "this repository's URL as the Applications name it (default: the origin remote)",
  },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const MIGRATE_HELP = helpText(
  'safe-render migrate PATH [--dry-run] [--repo-url URL]',
  `Rewrite the manifests under PATH into one object per file, in place. Each document keeps its own
text (comments, key order, quoting); only the --- separators go. New files sit beside the old one,
named <kind>-<name>.yaml (the namespace or a counter joins when a name is taken; nothing is ever
overwritten). kustomization.yaml resources entries that name a split file are replaced by the new
files, in the same order, in place. The old files are removed only after every new file is written.
Left alone, and listed: Helm charts, kustomize patches and generator inputs, safe-render.yaml,
.safe-render/, hidden folders, symbolic links, files with {{ templates, files with a document
that is not an object, and files an Argo CD Application of the repository selects by name
(directory.include/exclude; found as ci finds them, ApplicationSets evaluated offline) unless
every new name is selected exactly as the old one. Exit 0 done (or nothing to do), 2 could not
run (nothing changed).`,
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
  const plan = planMigration(root, nameGuards(root, host, one(a, 'repo-url')));
  const dryRun = has(a, 'dry-run');
  if (!dryRun) applyMigration(root, plan);
  io.out(migrateSummary(plan, given, dryRun));
  return 0;
}

/** The Applications of the repository around `root` that select files by name. The repository is the
 * nearest folder above holding `.git` (as render finds it); its URL is `origin`'s, which decides which
 * sources are this repository's. Without a repository only `root`'s own tree is searched; without a
 * URL every source counts as this repository's: more files stay, none is split blindly. */
function nameGuards(root: string, host: Host, repoURLFlag: string | undefined): NameGuards {
  const top = findRepoRoot(root);
  const notes: string[] = [];
  let repoRoot = root;
  let url: string | undefined;
  const rootKnown = existsSync(join(top, '.git'));
  if (rootKnown) {
    repoRoot = realpathSync(top);
    const origin = repoURLFlag === undefined ? originURL(repoRoot, host.env) : undefined;
    const u = repoURLFlag ?? origin?.url ?? '';
    if (u) url = u;
    else
      notes.push(
        `the repository's URL is not known (${origin?.gitMissing ? 'git is not installed' : 'git names no origin remote; give it with --repo-url'}): every Application's source was taken for this repository`,
      );
  } else
    notes.push(
      'no Git repository around the folder (no .git above it): Applications were looked for only inside it, and any that selects files by name keeps every file',
    );
  const scan = repositorySelectors(repoRoot, url, rootKnown);
  // The notes matter only when there are Applications to read.
  if (scan.found === 0) notes.length = 0;
  // Without the repository's root an Application's path cannot be placed: it may render any folder.
  const unknown = rootKnown
    ? scan.unknown
    : [
        ...scan.unknown,
        ...scan.selectors.map((s) => ({
          app: s.app,
          why: `selects files by name (${s.field}: ${excerpt(s.glob, 120)}), and without the repository migrate cannot tell which folder it renders`,
        })),
      ];
  const selectors = rootKnown ? scan.selectors : [];
  return { rootInRepo: relative(repoRoot, root).split(sep).join('/'), selectors, unknown, notes };
}
