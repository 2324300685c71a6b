// The environment the repo-server sends with each CMP request (argocd-cmp-contract.md §3b), built the
// way Argo CD builds it: newEnv, getPluginEnvs and getPluginParamEnvs for GenerateManifest, and the
// app-details variant for GetParametersAnnouncement. Entries are "NAME=value" strings in Argo CD's
// order, so tests can check the order as well as the values.
import { compareGoStrings, envsubst, goJsonMarshal, goJsonString } from './go';

export interface EnvEntry {
  name: string;
  value: string;
}

/** spec.source.plugin.parameters[]: only explicitly set fields reach the plugin. */
export interface PluginParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/** spec.source.plugin. Absent (undefined) means the Application has no plugin section at all. */
export interface PluginSection {
  name?: string;
  env?: EnvEntry[];
  parameters?: PluginParameter[];
}

/** The parts of an Application (and of the cluster) that reach a CMP. */
export interface AppSpec {
  /** metadata.name */
  name: string;
  /** metadata.namespace: where the Application object lives; default: the control-plane namespace. */
  appNamespace?: string;
  /** The namespace Argo CD runs in; default `argocd`. */
  controlPlaneNamespace?: string;
  /** spec.project; default `default`. */
  project?: string;
  /** spec.source.repoURL */
  repoURL?: string;
  /** spec.source.path, exactly as written; default "". */
  path?: string;
  /** The resolved revision (commit SHA). */
  revision?: string;
  /** spec.source.targetRevision, exactly as written; "" when the Application omits it: the repo-server
   * sends the source as written, with no `HEAD` default (newEnv, populatePluginAppDetails; contract §10). */
  targetRevision?: string;
  /** spec.destination.namespace */
  destinationNamespace?: string;
  /** The destination cluster's version as the cluster reports it (e.g. `v1.29.3+k3s1`); "" if unknown. */
  kubeVersion?: string;
  /** Every group/version and group/version/Kind the cluster serves, in any order, duplicates allowed. */
  apiVersions?: string[];
  plugin?: PluginSection;
}

/** Application.InstanceName: `<ns>_<name>` when the app lives outside the control-plane namespace. */
export function instanceName(app: Pick<AppSpec, 'name' | 'appNamespace' | 'controlPlaneNamespace'>): string {
  const ctrl = app.controlPlaneNamespace ?? 'argocd';
  const ns = app.appNamespace ?? ctrl;
  return ns === '' || ns === ctrl ? app.name : `${ns}_${app.name}`;
}

/** k8s.io/apimachinery version.ParseGeneric(v).String(): `v1.29.3+k3s1` -> `1.29.3`. Throws like Go. */
export function parseKubeVersion(v: string): string {
  if (v === '') return '';
  // versionMatchRE = `^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$`; Go's \s is ASCII and `.` stops at \n.
  const m = /^[\t\n\f\r ]*v?([0-9]+(?:\.[0-9]+)*)([^\n]*)$/.exec(v);
  if (!m) throw new Error(`could not parse "${v}" as version`);
  const components = m[1]!.split('.');
  if (components.length < 2) throw new Error(`illegal version string "${v}"`);
  if (components[0]!.startsWith('0') && components[0] !== '0')
    throw new Error(`illegal zero-prefixed version component "${components[0]}" in "${v}"`);
  return components
    .map((c) => {
      const n = BigInt(c);
      if (n > 0xffffffffffffffffn) throw new Error(`illegal version string "${v}"`);
      return n.toString();
    })
    .join('.');
}

/** Sorted (Go byte order), de-duplicated, comma-joined. */
export function kubeApiVersions(list: readonly string[]): string {
  return [...new Set(list)].sort(compareGoStrings).join(',');
}

/** Go's unicode.ToUpper for the only code points whose simple upper case lands in [A-Z0-9_]:
 * ASCII a-z, U+0131 (dotless i) and U+017F (long s). Everything else ends up as `_` anyway. */
function goUpperKeepsAscii(ch: string): string {
  if (ch >= 'a' && ch <= 'z') return ch.toUpperCase();
  if (ch === '\u0131') return 'I';
  if (ch === '\u017f') return 'S';
  return ch;
}

/** Argo CD's `escaped`: strings.ToUpper, then every rune outside [A-Z0-9_] becomes one `_`. */
export function escapeParamName(name: string): string {
  let out = '';
  for (const ch of name) {
    const u = goUpperKeepsAscii(ch);
    out += /^[A-Z0-9_]$/.test(u) ? u : '_';
  }
  return out;
}

