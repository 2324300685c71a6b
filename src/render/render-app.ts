// Stage "render": the app's files through its engine, into text sources for the parser. Plain
// directories are read as they are; kustomize and helm run as real binaries. Which engine is
// src/render/engines/detect.ts; each engine is one file behind src/render/engines/engine.ts.
import { relative } from 'node:path';
import type { AppConfig, EngineName } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import type { SourceFile } from '../model/object';
import { selectEngine } from './engines/detect';
import { engineNamed } from './engines/registry';
import { DEFAULT_TOOL_PATH, DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolRunner } from './run-tool';
import { toPosix } from './read-tree';
import { checkDocumentCount } from './limits';

export interface RenderedSources {
  engine: EngineName;
  sources: SourceFile[];
  /** Files read (plain) or 1 (an engine's output). */
  fileCount: number;
}

export function displayPrefix(app: Pick<AppContext, 'appDir' | 'repoRoot'>): string {
  return toPosix(relative(app.repoRoot, app.appDir));
}

function timeoutMs(policy: AppliedPolicy | undefined, env: Readonly<Record<string, string | undefined>>): number {
  const seconds = policy?.limits.engines?.timeoutSeconds ?? Number(env.SAFE_RENDER_TIMEOUT_SECONDS || NaN);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TOOL_TIMEOUT_MS;
}

/** How tools run, from the caller (issue 10): the runner (default: the real binaries) and the signal
 * that cancels them. Their PATH is the passed `env`'s, never the process's. */
export interface ToolOptions {
  runner?: ToolRunner;
  signal?: AbortSignal;
}

export async function renderApp(
  app: AppContext,
  config: AppConfig,
  policy: AppliedPolicy | undefined,
  env: Readonly<Record<string, string | undefined>>,
  tools: ToolOptions = {},
): Promise<RenderedSources> {
  const engine = selectEngine(app.appDir, config);
  const runner = tools.runner ?? runTool;
  // Every tool an engine runs gets the caller's PATH and signal unless the engine says otherwise.
  const bound: ToolRunner = (run, home) =>
    runner({ ...run, path: run.path ?? env.PATH ?? DEFAULT_TOOL_PATH, signal: run.signal ?? tools.signal }, home);
  const { sources, fileCount } = await engineNamed(engine).render({
    app,
    config,
    limits: policy?.limits.engines,
    timeoutMs: timeoutMs(policy, env),
    env,
    runTool: bound,
    prefix: displayPrefix(app),
  });
  checkDocumentCount(sources);
  return { engine, sources, fileCount };
}
