import { has, helpText, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromEnv } from '../context/build-context';
import { emitStream } from '../emit/streams';
import { UsageError } from '../util/errors';
import { runApp } from '../pipeline/run-app';
import type { Host } from './command';
import { outputFormat, OUTPUT_FLAG } from './render';
import { hasErrors, refusalFacts, reportFindings, reportRefusal, type Io } from './report';
import { runbookBaseFor } from './runbook-url';
import { toolRecorder, VERBOSE_FLAG } from './tool-versions';

const FLAGS: FlagSpec[] = [OUTPUT_FLAG, VERBOSE_FLAG, { name: 'help', short: 'h', help: 'show this help' }];

export const GENERATE_HELP = helpText(
  'safe-render generate [flags]',
  "The Argo CD sidecar command (plugin.yaml). Renders the current directory using Argo CD's build\nenvironment (ARGOCD_APP_*, KUBE_*, ARGOCD_ENV_*, ARGOCD_APP_PARAMETERS), runs every check, and\nprints the objects on stdout. On a refusal (exit 1) or failure (exit 2) stdout stays empty.",
  FLAGS,
);

export async function generateCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  const { cwd, env } = host;
  const a = parseArgs(argv, FLAGS, 'generate');
  if (has(a, 'help')) {
    io.out(GENERATE_HELP);
    return 0;
  }
  if (a.positional.length)
    throw new UsageError(
      `generate takes no arguments (it renders the working directory), got: ${a.positional.join(' ')}`,
    );
  const format = outputFormat(one(a, 'output'));
  // Checked before the render: a malformed SAFE_RENDER_RUNBOOK_URL in the sidecar is a usage error.
  const envBase = runbookBaseFor(undefined, env);
  const app = contextFromEnv(env, cwd);
  const tools = has(a, 'verbose') ? toolRecorder() : undefined;
  const result = await runApp(app, { mode: 'sidecar', env, cwd, signal: host.signal, runner: tools?.runner });
  // Before any verdict, so a failed or refused render says which tools it ran too.
  await tools?.report(io, host);
  // A render failure ends the command with exit 2 and its one line (cli.ts prints it).
  if (!result.ok) throw result.failure;
  // Argo CD shows all of stderr in one box: each rule's list is capped (render --verbose lists them all).
  const runbookBase = envBase ?? result.policy?.runbookUrl;
  const opts = {
    all: has(a, 'verbose'),
    fullList: 'safe-render render --verbose lists them all',
    ...(runbookBase ? { runbookBase } : {}),
  };
  if (hasErrors(result.findings)) {
    reportRefusal(io, result.findings, refusalFacts(result), opts);
    return 1;
  }
  reportFindings(io, result.findings, undefined, opts);
  io.out(emitStream(result.objects, format));
  return 0;
}
