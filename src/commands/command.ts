// What a command is (the registry in cli.ts lists them) and what it gets from the process: cli.ts
// owns the process (environment, working folder, signals, exit code); a command only parses flags,
// calls the library and prints (issue 10).
import type { Env } from '../pipeline/env';
import type { Io } from './report';

export interface Host {
  /** The process environment, as a plain record. */
  env: Env;
  /** The working folder relative paths on the command line are relative to. */
  cwd: string;
  /** Aborted on SIGTERM/SIGINT: a running tool's process group is killed and the run fails closed. */
  signal: AbortSignal;
  /** Present when stderr is a terminal: writes at once (a progress line), unlike Io.err, which is
   * collected and written at the end. */
  terminal?: { write(s: string): void };
  /** stdout is a terminal (`diff --color auto`). */
  stdoutIsTTY?: boolean;
  /** The folder of the running bundle (`<checkout>/dist` in a checkout): where `render` looks for the
   * checkout's pinned tools (laptop-tools.ts). */
  bundleDir?: string;
}

export interface Command {
  name: string;
  /** One line for `safe-render --help`. */
  summary: string;
  /** `safe-render <name> --help`. */
  help: string;
  /** Keep stdout on exit 1: `ci`'s stdout is a report (--report FORMAT=-), and a refusal is exactly
   * what it reports; never manifests, which a refusal must keep from Argo CD. Exit 2 empties it always. */
  stdoutOnRefusal?: boolean;
  /** The exit code: 0, 1 refused; a thrown UsageError or RenderFailure is exit 2. */
  run(argv: readonly string[], io: Io, host: Host): number | Promise<number>;
}
