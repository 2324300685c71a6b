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
import type { ToolRunner } from './engines/engine';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool } from './run-tool';
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

export async function renderApp(app: AppContext, config: AppConfig, policy: AppliedPolicy | undefined, env: Readonly<Record<string, string | undefined>>, tools: ToolRunner = runTool): Promise<RenderedSources> {
  const engine = selectEngine(app.appDir, config);
  const { sources, fileCount } = await engineNamed(engine).render({
    app, config, limits: policy?.limits.engines, timeoutMs: timeoutMs(policy, env), env, runTool: tools, prefix: displayPrefix(app),
  });
  checkDocumentCount(sources);
  return { engine, sources, fileCount };
}
