// A local stand-in for argocd-repo-server + argocd-cmp-server (the CMP v2 sidecar), for the two RPCs
// safe-render serves: GenerateManifest and GetParametersAnnouncement. It follows
// ../shared/docs/argocd-cmp-contract.md (§2 request lifecycle, §3 execution, §5 parameters, §9):
//
//   - plugin.yaml is read and validated as the sidecar does at start-up;
//   - every call copies the WHOLE repository (with .git) into a fresh <tmp>/_cmp_server/<uuid>,
//     files 0644 and folders 0755, symlinks made relative and kept inside the copy;
//   - the command runs without a shell, stdin empty, in its own process group, in <copy>/<path>,
//     with the sidecar's env followed by the request env in Argo CD's order (last one wins);
//   - one deadline (60 s by default) minus 100 ms; on expiry the child is SIGKILLed, its group
//     SIGTERMed, and SIGKILLed 5 s later; the same group kill runs when the request ends;
//   - a failure reads exactly like Argo CD's error, and stdout goes through the three parsing
//     stages of §3e.
//
// `safe-render` is found on PATH as in the sidecar image: a temporary bin folder with
// `safe-render -> dist/safe-render.cjs` (and `node`, for its shebang) comes first on PATH.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BUNDLE, ROOT, TOOLS_BIN } from '../helpers';
import { dedupEnv, generateRequestEnv, parametersRequestEnv, type AppSpec } from './argo-env';
import { commandArgsToLog, exitStatusText, goClean, goTrimSpace, jsonTypeName } from './go';
import {
  decodeAnnouncement,
  decodeAnnouncements,
  parsePluginOutput,
  yamlToValue,
  type JsonObject,
  type ParameterAnnouncement,
} from './manifests';

export type { AppSpec, EnvEntry, PluginParameter, PluginSection } from './argo-env';
export type { ParameterAnnouncement } from './manifests';

// ---------------------------------------------------------------------------------------------
// plugin.yaml

export interface CommandSpec {
  command: string[];
  args: string[];
}

export interface PluginConfig {
  name: string;
  version: string;
  init: CommandSpec;
  generate: CommandSpec;
  parameters: { static: ParameterAnnouncement[]; dynamic: CommandSpec };
  preserveFileMode: boolean;
  provideGitCreds: boolean;
}

/** Where the plugin config comes from: a file (default: the project's plugin.yaml) or its text. */
export type PluginConfigSource = { path: string } | { text: string };

type Obj = Record<string, unknown>;

/** encoding/json into a struct: every key that matches the field case-insensitively sets it, so
 * the last one wins. */
function field(o: Obj, name: string): unknown {
  let v: unknown;
  for (const [k, val] of Object.entries(o)) if (k.toLowerCase() === name.toLowerCase()) v = val;
  return v;
}

