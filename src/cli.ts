// Entry point. Everything written to stdout is buffered and written once at the end, only when the
// command succeeded: a failure at any point leaves stdout empty, so Argo CD never sees a partial render.
import { generateCommand, GENERATE_HELP } from './commands/generate';
import { renderCommand, RENDER_HELP } from './commands/render';
import { parametersCommand, PARAMETERS_HELP } from './commands/parameters';
import { lockCommand, LOCK_HELP } from './commands/lock';
import { ciCommand, CI_HELP } from './commands/ci';
import { diffCommand, DIFF_HELP } from './commands/diff';
import { migrateCommand, MIGRATE_HELP } from './commands/migrate';
import { splitCommand, SPLIT_HELP } from './commands/split';
import type { Command, Host } from './commands/command';
import { BoundedStderr, DEBUG_ENV, describeUnexpected, flatLine, type Io } from './commands/report';
import { formatFinding, renderFailedFinding } from './report/format';
import { RenderFailure, UsageError } from './util/errors';
import { closest } from './util/suggest';
import { versionCommand } from './commands/tool-versions';

/** The one command registry: `--help`, dispatch and suggestions all read it. */
const COMMANDS: readonly Command[] = [
  {
    name: 'generate',
    summary: 'render for Argo CD (the sidecar command in plugin.yaml)',
    help: GENERATE_HELP,
    run: generateCommand,
  },
  {
    name: 'render',
    summary: 'render an app on a laptop or in CI: stdout, or one object per file with -o',
    help: RENDER_HELP,
    run: renderCommand,
  },
  {
    name: 'lock',
    summary: "write the app's lock (.safe-render/): the baseline no render may silently shrink",
    help: LOCK_HELP,
    run: lockCommand,
  },
  {
    name: 'ci',
    summary: 'check every app of the repository as the sidecar would (pull requests); ci merge joins shards',
    help: CI_HELP,
    run: ciCommand,
    stdoutOnRefusal: true,
  },
  {
    name: 'diff',
    summary: 'show what a change does to an app (or --all apps) between two revisions, offline, with the verdict',
    help: DIFF_HELP,
    run: diffCommand,
    // diff's stdout is a report, never manifests: a refused head is exactly what a reviewer must see.
    stdoutOnRefusal: true,
  },
  {
    name: 'split',
    summary: 'split manifests (a file, a folder or stdin) into one object per file, refusing collisions',
    help: SPLIT_HELP,
    run: splitCommand,
  },
  {
    name: 'parameters',
    summary: 'print the parameters Argo CD announces for the app (plugin.yaml parameters.dynamic)',
    help: PARAMETERS_HELP,
    run: parametersCommand,
  },
  {
    name: 'migrate',
    summary: "rewrite a folder's manifests into one object per file, in place (kustomization resources follow)",
    help: MIGRATE_HELP,
    run: migrateCommand,
  },
];

const MAIN_HELP = `usage: safe-render <command> [flags]

Renders an Argo CD application's manifests, checks them, and refuses a render that would delete
what is running.

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

  --version  print the version, and those of the kubectl/kustomize and helm on PATH
  --help     show this help; \`safe-render <command> --help\` for a command

exit codes: 0 rendered, 1 refused by a rule, 2 could not run (usage, config, render failure)
`;

/** Set once the command is known: whether its stdout survives exit 1. */
let keepStdoutOnRefusal = false;

async function run(argv: string[], io: Io, host: Host): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === 'version') return versionCommand(io, host, process.version);
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(MAIN_HELP);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (!command) {
    const hint = closest(
      cmd,
      COMMANDS.map((c) => c.name),
    );
    throw new UsageError(`unknown command "${cmd}"${hint ? `; did you mean "${hint}"?` : ''} (see safe-render --help)`);
  }
  keepStdoutOnRefusal = command.stdoutOnRefusal === true;
  return command.run(rest, io, host);
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
  // The process's signals become the one AbortSignal the library runs with (issue 10): a running
  // tool's process group (which a signal to our group does not reach) is killed, the run ends as
  // render-failed, and we exit 2 with stdout empty. Listening once: a second signal ends us at once.
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => controller.abort(sig);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let code: number;
  try {
    code = await run(process.argv.slice(2), io, {
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
      // The progress line of `ci` (issue 11): only on a terminal, written at once.
      stdoutIsTTY: process.stdout.isTTY === true,
      ...(process.stderr.isTTY ? { terminal: { write: (s: string) => void process.stderr.write(s) } } : {}),
      bundleDir: __dirname,
    });
  } catch (e) {
    code = 2;
    stdout = '';
    stderr.write(describeFailure(e));
  }
  // Stopped while no tool ran: whatever was computed may be cut short by the signal; fail closed.
  if (controller.signal.aborted && code !== 2) {
    code = 2;
    stderr.write(
      describeFailure(new RenderFailure(`safe-render received ${String(controller.signal.reason)} and stopped`)),
    );
  }
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  if (code !== 0 && !(code === 1 && keepStdoutOnRefusal)) stdout = '';
  // stdout first, and stderr only once it arrived (issue 13): a full disk (`> /dev/full`) or a reader
  // that went away (EPIPE) is exit 2 with one line saying so, never the success summary of an output
  // nobody received.
  const failed = stdout ? await writeStdout(stdout) : undefined;
  let text = stderr.text();
  if (failed) {
    code = 2;
    text = describeFailure(new UsageError(stdoutFailure(failed)));
  }
  reported = true;
  if (text) process.stderr.write(text);
  process.exitCode = code;
}

/** Writes all of `s` to stdout; resolves with the error that stopped it, if any. */
function writeStdout(s: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((done) => {
    // Kept for the process's life: a second error event after the first must not become "uncaught".
    process.stdout.on('error', (e) => done(e));
    try {
      process.stdout.write(s, (e) => done(e ?? undefined));
    } catch (e) {
      done(e as NodeJS.ErrnoException);
    }
  });
}

function stdoutFailure(e: NodeJS.ErrnoException): string {
  const what =
    e.code === 'EPIPE'
      ? 'EPIPE: the program reading it closed the pipe'
      : e.code === 'ENOSPC'
        ? 'ENOSPC: no space left on the device'
        : (e.code ?? e.message);
  return `could not write the output to stdout (${what}); what was written is incomplete`;
}

void main();
