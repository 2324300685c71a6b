// Entry point. Everything written to stdout is buffered and written once at the end, only when the
// command succeeded: a failure at any point leaves stdout empty, so Argo CD never sees a partial render.
import { generateCommand, GENERATE_HELP } from './commands/generate';
import { renderCommand, RENDER_HELP } from './commands/render';
import { parametersCommand, PARAMETERS_HELP } from './commands/parameters';
import { lockCommand, LOCK_HELP } from './commands/lock';
import type { Io } from './commands/report';
import { RenderFailure, UsageError } from './util/errors';
import { closest } from './util/suggest';

declare const SAFE_RENDER_VERSION: string;

const COMMANDS: Record<string, { summary: string; help: string }> = {
  generate: { summary: 'render for Argo CD (the sidecar command in plugin.yaml)', help: GENERATE_HELP },
  render: { summary: 'render an app on a laptop or in CI: stdout, or one object per file with -o', help: RENDER_HELP },
  lock: { summary: 'write the app\'s lock (.safe-render/): the baseline no render may silently shrink', help: LOCK_HELP },
  parameters: { summary: 'print the parameters Argo CD announces for the app (plugin.yaml parameters.dynamic)', help: PARAMETERS_HELP },
};

const MAIN_HELP = `usage: safe-render <command> [flags]

Renders an Argo CD application's manifests, checks them, and refuses a render that would delete
what is running.

commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`).join('\n')}

  --version  print the version
  --help     show this help; \`safe-render <command> --help\` for a command

exit codes: 0 rendered, 1 refused by a rule, 2 could not run (usage, config, render failure)
`;

async function run(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version':
    case 'version':
      io.out(`${SAFE_RENDER_VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(MAIN_HELP);
      return 0;
    case 'generate':
      return generateCommand(rest, io, process.cwd(), process.env);
    case 'render':
      return renderCommand(rest, io, process.cwd());
    case 'lock':
      return lockCommand(rest, io, process.cwd());
    case 'parameters':
      return parametersCommand(rest, io, process.cwd(), process.env);
    default: {
      const hint = closest(cmd, Object.keys(COMMANDS));
      throw new UsageError(`unknown command "${cmd}"${hint ? `; did you mean "${hint}"?` : ''} (see safe-render --help)`);
    }
  }
}

async function main(): Promise<void> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (s) => (stdout += s), err: (s) => (stderr += s) };
  let code: number;
  try {
    code = await run(process.argv.slice(2), io);
  } catch (e) {
    code = 2;
    stdout = '';
    if (e instanceof UsageError) stderr += `safe-render: error: ${e.message}\n`;
    else if (e instanceof RenderFailure) {
      stderr += `error[render-failed]${e.where ? ` ${e.where}` : ''}: ${e.message}.${e.fix ? ` Fix: ${e.fix}` : ''} (runbook: docs/rules/render-failed.md)\n`;
    } else {
      stderr += `error[render-failed]: internal error: ${(e as Error)?.stack ?? String(e)}\n`;
    }
  }
  if (code !== 0) stdout = '';
  if (stderr) process.stderr.write(stderr);
  process.exitCode = code;
  if (stdout) {
    process.stdout.on('error', () => (process.exitCode = 2));
    process.stdout.write(stdout);
  }
}

void main();