function typeError(v: unknown, path: string, goType: string): Error {
  return new Error(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonTypeName(v)} into Go struct field PluginConfig.${path} of type ${goType}`,
  );
}

function objAt(o: Obj, name: string, path: string): Obj {
  const v = field(o, name);
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, path, 'struct');
  return v as Obj;
}

function stringAt(o: Obj, name: string, path: string): string {
  const v = field(o, name);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw typeError(v, path, 'string');
  return v;
}

function boolAt(o: Obj, name: string, path: string): boolean {
  const v = field(o, name);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw typeError(v, path, 'bool');
  return v;
}

function stringsAt(o: Obj, name: string, path: string): string[] {
  const v = field(o, name);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, path, '[]string');
  return v.map((s) => {
    if (s !== null && typeof s !== 'string') throw typeError(s, path, 'string');
    return s ?? '';
  });
}

function commandAt(o: Obj, name: string, path: string): CommandSpec {
  const c = objAt(o, name, path);
  return { command: stringsAt(c, 'command', `${path}.command`), args: stringsAt(c, 'args', `${path}.args`) };
}

/** ReadPluginConfig + ValidatePluginConfig (argo-cd cmpserver/plugin/config.go). Throws the
 * errors that make the sidecar crash-loop. */
export function loadPluginConfig(source: PluginConfigSource = { path: join(ROOT, 'plugin.yaml') }): PluginConfig {
  const text = 'text' in source ? source.text : readFileSync(source.path, 'utf8');
  const raw = yamlToValue(text);
  if (raw === null) throw new Error('invalid plugin configuration file. metadata.name should be non-empty.');
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonTypeName(raw)} into Go value of type plugin.PluginConfig`,
    );
  const top = raw as Obj;
  const kind = stringAt(top, 'kind', 'kind');
  const metadata = objAt(top, 'metadata', 'metadata');
  const name = stringAt(metadata, 'name', 'metadata.name');
  const spec = objAt(top, 'spec', 'spec');
  const params = objAt(spec, 'parameters', 'spec.parameters');
  const staticRaw = field(params, 'static');
  if (staticRaw !== undefined && staticRaw !== null && !Array.isArray(staticRaw))
    throw typeError(staticRaw, 'spec.parameters.static', '[]*apiclient.ParameterAnnouncement');
  const config: PluginConfig = {
    name,
    version: stringAt(spec, 'version', 'spec.version'),
    init: commandAt(spec, 'init', 'spec.init'),
    generate: commandAt(spec, 'generate', 'spec.generate'),
    parameters: {
      static: ((staticRaw as unknown[] | null | undefined) ?? []).map((a) => decodeAnnouncement(a)),
      dynamic: commandAt(params, 'dynamic', 'spec.parameters.dynamic'),
    },
    preserveFileMode: boolAt(spec, 'preserveFileMode', 'spec.preserveFileMode'),
    provideGitCreds: boolAt(spec, 'provideGitCreds', 'spec.provideGitCreds'),
  };
  if (config.name === '') throw new Error('invalid plugin configuration file. metadata.name should be non-empty.');
  if (kind !== 'ConfigManagementPlugin')
    throw new Error(`invalid plugin configuration file. kind should be ConfigManagementPlugin, found ${kind}`);
  if (config.generate.command.length === 0)
    throw new Error('invalid plugin configuration file. spec.generate command should be non-empty');
  return config;
}

// ---------------------------------------------------------------------------------------------
// The sidecar's file system: bin folder, work folder, one copy of the repo per request.

let binDirCache: string | undefined;

/** A temporary folder standing in for the image's /usr/local/bin: `safe-render` (the bundle) and
 * `node` (for the bundle's `#!/usr/bin/env node`). */
