// Stage "render": the app's files through its engine, into text sources for the parser. Plain
// directories are read as they are; kustomize and helm run as real binaries.
import { relative } from 'node:path';
import type { AppConfig, EngineName } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import type { SourceFile } from '../parse/parse-manifests';
import { selectEngine } from './engines/detect';
import { renderHelm } from './engines/helm';
import { renderKustomize } from './engines/kustomize';
import { DEFAULT_TOOL_TIMEOUT_MS, withToolSession, type ToolRunner } from './run-tool';
import { listFiles, readSources, toPosix } from './read-tree';
import { checkGlobs, selectManifestFiles } from './select-files';
import { checkDocumentCount, MAX_TOTAL_BYTES } from './limits';
import { RenderFailure } from '../util/errors';

export interface RenderedSources {
  engine: EngineName;
  sources: SourceFile[];
  /** Files read (plain) or 1 (an engine's output). */
  fileCount: number;
}

export function displayPrefix(app: Pick<AppContext, 'appDir' | 'repoRoot'>): string {
  return toPosix(relative(app.repoRoot, app.appDir));
}

function timeoutMs(policy: AppliedPolicy | undefined, env: Record<string, string | undefined>): number {
  const seconds = policy?.limits.engines?.timeoutSeconds ?? Number(env.SAFE_RENDER_TIMEOUT_SECONDS || NaN);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TOOL_TIMEOUT_MS;
}

/** How tools run, from the caller (issue 10): the runner (default: the real binaries) and the signal
 * that cancels them. Their PATH is the passed `env`'s, never the process's. */
export interface ToolOptions {
  runner?: ToolRunner;
  signal?: AbortSignal;
}

export async function renderApp(app: AppContext, config: AppConfig, policy: AppliedPolicy | undefined, env: Record<string, string | undefined>, tools: ToolOptions = {}): Promise<RenderedSources> {
  const engine = selectEngine(app.appDir, config);
  const prefix = displayPrefix(app);
  if (engine === 'plain') {
    checkGlobs(config);
    const files = selectManifestFiles(listFiles(app.appDir, app.repoRoot, config.recurse), config);
    const sources = readSources(app.appDir, files, prefix, app.repoRoot);
    checkDocumentCount(sources);
    return { engine, sources, fileCount: files.length };
  }
  const helmCommand = policy?.limits.engines?.helmCommand?.length ? policy.limits.engines.helmCommand : ['helm'];
  const text = await withToolSession({ ...tools, path: env.PATH }, (session) => engine === 'kustomize'
    ? renderKustomize({ appDir: app.appDir, repoRoot: app.repoRoot, config: config.kustomize, engines: policy?.limits.engines, helmCommand, timeoutMs: timeoutMs(policy, env), kubeVersion: app.kubeVersion, apiVersions: app.apiVersions }, session)
    : renderHelm({ app, config: config.helm, helmCommand, timeoutMs: timeoutMs(policy, env) }, session));
  if (text.length > MAX_TOTAL_BYTES) throw new RenderFailure(`${engine} printed more than ${MAX_TOTAL_BYTES / 1048576} MiB, Argo CD's default limit for one render`, prefix || '.', 'split the app into several Applications');
  const sources = [{ path: `${prefix || '.'} (${engine} output)`, text }];
  checkDocumentCount(sources);
  return { engine, sources, fileCount: 1 };
}
