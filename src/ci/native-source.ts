// `ci --include-native` (issue 11): an app of this repository that uses Argo CD's own directory,
// kustomize or helm tool is rendered as safe-render renders the same folder, to preview what adopting
// the plugin would say. The Application's tool settings are not safe-render.yaml: the simple ones that
// have a plugin parameter of the same meaning are mapped to it (so the preview replays through the
// sidecar with those parameters), every other one is named in `notMapped` and left out.
import { join } from 'node:path';
import type { PluginParameter } from '../context/app-context';
import { asObject, type JsonObject } from '../model/object';
import { entryExists, excerpt, isInside } from '../util/repo-file';

export type NativeTool = 'directory' | 'kustomize' | 'helm';

/** What the preview ran with, carried in the report (CiApp.native) so anyone can replay it through
 * the sidecar: the plugin parameters the mapping produced and the fields of the Argo CD env that are
 * not otherwise in the report. */
export interface NativePreview {
  tool: NativeTool;
  /** Plugin parameters mapped from the Application's tool settings. */
  parameters: PluginParameter[];
  /** The Application's settings the preview could not map (`helm.values`, `kustomize.commonLabels`,
   * a `$ref` value file...), and a tool the folder's files would not select in safe-render. */
  notMapped: string[];
  /** ARGOCD_APP_NAMESPACE, ARGOCD_APP_PROJECT_NAME, ARGOCD_APP_SOURCE_TARGET_REVISION as rendered. */
  namespace: string;
  project: string;
  targetRevision: string;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The tool safe-render selects from the folder's files (render/engines/detect.ts: a kustomization
 * means kustomize, Chart.yaml helm, else plain); undefined when the folder is not in the repository
 * (the render then fails on the path, not on the tool). */
export function detectedTool(repoRoot: string, path: string): NativeTool | undefined {
  const dir = join(repoRoot, path);
  if (!isInside(repoRoot, dir) || !entryExists(dir)) return undefined;
  if (entryExists(join(dir, 'Chart.yaml'))) return 'helm';
  if (KUSTOMIZATION_FILES.some((f) => entryExists(join(dir, f)))) return 'kustomize';
  return 'directory';
}

/** Argo CD's tool for a source of this repository without a plugin (GetAppSourceType in argo-cd
 * reposerver/repository/repository.go: explicit helm/kustomize/directory first, then the files). */
export function nativeToolOf(source: JsonObject, repoRoot: string): NativeTool | 'chart' {
  if (typeof source.chart === 'string' && source.chart !== '') return 'chart';
  if (source.helm !== undefined) return 'helm';
  if (source.kustomize !== undefined) return 'kustomize';
  if (source.directory !== undefined) return 'directory';
  return detectedTool(repoRoot, typeof source.path === 'string' ? source.path : '') ?? 'directory';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** The plugin parameters an Application's tool settings map to (README "Plugin parameters"), and the
 * names of the settings that have no such parameter. */
export function mapNativeSettings(
  source: JsonObject,
  tool: NativeTool,
  repoRoot: string,
): { parameters: PluginParameter[]; notMapped: string[] } {
  const parameters: PluginParameter[] = [];
  const notMapped: string[] = [];
  const settings = asObject(source[tool]);
  const unmapped = (key: string, why = '') => notMapped.push(`${tool}.${excerpt(key, 60)}${why}`);
  for (const [key, v] of Object.entries(settings)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (tool === 'directory' && key === 'recurse' && typeof v === 'boolean')
      parameters.push({ name: 'recurse', string: String(v) });
    // Argo CD matches include/exclude with util/glob (gobwas, `*` crosses `/`) against the path under
    // the app folder; safe-render uses minimatch: the same for the usual `*.yaml` or `{a,b}.yaml`.
    else if (tool === 'directory' && (key === 'include' || key === 'exclude') && typeof v === 'string')
      parameters.push({ name: key, array: [v] });
    else if (tool === 'directory' && key === 'jsonnet' && Object.keys(asObject(v)).length === 0) continue;
    else if (tool === 'helm' && key === 'releaseName' && typeof v === 'string')
      parameters.push({ name: 'release-name', string: v });
    else if (tool === 'helm' && key === 'valueFiles' && strList(v)) {
      // `$ref/...` (another source of a multi-source app) and URLs have no counterpart in the plugin.
      if ((v as string[]).some((f) => f.startsWith('$') || f.includes('://'))) unmapped(key, ' ($ref or URL)');
      else parameters.push({ name: 'values-files', array: v as string[] });
    } else if (tool === 'helm' && key === 'parameters' && Array.isArray(v)) {
      const map: Record<string, string> = {};
      for (const p of v.map(asObject)) {
        const name = str(p.name);
        if (name === undefined) continue;
        map[name] = str(p.value) ?? '';
        if (p.forceString === true) unmapped('parameters[].forceString', ' (--set-string)');
      }
      parameters.push({ name: 'helm-parameters', map });
    } else if (tool === 'kustomize' && key === 'images' && strList(v))
      parameters.push({ name: 'kustomize-images', array: v as string[] });
    else if (tool === 'kustomize' && key === 'namePrefix' && typeof v === 'string')
      parameters.push({ name: 'name-prefix', string: v });
    else unmapped(key);
  }
  const detected = detectedTool(repoRoot, typeof source.path === 'string' ? source.path : '');
  if (detected !== undefined && detected !== tool)
    notMapped.push(`tool (Argo CD: ${tool}; safe-render selects ${detected} from the folder's files)`);
  return { parameters, notMapped: [...new Set(notMapped)] };
}

/** The source `ci` renders for a native one: the same repository and path, this plugin, the mapped
 * parameters, and no tool section (Argo CD ignores them next to a plugin, and so does the context). */
export function pluginSourceOf(source: JsonObject, pluginName: string, parameters: PluginParameter[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(source))
    if (!['helm', 'kustomize', 'directory', 'plugin'].includes(k)) out[k] = v;
  out.plugin = {
    name: pluginName,
    ...(parameters.length ? { parameters: parameters as unknown as JsonObject[] } : {}),
  };
  return out;
}
