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

/** Argo CD's sidecar un-tars every request into <base>/_cmp_server/<uuid> (contract §2 step 5,
 * `common.DefaultCMPWorkDirName`): the copy's root is known from the working directory alone,
 * whatever the repository holds. The outermost match counts, since folders inside the copy may
 * be named anything. */
export const CMP_WORKDIR_NAME = '_cmp_server';

export function sidecarCopyRoot(realCwd: string): string | undefined {
  const parts = realCwd.split('/');
  const i = parts.indexOf(CMP_WORKDIR_NAME);
  if (i < 0 || i + 1 >= parts.length || parts[i + 1] === '') return undefined;
  return parts.slice(0, i + 2).join('/') || '/';
}

const CONTROL_FILES_HINT =
  'safe-render reads its locks, index and FREEZE from .safe-render/ at the repository root, so the sidecar must receive the whole repository: ' +
  'set reposerver.plugin.use.manifest.generate.paths to false (argocd-cmd-params-cm), and keep .safe-render out of reposerver.plugin.tar.exclusions';

/** The repository root for `generate` (issue 9 §4): the working directory minus
 * ARGOCD_APP_SOURCE_PATH, without trusting anything the repository holds. ARGOCD_APP_SOURCE_PATH
 * is the path as written in the Application; Argo CD cleans it (`apps/../web` is `web`), so do we.
 * A process sees its working directory with symlinks resolved.
 *
 * In the sidecar the copy's root C comes from the `_cmp_server/<uuid>` layout, not from the
 * repository, and is the root when C/<path> is the working directory. A copy rooted elsewhere
 * (`reposerver.plugin.use.manifest.generate.paths=true` roots it at the common parent of the
 * app's paths) puts the working directory at C/<a proper suffix of path>; a committed symlink
 * (`apps/web/apps/web -> ..`) can make C/<path> lead there too. So without C/.git (which only the
 * repository's own root can hold: Git does not track `.git` entries), a proper suffix of the path
 * that also leads to the working directory is refused as ambiguous: never guess a root that would
 * miss .safe-render and switch the deletion guard and the freeze off.
 *
 * Outside the sidecar layout (generate run by hand), the root is the nearest ancestor holding .git
 * from which the path leads to the working directory, else the only such ancestor. */
export function repoRootFor(appDir: string, sourcePath: string): string {
  const parts = posix
    .normalize(sourcePath || '.')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts[0] === '..') throw new UsageError(`ARGOCD_APP_SOURCE_PATH "${sourcePath}" leaves the repository`);
  const realAppDir = realpathOrUndefined(appDir);
  if (realAppDir === undefined) throw new UsageError(`the working directory ${appDir} cannot be read`);
  const leadsHere = (root: string, segs: readonly string[]) => realpathOrUndefined(join(root, ...segs)) === realAppDir;
  const copyRoot = sidecarCopyRoot(realAppDir);
  if (copyRoot !== undefined) {
    if (!leadsHere(copyRoot, parts)) {
      throw new UsageError(
        `the working directory is not ARGOCD_APP_SOURCE_PATH "${sourcePath}" inside the sidecar's copy, so the copy is not rooted at the repository root (reposerver.plugin.use.manifest.generate.paths=true?); ${CONTROL_FILES_HINT}`,
      );
    }
    if (!existsSync(join(copyRoot, '.git'))) {
      for (let i = 1; i <= parts.length; i++) {
        if (leadsHere(copyRoot, parts.slice(i))) {
          throw new UsageError(
            `the sidecar's copy has no .git and ARGOCD_APP_SOURCE_PATH "${sourcePath}" also leads to the working directory as "${parts.slice(i).join('/') || '.'}": cannot tell whether the copy is the whole repository (a symlink in the repository, or reposerver.plugin.use.manifest.generate.paths=true); ${CONTROL_FILES_HINT}, and keep .git in the copy (reposerver.plugin.tar.exclusions) or remove the symlink`,
          );
        }
      }
    }
    return copyRoot;
  }
  if (!parts.length) return appDir;
  const candidates: string[] = [];
  for (let d = appDir; ; d = dirname(d)) {
    if (leadsHere(d, parts)) candidates.push(d);
    if (dirname(d) === d) break;
  }
  const root =
    candidates.find((d) => existsSync(join(d, '.git'))) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (root !== undefined) return root;
  if (candidates.length > 1) {
    throw new UsageError(
      `ARGOCD_APP_SOURCE_PATH "${sourcePath}" leads to the working directory from ${candidates.length} folders and none holds .git: cannot tell the repository root (a symlink in the repository?)`,
    );
  }
  throw new UsageError(`the working directory ${appDir} does not end with ARGOCD_APP_SOURCE_PATH "${sourcePath}"`);
}

export function contextFromEnv(env: Record<string, string | undefined>, cwd: string): AppContext {
  const appName = env.ARGOCD_APP_NAME ?? '';
  if (appName === '') {
    throw new UsageError(
      'ARGOCD_APP_NAME is not set: `generate` runs inside Argo CD. On a laptop, use `safe-render render --app NAME --namespace NS`',
    );
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
    parameters:
      env.ARGOCD_APP_PARAMETERS !== undefined
        ? parseParametersJson(env.ARGOCD_APP_PARAMETERS)
        : parametersFromParamEnv(env),
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
  if (rel.startsWith('..'))
    throw new UsageError(`the app directory ${appDir} is not inside the repository root ${repoRoot}`);
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