export function harnessBinDir(): string {
  if (binDirCache) return binDirCache;
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  accessSync(BUNDLE, constants.X_OK);
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-bin-'));
  symlinkSync(BUNDLE, join(dir, 'safe-render'));
  symlinkSync(process.execPath, join(dir, 'node'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  binDirCache = dir;
  return dir;
}

let workBaseCache: string | undefined;

/** $ARGOCD_CMP_WORKDIR stand-in: a private temporary folder per test process (the real sidecar
 * wipes <tmp>/_cmp_server on start, which a test must not do to a shared /tmp). */
function defaultWorkBase(): string {
  if (!workBaseCache) {
    workBaseCache = realpathSync(mkdtempSync(join(tmpdir(), 'safe-render-cmp-')));
    const dir = workBaseCache;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return workBaseCache;
}

/** filepath.Walk order: lexical within each folder, depth first, symlinks not followed. */
function walk(root: string, rel = '', out: string[] = []): string[] {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    out.push(r);
    if (lstatSync(join(root, r)).isDirectory()) walk(root, r, out);
  }
  return out;
}

/** util/io/path CheckOutOfBoundsSymlinks: absolute symlinks, and relative ones whose path ever
 * steps outside the repository, are refused before anything is sent. */
function checkOutOfBoundsSymlinks(root: string, entries: readonly string[]): void {
  for (const rel of entries) {
    const p = join(root, rel);
    if (!lstatSync(p).isSymbolicLink()) continue;
    const target = readlinkSync(p);
    let bad = isAbsolute(target);
    let current = dirname(p);
    for (const part of target.split('/')) {
      if (bad) break;
      current = join(current, part);
      const r = relative(root, current);
      bad = r === '..' || r.startsWith('../');
    }
    if (bad) throw new Error(`repository contains out-of-bounds symlinks. file: ${rel}`);
  }
}

/** Go's filepath.Match, enough for tar exclusions: `*` and `?` never cross `/`, `[...]` classes. */
function filepathMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false; // ErrBadPattern: matches nothing
      re += `[${pattern.slice(i + 1, end)}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

function inbound(candidate: string, base: string): boolean {
  return goClean(candidate).startsWith(`${goClean(base)}/`);
}

/** Tgz on the repo-server + Untgz on the sidecar, without the tarball: regular files, folders and
 * symlinks only; modes 0644/0755 unless preserveFileMode. Returns the new work folder. */
export function copyRepoForRequest(
  repoDir: string,
  preserveFileMode: boolean,
  workBase = defaultWorkBase(),
  tarExclusions: readonly string[] = [],
): string {
  const root = realpathSync(repoDir);
  const excluded = (rel: string) => tarExclusions.some((p) => filepathMatch(p, rel));
  const entries = walk(root)
    .filter(
      (rel) =>
        !excluded(rel) && !rel.split('/').some((_, i, a) => i < a.length - 1 && excluded(a.slice(0, i + 1).join('/'))),
    )
    .filter((rel) => {
      const st = lstatSync(join(root, rel));
      return st.isFile() || st.isDirectory() || st.isSymbolicLink();
    });
  checkOutOfBoundsSymlinks(root, entries);
  if (!entries.some((rel) => !lstatSync(join(root, rel)).isDirectory())) throw new Error('no files to send');
  const cmpDir = join(workBase, '_cmp_server');
  mkdirSync(cmpDir, { recursive: true, mode: 0o700 });
  const workDir = join(cmpDir, randomUUID());
  mkdirSync(workDir, { mode: 0o755 });
  chmodSync(workDir, 0o755);
  for (const rel of entries) {
    const src = join(root, rel);
    const target = join(workDir, rel);
    const st = lstatSync(src);
    if (st.isDirectory()) {
      mkdirSync(target, { recursive: true });
      chmodSync(target, preserveFileMode ? st.mode & 0o7777 : 0o755);
    } else if (st.isFile()) {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(src, target);
      chmodSync(target, preserveFileMode ? st.mode & 0o7777 : 0o644);
    } else {
      const linkTarget = goClean(join(dirname(target), readlinkSync(src)));
      let real: string;
      try {
        real = realpathSync(linkTarget);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          throw new Error(`error checking symlink realpath: ${(e as Error).message}`);
        real = linkTarget;
      }
      if (!inbound(real, workDir)) throw new Error(`illegal filepath in symlink: ${linkTarget}`);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(relative(dirname(target), real) || '.', target);
    }
  }
  return workDir;
}

/** The app folder: argopath.Path on the repo-server, then Clean(workDir/appRelPath) on the sidecar,
 * appRelPath being relative to the tarball's root (the repository root, or with
 * manifest-generate-paths the common parent of the app's paths). */
function appPathIn(workDir: string, repoRoot: string, sourcePath: string, tarRoot = repoRoot): string {
  if (isAbsolute(sourcePath)) throw new Error(`${sourcePath}: app path is absolute`);
  const appPathInRepo = goClean(join(repoRoot, sourcePath));
  if (!appPathInRepo.startsWith(goClean(repoRoot))) throw new Error(`${sourcePath}: app path outside root`);
  if (!existsSync(appPathInRepo)) throw new Error(`${appPathInRepo}: app path does not exist`);
  const appPath = goClean(join(workDir, relative(tarRoot, appPathInRepo)));
  if (!appPath.startsWith(workDir)) throw new Error('illegal appPath: out of workDir bound');
  return appPath;
}

// ---------------------------------------------------------------------------------------------
// Running one command as runCommand does.

export interface CommandRun {
  argv: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Argo CD's error for this run, if it failed. */
  error?: string;
  pid?: number;
}

/** exec.LookPath against the sidecar's PATH (not the request env). */
function lookPath(name: string, cwd: string, path: string): string {
  if (name.includes('/')) return resolve(cwd, name);
  for (const d of path.split(':')) {
    const p = join(d === '' ? '.' : d, name);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
    } catch {
      continue;
    }
    if (!isAbsolute(p)) throw new Error(`exec: "${name}": cannot run executable found relative to current directory`);
    return p;
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`);
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
};

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone.
  }
}

