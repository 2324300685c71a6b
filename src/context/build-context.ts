// Building an AppContext for each way safe-render is called. `generate` trusts only Argo CD's
// environment; `render` takes flags that stand in for it, so a laptop gives the same bytes.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, posix, resolve, relative, sep, basename } from 'node:path';
import { UsageError } from '../util/errors';
import type { AppContext, PluginParameter } from './app-context';
import { envVarsOf, parseParametersJson, splitList } from './argocd-env';
import { parametersFromParamEnv } from './parameters';

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The repository root is the working directory minus ARGOCD_APP_SOURCE_PATH (contract §2 step 5).
 * ARGOCD_APP_SOURCE_PATH is the path exactly as written in the Application; Argo CD cleans it to
 * find the folder (`apps/../web` is `web`), so do we. The sidecar sets the working directory to
 * <copy>/<path>, but a process sees its working directory with symlinks resolved, so the root is
 * the ancestor of the working directory in which the path leads back to it. Through a symlink
 * named like the tail of its target (`web -> apps/web`) two ancestors qualify; the repository root
 * is the one holding .git (included in the copy by default), else the nearest. */
export function repoRootFor(appDir: string, sourcePath: string): string {
  const parts = posix.normalize(sourcePath || '.').split('/').filter((p) => p !== '' && p !== '.');
  if (parts[0] === '..') throw new UsageError(`ARGOCD_APP_SOURCE_PATH "${sourcePath}" leaves the repository`);
  if (!parts.length) return appDir;
  const realAppDir = realpathOrUndefined(appDir);
  const candidates: string[] = [];
  for (let d = appDir; realAppDir !== undefined; d = dirname(d)) {
    if (realpathOrUndefined(join(d, ...parts)) === realAppDir) candidates.push(d);
    if (dirname(d) === d) break;
  }
  const root = candidates.find((d) => existsSync(join(d, '.git'))) ?? candidates[0];
  if (root !== undefined) return root;
  throw new UsageError(`the working directory ${appDir} does not end with ARGOCD_APP_SOURCE_PATH "${sourcePath}"`);
}

export function contextFromEnv(env: Record<string, string | undefined>, cwd: string): AppContext {
  const appName = env.ARGOCD_APP_NAME ?? '';
  if (appName === '') {
    throw new UsageError('ARGOCD_APP_NAME is not set: `generate` runs inside Argo CD. On a laptop, use `safe-render render --app NAME --namespace NS`');
  }
  const sourcePath = env.ARGOCD_APP_SOURCE_PATH ?? '';
  return {
    appName,
    namespace: env.ARGOCD_APP_NAMESPACE ?? '',
    project: env.ARGOCD_APP_PROJECT_NAME ?? '',
    repoURL: env.ARGOCD_APP_SOURCE_REPO_URL ?? '',
    sourcePath,
    revision: env.ARGOCD_APP_REVISION ?? '',
    targetRevision: env.ARGOCD_APP_SOURCE_TARGET_REVISION ?? '',
    kubeVersion: env.KUBE_VERSION ?? '',
    apiVersions: splitList(env.KUBE_API_VERSIONS),
    env: envVarsOf(env),
    // ARGOCD_APP_PARAMETERS is exact; PARAM_* is Argo CD's lossy copy of it (contract §3b).
    parameters: env.ARGOCD_APP_PARAMETERS !== undefined ? parseParametersJson(env.ARGOCD_APP_PARAMETERS) : parametersFromParamEnv(env),
    appDir: cwd,
    repoRoot: repoRootFor(cwd, sourcePath),
  };
}

/** The nearest folder above `dir` (or `dir` itself) that holds `.git`, else `dir`. */
export function findRepoRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return d;
    if (dirname(d) === d) return dir;
  }
}

export interface RenderFlags {
  path?: string;
  app?: string;
  namespace?: string;
  project?: string;
  repoURL?: string;
  revision?: string;
  repoRoot?: string;
  kubeVersion?: string;
  apiVersions?: string;
  env: string[];
  params: string[];
  /** Parameters already in Argo CD's shape (from an Application manifest). */
  parameters?: PluginParameter[];
}

function keyValue(s: string, flag: string): [string, string] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} takes NAME=VALUE, got "${s}"`);
  return [s.slice(0, eq), s.slice(eq + 1)];
}

/** `--param name=v` sets a string, `--param name[]=v` appends to an array, `--param name[key]=v` sets a map entry. */
export function parseParamFlags(values: readonly string[]): PluginParameter[] {
  const byName = new Map<string, PluginParameter>();
  for (const raw of values) {
    const [lhs, v] = keyValue(raw, '--param');
    const m = /^([^[\]]+)(?:\[([^\]]*)\])?$/.exec(lhs);
    if (!m) throw new UsageError(`--param: cannot read "${lhs}"; use name=v, name[]=v or name[key]=v`);
    const name = m[1]!;
    const p = byName.get(name) ?? { name };
    if (m[2] === undefined) p.string = v;
    else if (m[2] === '') (p.array ??= []).push(v);
    else (p.map ??= {})[m[2]] = v;
    byName.set(name, p);
  }
  return [...byName.values()];
}

export function contextFromFlags(f: RenderFlags, cwd: string): AppContext {
  const appDir = resolve(cwd, f.path ?? '.');
  if (!existsSync(appDir)) throw new UsageError(`no such directory: ${f.path}`);
  const repoRoot = f.repoRoot ? resolve(cwd, f.repoRoot) : findRepoRoot(appDir);
  const rel = relative(repoRoot, appDir);
  if (rel.startsWith('..')) throw new UsageError(`the app directory ${appDir} is not inside the repository root ${repoRoot}`);
  return {
    appName: f.app ?? basename(appDir),
    namespace: f.namespace ?? '',
    project: f.project ?? '',
    repoURL: f.repoURL ?? '',
    sourcePath: rel.split(sep).join('/') || '.',
    revision: f.revision ?? '',
    targetRevision: '',
    kubeVersion: f.kubeVersion ?? '',
    apiVersions: splitList(f.apiVersions),
    env: Object.fromEntries(f.env.map((e) => keyValue(e, '--env'))),
    parameters: [...(f.parameters ?? []), ...parseParamFlags(f.params)],
    appDir,
    repoRoot,
  };
}