/** ApplicationSourcePluginParameters marshalled by encoding/json with Argo CD's MarshalJSON: each
 * element's keys in alphabetical order (array, map, name, string); a nil list is `null`. */
export function parametersJson(params: readonly PluginParameter[] | undefined): string {
  if (!params || params.length === 0) return 'null';
  return `[${params
    .map((p) => {
      const parts: string[] = [];
      if (p.array !== undefined) parts.push(`"array":${goJsonMarshal(p.array)}`);
      if (p.map !== undefined) parts.push(`"map":${goJsonMarshal(p.map)}`);
      parts.push(`"name":${goJsonString(p.name)}`);
      if (p.string !== undefined) parts.push(`"string":${goJsonString(p.string)}`);
      return `{${parts.join(',')}}`;
    })
    .join(',')}]`;
}

/** ApplicationSourcePluginParameters.Environ(): ARGOCD_APP_PARAMETERS, then per parameter its
 * string, map entries (Go map order is random; sorted here) and array items. */
export function parametersEnviron(params: readonly PluginParameter[] | undefined): string[] {
  const env = [`ARGOCD_APP_PARAMETERS=${parametersJson(params)}`];
  for (const p of params ?? []) {
    const base = `PARAM_${escapeParamName(p.name)}`;
    if (p.string !== undefined) env.push(`${base}=${p.string}`);
    if (p.map !== undefined)
      for (const k of Object.keys(p.map).sort(compareGoStrings)) env.push(`${base}_${escapeParamName(k)}=${p.map[k]}`);
    p.array?.forEach((v, i) => env.push(`${base}_${i}=${v}`));
  }
  return env;
}

export function splitEntry(kv: string): [string, string] {
  const i = kv.indexOf('=');
  return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
}

/** getPluginParamEnvs: the build vars, then (with a plugin section) ARGOCD_ENV_<name> interpolated
 * against the build vars only, ARGOCD_APP_PARAMETERS and PARAM_*. */
function withPluginEnv(buildVars: string[], plugin: PluginSection | undefined): string[] {
  const env = [...buildVars];
  if (!plugin) return env;
  const vars = buildVars.map(splitEntry);
  for (const e of plugin.env ?? []) env.push(`ARGOCD_ENV_${e.name}=${envsubst(e.value, vars)}`);
  env.push(...parametersEnviron(plugin.parameters));
  return env;
}

/** The request env of GenerateManifest, in Argo CD's order (newEnv + getPluginEnvs). */
export function generateRequestEnv(app: AppSpec): string[] {
  const revision = app.revision ?? '';
  const build = [
    `ARGOCD_APP_NAME=${instanceName(app)}`,
    `ARGOCD_APP_NAMESPACE=${app.destinationNamespace ?? ''}`,
    `ARGOCD_APP_PROJECT_NAME=${app.project ?? 'default'}`,
    `ARGOCD_APP_REVISION=${revision}`,
    `ARGOCD_APP_REVISION_SHORT=${revision.slice(0, 7)}`,
    `ARGOCD_APP_REVISION_SHORT_8=${revision.slice(0, 8)}`,
    `ARGOCD_APP_SOURCE_REPO_URL=${app.repoURL ?? ''}`,
    `ARGOCD_APP_SOURCE_PATH=${app.path ?? ''}`,
    `ARGOCD_APP_SOURCE_TARGET_REVISION=${app.targetRevision ?? ''}`,
    `KUBE_VERSION=${parseKubeVersion(app.kubeVersion ?? '')}`,
    `KUBE_API_VERSIONS=${kubeApiVersions(app.apiVersions ?? [])}`,
  ];
  return withPluginEnv(build, app.plugin);
}

/** The request env of GetParametersAnnouncement (populatePluginAppDetails): four build vars only,
 * so interpolation sees only those four. ARGOCD_APP_NAME is the `appName` of the app-details query,
 * which the UI fills with the bare metadata.name, not the `<ns>_<name>` instance name (contract §10). */
export function parametersRequestEnv(app: AppSpec): string[] {
  const build = [
    `ARGOCD_APP_NAME=${app.name}`,
    `ARGOCD_APP_SOURCE_REPO_URL=${app.repoURL ?? ''}`,
    `ARGOCD_APP_SOURCE_PATH=${app.path ?? ''}`,
    `ARGOCD_APP_SOURCE_TARGET_REVISION=${app.targetRevision ?? ''}`,
  ];
  return withPluginEnv(build, app.plugin);
}

/** Go's os/exec dedupEnv: the last occurrence of each key wins and takes the last position. */
export function dedupEnv(entries: readonly string[]): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const [k, v] = splitEntry(entries[i]!);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([k, v]);
  }
  return out.reverse();
}
