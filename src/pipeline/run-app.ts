// Running one app: context -> render -> parse -> check, as a library call (issue 10). Everything the
// run depends on comes in as arguments (the environment, the working folder, a tool runner, an
// AbortSignal), so a caller can run many apps in one process, at once, each with its own settings.
// The render stage reads files and runs tools; parse and check are pure.
import type { AppConfig } from '../config/app-config';
import { applyParameters } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import { readFreezes } from '../context/freeze';
import { validateParameters } from '../context/parameters';
import type { Finding } from '../checks/finding';
import type { RunMode } from '../checks/rule';
import { runChecks, type CheckResult } from '../checks/run-checks';
import { readLockState, type LockState } from '../lock/store';
import type { ManifestObject } from '../model/object';
import { parseManifests } from '../parse/parse-manifests';
import { applyPatches } from '../render/patches';
import { renderApp } from '../render/render-app';
import { listRepoTree } from '../render/repo-tree';
import type { ToolRunner } from '../render/run-tool';
import { RenderFailure } from '../util/errors';
import { renderFailedFinding } from '../report/format';
import { loadAppConfig } from './app-config';
import type { Env } from './env';
import { loadPolicy } from './policy';
import { findSourceOverrides } from './source-overrides';
import { repoFileReader } from './repo-file-reader';

export interface RunAppOptions {
  mode: RunMode;
  /** The environment: policy path, freeze folder, tool timeout, the tools' PATH. */
  env: Env;
  /** The caller's working folder: a relative policy path is relative to it. */
  cwd: string;
  /** A policy file named by the caller (render --policy); else the env's, else the default path. */
  policyFile?: string;
  /** Runs kustomize/helm; default: the real binaries (runTool). */
  runner?: ToolRunner;
  /** Cancels the run: a running tool's process group is killed and the run ends as render-failed. */
  signal?: AbortSignal;
}

/** The app rendered and checked: what to emit and every finding (the caller decides what refuses). */
export interface AppRendered extends CheckResult {
  ok: true;
  config: AppConfig;
  policy?: AppliedPolicy;
  lockState: LockState;
  engine: string;
  fileCount: number;
}

/** The render failed (engine error, limits, unreadable files, cancelled): no objects, and one
 * render-failed finding. `failure` keeps the error for callers that report it the CLI's way. */
export interface AppFailed {
  ok: false;
  objects: ManifestObject[];
  findings: Finding[];
  failure: RenderFailure;
}

export type AppRun = AppRendered | AppFailed;

function memo<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

/** Runs one app. A render failure is a value (`ok: false`), so a caller running many apps reports
 * it and goes on; a usage error (a named policy that is missing, an invalid safe-render.yaml) still
 * throws, as it is the caller's setup that must change. */
export async function runApp(app: AppContext, opts: RunAppOptions): Promise<AppRun> {
  try {
    return await renderAndCheck(app, opts);
  } catch (e) {
    if (!(e instanceof RenderFailure)) throw e;
    // The finding the CLI prints for it (report/format.ts); a library caller gets a fix even when the failure has none.
    return {
      ok: false,
      objects: [],
      findings: [
        renderFailedFinding({ ...e, message: e.message, fix: e.fix ?? 'see the message; nothing was rendered' }),
      ],
      failure: e,
    };
  }
}

async function renderAndCheck(app: AppContext, opts: RunAppOptions): Promise<AppRendered> {
  const policy = loadPolicy(app, opts.env, opts.cwd, opts.policyFile);
  const freezes = readFreezes(opts.env, app.repoRoot);
  const config = applyParameters(loadAppConfig(app), validateParameters(app.parameters));
  const { engine, sources, fileCount } = await renderApp(app, config, policy, opts.env, {
    runner: opts.runner,
    signal: opts.signal,
  });
  const docs = applyPatches(parseManifests(sources), config.patches);
  const lockState = readLockState(app.repoRoot, app.appName);
  const repoTree = memo(() => listRepoTree(app.repoRoot));
  const readRepoFile = repoFileReader(app.repoRoot);
  const sourceOverrides = findSourceOverrides(app.appDir);
  const checked = runChecks(docs, {
    app,
    config,
    policy,
    freezes,
    mode: opts.mode,
    lockState,
    repoTree,
    readRepoFile,
    sourceOverrides,
  });
  return { ok: true, ...checked, config, policy, lockState, engine, fileCount };
}
