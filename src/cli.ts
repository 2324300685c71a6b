// Entry point. Everything written to stdout is buffered and written once at the end, only when the
// command succeeded: a failure at any point leaves stdout empty, so Argo CD never sees a partial render.
import { generateCommand, GENERATE_HELP } from './commands/generate';
import { renderCommand, RENDER_HELP } from './commands/render';
import { parametersCommand, PARAMETERS_HELP } from './commands/parameters';
import { lockCommand, LOCK_HELP } from './commands/lock';
import { BoundedStderr, DEBUG_ENV, describeUnexpected, flatLine, type Io } from './commands/report';
import { formatFinding, renderFailedFinding } from './report/format';
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

/** The one report of an error that ended the run (never more than a line, unless debugging). */
function describeFailure(e: unknown): string {
  // One line whatever the message carries (a file name or a tool's words can hold line breaks).
  if (e instanceof UsageError) return `${flatLine(`safe-render: error: ${e.message}`)}\n`;
  if (e instanceof RenderFailure) {
    return `${formatFinding(renderFailedFinding(e))}\n`;
  }
  // A stack trace is for whoever debugs safe-render, never for the user (issue 8 §8).
  const debug = process.env[DEBUG_ENV] === '1' && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  return `${describeUnexpected(e)}\n${debug}`;
}

async function main(): Promise<void> {
  let stdout = '';
  // Bounded as it is written (issue 9 §6): at most 64 KiB reach Argo CD's app condition.
  const stderr = new BoundedStderr();
  const io: Io = { out: (s) => (stdout += s), err: (s) => stderr.write(s) };
  // Last resort for what escapes the promise chain (an error thrown in an event handler): one line,
  // exit 2, stdout empty, as for any other failure.
  let reported = false;
  const fatal = (e: unknown) => {
    if (!reported) {
      stderr.write(describeFailure(e));
      process.stderr.write(stderr.text());
    }
    process.exit(2);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  let code: number;
  try {
    code = await run(process.argv.slice(2), io);
  } catch (e) {
    code = 2;
    stdout = '';
    stderr.write(describeFailure(e));
  }
  if (code !== 0) stdout = '';
  const text = stderr.text();
  reported = true;
  if (text) process.stderr.write(text);
  process.exitCode = code;
  if (stdout) {
    process.stdout.on('error', () => (process.exitCode = 2));
    process.stdout.write(stdout);
  }
}

void main();
