// Running a render engine (kustomize, helm) as the real binary. No shell, no stdin, an environment
// with nothing of the sidecar's in it (no credentials, no kubeconfig), its own process group so a
// timeout kills the tool and everything it started, and every way of failing turned into render-failed
// with the tool's own words: never an empty render (argo-cd#15339).
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderFailure } from '../util/errors';
import { MAX_TOTAL_BYTES } from './limits';

export const DEFAULT_TOOL_TIMEOUT_MS = 50_000;

export interface ToolRun {
  argv: readonly string[];
  cwd: string;
  timeoutMs: number;
  /** Label for messages, e.g. "kustomize". */
  tool: string;
  /** Extra variables (e.g. HELM_*), on top of the minimal environment. */
  env?: Record<string, string>;
  /** Most bytes of stdout to accept; default MAX_TOTAL_BYTES (Argo CD's limit for one render). */
  maxBytes?: number;
  /** Cancels the run: the tool's whole process group is killed and the run fails as render-failed.
   * The caller (cli.ts) owns the process and its signals; nothing here listens to them (issue 10). */
  signal?: AbortSignal;
  /** PATH the tool is looked up on, from the caller's environment (never process.env, issue 10). */
  path?: string;
}

/** Runs one tool in a scratch HOME: `runTool` spawns the real binary; a library caller may pass another. */
export type ToolRunner = (run: ToolRun, home: string) => Promise<string>;

/** The PATH tools get when the caller's environment has none. */
export const DEFAULT_TOOL_PATH = '/usr/local/bin:/usr/bin:/bin';

/** stderr kept for messages: its last 64 KiB are plenty for the last 20 lines. */
const STDERR_KEEP = 64 * 1024;

/** Lines a tool prints on stderr when something went wrong even though it exited 0. */
const ERROR_LINE = /^(error|fatal|panic)\b/im;

/** What a tool's stderr may echo of Secret data, and how it is replaced before we pass the stderr on
 * (issue 9 §6; we never print Secret data ourselves, so neither do we pass on a tool's echo of it).
 * kustomize's KV loader (api/kv/kv.go) prints every `secretGenerator`/`configMapGenerator` literal
 * when one is malformed ("literal sources [a=1 b=2]: invalid literal source b2, expected key=value")
 * and the bytes and text of an env-file line that is not UTF-8; helm quotes pieces of `--set`
 * values. The messages keep their words, so the reader still learns which kind of mistake it is. */
const STDERR_REDACTIONS: ReadonlyArray<[RegExp, (line: string) => string]> = [
  // Everything after the first "literal source" of the line goes: a literal may itself contain the
  // words that would end a narrower match.
  [
    /literal sources? .*$/,
    (l) =>
      `literal sources [redacted]${/invalid literal source/.test(l) ? ': invalid literal source [redacted], expected key=value' : ''}`,
  ],
  [/line \[[\d ]*\] has invalid utf8 bytes.*$/, () => 'line [redacted] has invalid utf8 bytes'],
  // helm quotes pieces of a `--set` value it cannot parse (`key "b" has no value`, `parsing "0=x"`),
  // and `--set-json` errors print the whole value; parameters can carry passwords.
  [/failed parsing --set-json data.*$/, () => 'failed parsing --set-json data [redacted]'],
  [/failed parsing --set[-a-z]* data.*$/, (l) => l.replace(/"(?:[^"\\]|\\.)*"/g, '"[redacted]"')],
];

/** `text` with what a tool echoed of Secret data replaced, line by line. */
export function redactToolStderr(text: string): string {
  return text
    .split('\n')
    .map((line) => STDERR_REDACTIONS.reduce((l, [re, by]) => l.replace(re, by), line))
    .join('\n');
}

/** Flags whose value is `key=value` data from the repository or Argo CD's parameters: the command line
 * we print in messages shows the key only (a parameter can carry a password). */
const VALUE_FLAGS = new Set(['--set', '--set-string', '--set-json', '--set-literal', '--set-file']);

/** The command line for messages, with `--set`-style values replaced. */
export function shownArgv(argv: readonly string[]): string {
  return argv
    .map((a, i) => {
      const eq = a.indexOf('=');
      const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : undefined;
      if (flag && VALUE_FLAGS.has(flag)) return `${flag}=${hideValues(a.slice(eq + 1))}`;
      return i > 0 && VALUE_FLAGS.has(argv[i - 1]!) ? hideValues(a) : a;
    })
    .join(' ');
}

function hideValues(kv: string): string {
  return kv
    .split(',')
    .map((p) => (p.includes('=') ? `${p.slice(0, p.indexOf('='))}=…` : p))
    .join(',');
}

/** A scratch HOME for tools: uid 999 in the sidecar may have no home, and tools must not read the
 * sidecar's own caches or config. Removed when the run ends. */
export function withScratchHome<T>(f: (home: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'safe-render-home-'));
  return f(home).finally(() => rmSync(home, { recursive: true, force: true }));
}

