// `safe-render parameters`: plugin.yaml's parameters.dynamic command. Argo CD runs it in the app
// directory with only ARGOCD_APP_NAME, the source repo/path/revision, ARGOCD_ENV_* and the parameters
// (contract §3b), and reads one JSON array. Here go the parameters whose defaults come from the repo;
// plugin.yaml's static list holds the others, so no name is announced twice (contract §5).
import { helpText, has, parseArgs, type FlagSpec } from '../cli/args';
import { announce, PARAMETERS } from '../context/parameters';
import { UsageError } from '../util/errors';
import { loadAppConfig } from '../pipeline/app-config';
import type { Host } from './command';
import { findRepoRoot, repoRootFor } from '../context/build-context';
import type { Io } from './report';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const FLAGS: FlagSpec[] = [{ name: 'help', short: 'h', help: 'show this help' }];

export const PARAMETERS_HELP = helpText(
  'safe-render parameters',
  'Print the plugin parameters whose defaults come from the app directory (the working directory), as\nthe JSON array Argo CD expects from parameters.dynamic in plugin.yaml.',
  FLAGS,
);

/** A chart's value files (values*.yaml beside Chart.yaml), so the UI shows which ones can be chosen. */
function chartValueFiles(dir: string): string[] {
  if (!existsSync(join(dir, 'Chart.yaml'))) return [];
  return readdirSync(dir)
    .filter((f) => /^values.*\.ya?ml$/.test(f))
    .sort();
}

export function parametersCommand(argv: readonly string[], io: Io, host: Pick<Host, 'cwd' | 'env'>): number {
  const { cwd, env } = host;
  const a = parseArgs(argv, FLAGS, 'parameters');
  if (has(a, 'help')) {
    io.out(PARAMETERS_HELP);
    return 0;
  }
  if (a.positional.length) throw new UsageError('parameters takes no arguments; it reads the working directory');
  // In the sidecar the root is derived as for generate (the parameters RPC gets ARGOCD_APP_SOURCE_PATH
  // too, contract §3b); it bounds what the guarded reader may read for safe-render.yaml.
  const repoRoot =
    env.ARGOCD_APP_SOURCE_PATH !== undefined ? repoRootFor(cwd, env.ARGOCD_APP_SOURCE_PATH) : findRepoRoot(cwd);
  const config = loadAppConfig({ appDir: cwd, repoRoot });
  const defaults: Record<string, { string?: string; array?: string[] }> = {
    include: { array: config.include },
    exclude: { array: config.exclude },
    recurse: { string: String(config.recurse) },
    'values-files': { array: config.helm.valueFiles ?? chartValueFiles(cwd) },
  };
  io.out(`${JSON.stringify(PARAMETERS.filter((p) => p.dynamic).map((p) => announce(p, defaults[p.name])))}\n`);
  return 0;
}