/** The goroutine runCommand starts: SIGTERM the process group, SIGKILL it 5 s later. */
function termThenKillGroup(pid: number): void {
  signalGroup(pid, 'SIGTERM');
  const t = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5000);
  // Keep the test process alive for the SIGKILL only while the group still exists.
  const poll = setInterval(() => {
    if (!groupAlive(pid)) {
      clearTimeout(t);
      clearInterval(poll);
    }
  }, 50);
  setTimeout(() => clearInterval(poll), 5100).unref();
}

/** What a sandbox wrapper gets: the command as the cmp-server resolved it, and the folders it uses. */
export interface SandboxRun {
  file: string;
  args: string[];
  cwd: string;
  /** The request's copy of the repository (writable, in the sidecar's /tmp). */
  workDir: string;
  /** The harness bin folder (the image's /usr/local/bin stand-in). */
  binDir: string;
}

/** Returns the program and arguments to spawn instead (for example bwrap ... -- file args). */
export type Sandbox = (run: SandboxRun) => { file: string; args: string[] };

function runCommand(
  cmd: CommandSpec,
  cwd: string,
  env: ReadonlyArray<[string, string]>,
  sidecarPath: string,
  deadlineAt: number,
  sandbox?: { wrap: Sandbox; workDir: string },
): Promise<CommandRun> {
  const argv = [...cmd.command, ...cmd.args];
  const base: CommandRun = { argv, stdout: '', stderr: '', exitCode: null, signal: null, timedOut: false };
  if (cmd.command.length === 0) return Promise.resolve({ ...base, error: 'Command is empty' });
  if (Date.now() >= deadlineAt) return Promise.resolve({ ...base, error: 'context deadline exceeded' });
  let file: string;
  try {
    file = lookPath(argv[0]!, cwd, sidecarPath);
  } catch (e) {
    return Promise.resolve({ ...base, error: (e as Error).message });
  }
  const display = commandArgsToLog(argv);
  return new Promise((done) => {
    let child: ReturnType<typeof spawn>;
    try {
      const run = sandbox
        ? sandbox.wrap({ file, args: argv.slice(1), cwd, workDir: sandbox.workDir, binDir: harnessBinDir() })
        : { file, args: argv.slice(1) };
      child = spawn(run.file, run.args, {
        argv0: sandbox ? run.file : argv[0],
        cwd,
        env: Object.fromEntries(env),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (e) {
      done({ ...base, error: `exec: ${(e as Error).message}` });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let finished = false;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      // exec.CommandContext kills the direct child; Argo CD's goroutine then signals the group.
      child.kill('SIGKILL');
      if (child.pid) termThenKillGroup(child.pid);
    }, deadlineAt - Date.now());
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      done({ ...base, error: `fork/exec ${file}: ${ERRNO_TEXT[e.code ?? ''] ?? e.message}` });
    });
    child.on('close', (code, signal) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      const run: CommandRun = {
        ...base,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code,
        signal,
        timedOut,
        pid: child.pid,
      };
      if (code !== 0 || signal) {
        const stderr = goTrimSpace(run.stderr);
        run.error = `\`${display}\` failed ${exitStatusText(code, signal)}${stderr ? `: ${stderr}` : ''}`;
      }
      done(run);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The two RPCs.

export interface RequestOptions extends AppSpec {
  /** The repository on disk (its root, holding .git). Copied whole for every request. */
  repoDir: string;
  /** The sidecar's own environment (os.Environ() of argocd-cmp-server); default: PATH only.
   * The harness bin folder is put first on its PATH. The default PATH also holds .tools/bin. */
  sidecarEnv?: Record<string, string>;
  /** The gRPC deadline the repo-server passes (controller.repo.server.timeout.seconds); default 60000. */
  deadlineMs?: number;
  /** Another plugin.yaml (for example a test-only command); default: the project's plugin.yaml. */
  pluginConfig?: PluginConfigSource;
  /** Run each command through this wrapper (test/sandbox.test.ts: bubblewrap, as the image's
   * promises say the sidecar runs it); default: spawned directly. */
  sandbox?: Sandbox;
  /** Keep the copied work folder instead of deleting it after the request (debugging). */
  keepWorkDir?: boolean;
  /** reposerver.plugin.tar.exclusions: filepath.Match patterns against repo-relative paths; a
   * matching folder drops its whole subtree (contract §2 step 4). */
  tarExclusions?: string[];
  /** The tarball's root, repo-relative, as reposerver.plugin.use.manifest.generate.paths=true makes
   * it (the common parent of the app path and its manifest-generate-paths); default the repository. */
  tarRoot?: string;
}

interface RequestBase {
  ok: boolean;
  /** Argo CD's error text for a failed request. */
  error?: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** command ++ args as run. */
  argv: string[];
  /** The request env, "NAME=value" in the order the repo-server sends it. */
  requestEnv: string[];
  /** The child's whole environment: sidecar env, then request env, last duplicate winning. */
  env: Record<string, string>;
  /** The working directory the command ran in (inside the copy, deleted afterwards). */
  cwd: string;
  durationMs: number;
}

export interface GenerateResult extends RequestBase {
  /** Stage-1 strings (ManifestResponse.manifests). */
  manifests: string[];
  /** The objects Argo CD goes on with after stage 3. */
  objects: JsonObject[];
}

export interface ParametersResult extends RequestBase {
  /** dynamic ++ static, as ParametersAnnouncementResponse. */
  announcements: ParameterAnnouncement[];
  dynamic: ParameterAnnouncement[];
  static: ParameterAnnouncement[];
}

interface Prepared {
  config: PluginConfig;
  requestEnv: string[];
  env: Array<[string, string]>;
  sidecarPath: string;
  workDir: string;
  cwd: string;
}

function prepare(opts: RequestOptions, requestEnvOf: (app: AppSpec) => string[]): Prepared {
  const config = loadPluginConfig(opts.pluginConfig);
  const requestEnv = requestEnvOf(opts);
  // Default: the image's PATH, which holds kubectl (kustomize) and helm: here the unpacked .tools/bin.
  const sidecar = {
    ...(opts.sidecarEnv ?? { PATH: `${TOOLS_BIN}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}` }),
  };
  sidecar.PATH = [harnessBinDir(), sidecar.PATH].filter((p) => p).join(':');
  const env = dedupEnv([...Object.entries(sidecar).map(([k, v]) => `${k}=${v}`), ...requestEnv]);
  const tarRoot = join(realpathSync(opts.repoDir), opts.tarRoot ?? '.');
  const workDir = copyRepoForRequest(tarRoot, config.preserveFileMode, undefined, opts.tarExclusions);
  let cwd: string;
  try {
    cwd = appPathIn(workDir, realpathSync(opts.repoDir), opts.path ?? '', goClean(tarRoot));
  } catch (e) {
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
  return { config, requestEnv, env, sidecarPath: sidecar.PATH, workDir, cwd };
}

function sandboxOf(opts: RequestOptions, p: Prepared): { wrap: Sandbox; workDir: string } | undefined {
  return opts.sandbox ? { wrap: opts.sandbox, workDir: p.workDir } : undefined;
}

function finish(p: Prepared, runs: readonly CommandRun[], keep: boolean | undefined): void {
  // The request's context is cancelled when the RPC returns: the same group kill runs for every
  // command whose deadline did not fire, which ends anything a plugin left running.
  for (const r of runs) if (r.pid && !r.timedOut && groupAlive(r.pid)) termThenKillGroup(r.pid);
  if (!keep) rmSync(p.workDir, { recursive: true, force: true });
}

function failedBeforeRun<T extends RequestBase>(e: unknown, t0: number, extra: Omit<T, keyof RequestBase>): T {
  return {
    ok: false,
    error: (e as Error).message,
    stdout: '',
    stderr: '',
    exitCode: null,
    signal: null,
    timedOut: false,
    argv: [],
    requestEnv: [],
    env: {},
    cwd: '',
    durationMs: Date.now() - t0,
    ...extra,
  } as unknown as T;
}

/** GenerateManifest: init (if any), then generate, in one fresh copy; stdout parsed in three stages. */
export async function runGenerate(opts: RequestOptions): Promise<GenerateResult> {
  const t0 = Date.now();
  const deadlineAt = t0 + (opts.deadlineMs ?? 60_000) - 100;
  let p: Prepared;
  try {
    p = prepare(opts, generateRequestEnv);
  } catch (e) {
    return failedBeforeRun<GenerateResult>(e, t0, { manifests: [], objects: [] });
  }
  const runs: CommandRun[] = [];
  try {
    if (p.config.init.command.length) {
      const init = await runCommand(p.config.init, p.cwd, p.env, p.sidecarPath, deadlineAt, sandboxOf(opts, p));
      runs.push(init);
      if (init.error) return result(init, []);
    }
    const gen = await runCommand(p.config.generate, p.cwd, p.env, p.sidecarPath, deadlineAt, sandboxOf(opts, p));
    runs.push(gen);
    if (gen.error) return result(gen, []);
    // runCommand returns stdout with one trailing "\n" trimmed.
    const parsed = parsePluginOutput(gen.stdout.endsWith('\n') ? gen.stdout.slice(0, -1) : gen.stdout);
    return { ...result(gen, parsed.manifests), objects: parsed.objects, ok: !parsed.error, error: parsed.error };
  } finally {
    finish(p, runs, opts.keepWorkDir);
  }

  function result(run: CommandRun, manifests: string[]): GenerateResult {
    return {
      ok: !run.error,
      error: run.error,
      stdout: run.stdout,
      stderr: run.stderr,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      argv: run.argv,
      requestEnv: p.requestEnv,
      env: Object.fromEntries(p.env),
      cwd: p.cwd,
      durationMs: Date.now() - t0,
      manifests,
      objects: [],
    };
  }
}

/** GetParametersAnnouncement: the dynamic command (if any) with the app-details env, its stdout
 * decoded strictly as []*ParameterAnnouncement, then dynamic ++ static. */
export async function runParameters(opts: RequestOptions): Promise<ParametersResult> {
  const t0 = Date.now();
  const deadlineAt = t0 + (opts.deadlineMs ?? 60_000) - 100;
  let p: Prepared;
  try {
    p = prepare(opts, parametersRequestEnv);
  } catch (e) {
    return failedBeforeRun<ParametersResult>(e, t0, { announcements: [], dynamic: [], static: [] });
  }
  const statics = p.config.parameters.static;
  const common = {
    stdout: '',
    stderr: '',
    exitCode: null,
    signal: null,
    timedOut: false,
    argv: [] as string[],
    requestEnv: p.requestEnv,
    env: Object.fromEntries(p.env),
    cwd: p.cwd,
  };
  const runs: CommandRun[] = [];
  try {
    if (p.config.parameters.dynamic.command.length === 0) {
      return {
        ...common,
        ok: true,
        durationMs: Date.now() - t0,
        announcements: [...statics],
        dynamic: [],
        static: statics,
      };
    }
    const run = await runCommand(
      p.config.parameters.dynamic,
      p.cwd,
      p.env,
      p.sidecarPath,
      deadlineAt,
      sandboxOf(opts, p),
    );
    runs.push(run);
    const fromRun = {
      ...common,
      stdout: run.stdout,
      stderr: run.stderr,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      argv: run.argv,
    };
    if (run.error) {
      return {
        ...fromRun,
        ok: false,
        error: `error executing dynamic parameter output command: ${run.error}`,
        durationMs: Date.now() - t0,
        announcements: [],
        dynamic: [],
        static: statics,
      };
    }
    let dynamic: ParameterAnnouncement[];
    try {
      dynamic = decodeAnnouncements(run.stdout.endsWith('\n') ? run.stdout.slice(0, -1) : run.stdout);
    } catch (e) {
      return {
        ...fromRun,
        ok: false,
        error: `error unmarshaling dynamic parameter output into ParametersAnnouncementResponse: ${(e as Error).message}`,
        durationMs: Date.now() - t0,
        announcements: [],
        dynamic: [],
        static: statics,
      };
    }
    // Dynamic first: "static should take precedence by being later" (the UI takes the first).
    return {
      ...fromRun,
      ok: true,
      durationMs: Date.now() - t0,
      announcements: [...dynamic, ...statics],
      dynamic,
      static: statics,
    };
  } finally {
    finish(p, runs, opts.keepWorkDir);
  }
}
