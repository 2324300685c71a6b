// The one pipeline every command runs: context -> render -> parse -> check. This file reads the config,
// policy, lock and manifest files; render runs the app's engine (kustomize and helm as child processes,
// bounded by render/limits.ts); parse and check are pure functions of what they are given.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyParameters, CONFIG_FILE, DEFAULT_CONFIG, parseAppConfig, type AppConfig } from '../config/app-config';
import { validateParameters } from '../context/parameters';
import type { AppContext } from '../context/app-context';
import { runChecks, type CheckResult } from '../checks/run-checks';
import { parseManifests } from '../parse/parse-manifests';
import { listRepoTree } from '../render/repo-tree';
import { displayPrefix, renderApp } from '../render/render-app';
import { applyPatches } from '../render/patches';
import { DEFAULT_POLICY_PATH, parsePolicy, policyFor, POLICY_ENV, type AppliedPolicy } from '../config/platform-policy';
import { readFreezes } from '../context/freeze';
import type { RunMode } from '../checks/rule';
import { UsageError } from '../util/errors';
import { readLockState, type LockState } from '../lock/store';
import { readOptionalRepoFile } from '../util/repo-file';
import { isSourceOverrideName } from '../checks/rules/source-override';

function memo<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

export interface PipelineResult extends CheckResult {
  config: AppConfig;
  policy?: AppliedPolicy;
  lockState: LockState;
  engine: string;
  fileCount: number;
}

export function loadAppConfig(app: Pick<AppContext, "appDir" | "repoRoot">): AppConfig {
  // Through the guarded reader (issue 8 §7): a safe-render.yaml linked out of the repository, a
  // folder or a fifo in its place, or a huge one is one clear line, never read or echoed.
  const shown = displayPath(app, CONFIG_FILE);
  const text = readOptionalRepoFile(app.repoRoot, join(app.appDir, CONFIG_FILE), { shown, kind: 'config' });
  return text === undefined ? DEFAULT_CONFIG : parseAppConfig({ file: shown, text });
}

function displayPath(app: Pick<AppContext, "appDir" | "repoRoot">, rel: string): string {
  const prefix = displayPrefix(app);
  return prefix ? `${prefix}/${rel}` : rel;
}

/** Argo CD's source override files in the app folder (rule source-override). Argo CD skips a name
 * that is a folder (or a link to one); anything else under the name counts. */
export function findSourceOverrides(appDir: string): string[] {
  return readdirSync(appDir).filter(isSourceOverrideName).filter((name) => {
    try {
      return !statSync(join(appDir, name)).isDirectory();
    } catch {
      return true;
    }
  }).sort();
}

export interface RunOptions {
  mode: RunMode;
  /** The process environment: where the policy and freeze folders are. */
  env: Record<string, string | undefined>;
  /** A policy file named on the command line (render --policy). */
  policyFile?: string;
}

/** The platform policy for this app, or undefined when none is installed. An explicitly named policy
 * (flag or SAFE_RENDER_POLICY) must exist; only the default path may be absent. */
export function loadPolicy(app: AppContext, opts: RunOptions): AppliedPolicy | undefined {
  const named = opts.policyFile ?? opts.env[POLICY_ENV];
  const file = named || DEFAULT_POLICY_PATH;
  if (!existsSync(file)) {
    if (named) throw new UsageError(`the platform policy ${file} does not exist (named by ${opts.policyFile ? '--policy' : POLICY_ENV}); refusing to render without it`);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the platform policy ${file}: ${(e as Error).message}`);
  }
  return policyFor(parsePolicy({ file, text }), app.appName, app.project);
}

export async function runPipeline(app: AppContext, opts: RunOptions): Promise<PipelineResult> {
  const policy = loadPolicy(app, opts);
  const freezes = readFreezes(opts.env, app.repoRoot);
  const config = applyParameters(loadAppConfig(app), validateParameters(app.parameters));
  const { engine, sources, fileCount } = await renderApp(app, config, policy, opts.env);
  const docs = applyPatches(parseManifests(sources), config.patches);
  const lockState = readLockState(app.repoRoot, app.appName);
  const repoTree = memo(() => listRepoTree(app.repoRoot));
  const sourceOverrides = findSourceOverrides(app.appDir);
  return { ...runChecks(docs, { app, config, policy, freezes, mode: opts.mode, lockState, repoTree, sourceOverrides }), config, policy, lockState, engine, fileCount };
}