export function minimalEnv(home: string, path = DEFAULT_TOOL_PATH): Record<string, string> {
  return {
    PATH: path,
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HELM_CACHE_HOME: join(home, 'helm/cache'),
    HELM_CONFIG_HOME: join(home, 'helm/config'),
    HELM_DATA_HOME: join(home, 'helm/data'),
    HELM_REPOSITORY_CONFIG: join(home, 'helm/repositories.yaml'),
    HELM_REGISTRY_CONFIG: join(home, 'helm/registry.json'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
}

/** The render-failed value of a cancelled run. A string reason is the signal's name (cli.ts). */
export function abortFailure(signal: AbortSignal, tool: string, started = true): RenderFailure {
  const why = typeof signal.reason === 'string' ? `received ${signal.reason}` : 'was cancelled';
  return new RenderFailure(
    started
      ? `safe-render ${why} while ${tool} was running; both were stopped`
      : `safe-render ${why} before ${tool} started; it was not run`,
  );
}

export function runTool(run: ToolRun, home: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const [cmd, ...args] = run.argv;
    const signal = run.signal;
    if (signal?.aborted) return reject(abortFailure(signal, run.tool, false));
    const child = spawn(cmd!, args, {
      cwd: run.cwd,
      env: { ...minimalEnv(home, run.path), ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let exited = false;
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    // The tool runs in its own process group (so a timeout can kill all of it), which a signal sent
    // to safe-render's group does not reach: the caller aborts, the whole group goes, and the run
    // fails closed as render-failed (cli.ts turns SIGTERM/SIGINT into the abort).
    const onAbort = () => {
      stop();
      settle(() => reject(abortFailure(signal!, run.tool)));
    };
    if (signal) {
      // A pool runs many apps with one signal: one listener per running tool, each removed when its
      // tool settles, so the count is the number of tools running at once, not a leak to warn about.
      setMaxListeners(0, signal);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    // Bounded as the data arrives: a template that loops for ever must end as render-failed, not
    // as gigabytes in memory until the timeout or the sidecar's OOM killer.
    const maxBytes = run.maxBytes ?? MAX_TOTAL_BYTES;
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes <= maxBytes) return void out.push(b);
      stop();
      settle(() =>
        reject(
          new RenderFailure(
            `${label} printed more than ${maxBytes / 1048576} MiB, Argo CD's default limit for one render, and was killed`,
            undefined,
            'split the app into several Applications, or check the templates for a runaway loop',
          ),
        ),
      );
    });
    // stderr is checked line by line for errors as it arrives, and only its tail is kept for messages.
    const decoder = new StringDecoder('utf8');
    let partialLine = '';
    let errorLine = false;
    const scan = (text: string) => {
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop()!.slice(-STDERR_KEEP);
      if (!errorLine) errorLine = lines.some((l) => ERROR_LINE.test(l));
    };
    child.stderr.on('data', (b: Buffer) => {
      scan(decoder.write(b));
      err.push(b);
      errBytes += b.length;
      while (errBytes - err[0]!.length > STDERR_KEEP) errBytes -= err.shift()!.length;
    });
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    const label = `${run.tool} (${shownArgv(run.argv)})`;
    // Kill the tool's group and stop reading. Do not wait for the pipes to close: a process that
    // left the group (setsid, a daemon) can hold them open for ever.
    const stop = () => {
      killGroup('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      stop();
      const what = exited
        ? 'exited, but a process it started outside its process group kept its output open for'
        : 'did not finish within';
      settle(() =>
        reject(
          new RenderFailure(
            `${label} ${what} ${run.timeoutMs / 1000} s and was killed`,
            undefined,
            "make the render cheaper, or raise SAFE_RENDER_TIMEOUT_SECONDS (below Argo CD's repo-server timeout)",
          ),
        ),
      );
    }, run.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      settle(() =>
        reject(
          new RenderFailure(
            e.code === 'ENOENT'
              ? `${run.tool} binary "${cmd}" was not found on PATH`
              : `cannot run ${label}: ${e.message}`,
            undefined,
            e.code === 'ENOENT'
              ? `install ${run.tool} in the sidecar image, or set its command in the platform policy (engines.${run.tool}Command)`
              : undefined,
          ),
        ),
      );
    });
    // Once the tool has exited, whatever it left running in its group goes too, so the pipes close.
    child.on('exit', () => {
      exited = true;
      killGroup('SIGKILL');
    });
    child.on('close', (code, signal) => {
      killGroup('SIGKILL');
      if (settled) return;
      const stderr = redactToolStderr(Buffer.concat(err).toString('utf8')).trim();
      const tail = stderr ? `: ${stderr.split('\n').slice(-20).join(' | ')}` : '';
      if (code !== 0)
        return settle(() =>
          reject(new RenderFailure(`${label} failed (${signal ? `signal ${signal}` : `exit ${code}`})${tail}`)),
        );
      scan(`${decoder.end()}\n`);
      if (errorLine)
        return settle(() => reject(new RenderFailure(`${label} reported an error although it exited 0${tail}`)));
      settle(() => resolvePromise(Buffer.concat(out).toString('utf8')));
    });
  });
}
