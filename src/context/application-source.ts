// One source of an Argo CD Application, read the way Argo CD reads it, shared by `lock --application`
// (application-manifest.ts) and `ci` (src/ci/): the app's names, and the exact context the sidecar
// would get for it (contract §3b: `newEnv`, `getPluginEnvs`, `getPluginParamEnvs` in argo-cd
// reposerver/repository/repository.go).
import { asObject, type JsonObject } from '../model/object';
import { UsageError } from '../util/errors';
import type { AppContext, PluginParameter } from './app-context';
import { compareCodePoints, parametersJson, parseParametersJson } from './argocd-env';
import { envsubst } from './go-expand';

export const DEFAULT_CONTROL_PLANE_NAMESPACE = 'argocd';

export interface AppNames {
  /** How Argo CD lists the app (CLI, UI, `argocd app get`): `name` in the control-plane namespace,
   * `namespace/name` outside it. */
  id: string;
  /** ARGOCD_APP_NAME: Application.InstanceName, `<namespace>_<name>` outside the control plane. */
  appName: string;
  /** The namespace the Application object lives in. */
  namespace: string;
}

/** `namespace` is where the Application lives ("" or absent: the control-plane namespace). */
export function appNames(name: string, namespace: string | undefined, controlPlaneNamespace: string): AppNames {
  const ns = namespace || controlPlaneNamespace;
  const inside = ns === controlPlaneNamespace;
  return { id: inside ? name : `${ns}/${name}`, appName: inside ? name : `${ns}_${name}`, namespace: ns };
}

/** Plugin parameters as the sidecar receives them: validated, then through ARGOCD_APP_PARAMETERS
 * (marshalled as Argo CD marshals them and parsed back as `generate` parses them). */
export function sidecarParameters(raw: unknown, where: string): PluginParameter[] {
  if (raw === undefined || raw === null) return [];
  let text: string;
  try {
    text = JSON.stringify(raw);
  } catch {
    throw new UsageError(`${where}: plugin.parameters must be a list of parameters`);
  }
  const params = parseParametersJson(text);
  return parseParametersJson(parametersJson(params));
}

/** The build variables a source gets, in Argo CD's order (`newEnv`): plugin env values are
 * interpolated against these only (contract §3b). */
export function buildVars(c: {
  appName: string;
  namespace: string;
  project: string;
  revision: string;
  repoURL: string;
  sourcePath: string;
  targetRevision: string;
  kubeVersion: string;
  apiVersions: readonly string[];
}): Array<[string, string]> {
  return [
    ['ARGOCD_APP_NAME', c.appName],
    ['ARGOCD_APP_NAMESPACE', c.namespace],
    ['ARGOCD_APP_PROJECT_NAME', c.project],
    ['ARGOCD_APP_REVISION', c.revision],
    ['ARGOCD_APP_REVISION_SHORT', c.revision.slice(0, 7)],
    ['ARGOCD_APP_REVISION_SHORT_8', c.revision.slice(0, 8)],
    ['ARGOCD_APP_SOURCE_REPO_URL', c.repoURL],
    ['ARGOCD_APP_SOURCE_PATH', c.sourcePath],
    ['ARGOCD_APP_SOURCE_TARGET_REVISION', c.targetRevision],
    ['KUBE_VERSION', c.kubeVersion],
    ['KUBE_API_VERSIONS', c.apiVersions.join(',')],
  ];
}

/** KUBE_API_VERSIONS as Argo CD sends it: sorted, de-duplicated (contract §3b). */
export function sidecarApiVersions(list: readonly string[]): string[] {
  return [...new Set(list)].sort(compareCodePoints);
}

/** `plugin.env` as `generate` reads it back: each `ARGOCD_ENV_<name>=<value interpolated>` entry is
 * split at its first `=` by the process environment and the last of a name wins (Go's dedupEnv). */
export function sidecarPluginEnv(
  rawEnv: unknown,
  vars: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(rawEnv)) return out;
  for (const e of rawEnv.map(asObject)) {
    const entry = `${String(e.name ?? '')}=${envsubst(String(e.value ?? ''), vars)}`;
    const eq = entry.indexOf('=');
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export interface SourceContextInput {
  names: AppNames;
  spec: JsonObject;
  source: JsonObject;
  /** The resolved revision (ARGOCD_APP_REVISION): the HEAD commit in CI. */
  revision: string;
  kubeVersion: string;
  apiVersions: readonly string[];
  appDir: string;
  repoRoot: string;
  /** For messages. */
  where: string;
}

/** The AppContext `generate` would build from the env Argo CD sends for this source. Throws a
 * UsageError for what Argo CD would refuse (parameters of the wrong shape). */
export function sourceContext(i: SourceContextInput): AppContext {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const plugin = asObject(i.source.plugin);
  const base = {
    appName: i.names.appName,
    namespace: str(asObject(i.spec.destination).namespace),
    // AppSpec.GetProject: "default" when unset.
    project: str(i.spec.project) || 'default',
    repoURL: str(i.source.repoURL),
    sourcePath: str(i.source.path),
    revision: i.revision,
    targetRevision: str(i.source.targetRevision),
    kubeVersion: i.kubeVersion,
    apiVersions: sidecarApiVersions(i.apiVersions),
  };
  return {
    ...base,
    env: sidecarPluginEnv(plugin.env, buildVars(base)),
    parameters: sidecarParameters(plugin.parameters, i.where),
    appDir: i.appDir,
    repoRoot: i.repoRoot,
  };
}
