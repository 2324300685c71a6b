// Reading an Argo CD Application manifest into the flags `render` and `lock` take, so a person can
// lock or preview an app exactly as Argo CD names and renders it.
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { nestingProblem } from '../util/yaml-depth';
import { UsageError } from '../util/errors';
import { excerpt } from '../util/repo-file';
import { asObject, type JsonObject } from '../model/object';
import { parametersJson } from './argocd-env';
import type { PluginParameter } from './app-context';
import { appNames } from './application-source';
import type { RenderFlags } from './build-context';

/** One document of a manifest file and the line it starts on. */
export interface ManifestDoc {
  value: JsonObject;
  line: number;
}

/** The documents of a manifest file. A file that is not valid YAML is a usage error naming the first
 * problem (file:line): locking from a half-read file would lock the wrong app, or none. */
export function manifestDocs(text: string, file: string): ManifestDoc[] {
  // In CI the file is the repository's: depth first, the composer recurses once per level (issue 8 §8).
  const deep = nestingProblem(text);
  if (deep) throw new UsageError(`${file}: invalid YAML: it ${deep}`);
  const docs = parseAllDocuments(text, K8S_YAML);
  if (!Array.isArray(docs)) throw new UsageError(`${file}: invalid YAML`);
  const out: ManifestDoc[] = [];
  for (const d of docs) {
    const line = (pos: { linePos?: [{ line: number }, ...unknown[]] }) => pos.linePos?.[0].line ?? 1;
    const err = d.errors[0];
    // The parser's message repeats the place (` at line L, column C:`, then the source): file:line says it.
    const what = (err?.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    if (err) throw new UsageError(`${file}:${line(err)}: invalid YAML: ${excerpt(what)}`);
    let value: unknown;
    try {
      value = d.toJS(K8S_TO_JS);
    } catch (e) {
      throw new UsageError(`${file}: invalid YAML: ${excerpt((e as Error).message.split('\n')[0] ?? '')}`);
    }
    const start = d.contents?.range?.[0] ?? 0;
    out.push({ value: asObject(value), line: text.slice(0, start).split('\n').length });
  }
  return out;
}

const isArgo = (d: JsonObject, kind: string) =>
  d.kind === kind && String(d.apiVersion ?? '').startsWith('argoproj.io/');

/** The ApplicationSets of a manifest file. */
export function applicationSetsIn(docs: readonly ManifestDoc[]): ManifestDoc[] {
  return docs.filter((d) => isArgo(d.value, 'ApplicationSet'));
}

export function flagsFromApplication(text: string, file: string, controlPlaneNamespace: string): RenderFlags {
  const docs = manifestDocs(text, file);
  const apps = docs.map((d) => d.value).filter((d) => isArgo(d, 'Application'));
  if (apps.length !== 1) {
    const sets = applicationSetsIn(docs).length;
    throw new UsageError(
      `${file} must hold exactly one argoproj.io Application, found ${apps.length}${sets ? `; it holds ${sets === 1 ? 'an ApplicationSet' : `${sets} ApplicationSets`}: name the Application it generates with --generated NAME` : ''}`,
    );
  }
  return flagsFromApplicationObject(apps[0]!, file, controlPlaneNamespace);
}

/** The flags of one Application (a manifest's, or one an ApplicationSet generates). */
export function flagsFromApplicationObject(app: JsonObject, file: string, controlPlaneNamespace: string): RenderFlags {
  const meta = asObject(app.metadata);
  const spec = asObject(app.spec);
  const source = asObject(spec.source);
  if (spec.sources !== undefined)
    throw new UsageError(`${file}: multi-source Applications are not supported; lock each source's app on its own`);
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (!name) throw new UsageError(`${file}: the Application has no metadata.name`);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const plugin = asObject(source.plugin);
  const env = Array.isArray(plugin.env)
    ? plugin.env.map(asObject).map((e) => `${String(e.name)}=${String(e.value ?? '')}`)
    : [];
  const params = Array.isArray(plugin.parameters) ? (plugin.parameters as PluginParameter[]) : [];
  parametersJson(params); // validates the shape early
  return {
    path: typeof source.path === 'string' ? source.path || '.' : '.',
    // Argo CD names apps outside the control-plane namespace `<namespace>_<name>` (contract §3b).
    app: appNames(name, ns, controlPlaneNamespace).appName,
    namespace: String(asObject(spec.destination).namespace ?? ''),
    project: typeof spec.project === 'string' ? spec.project : undefined,
    repoURL: typeof source.repoURL === 'string' ? source.repoURL : undefined,
    env,
    params: [],
    parameters: params,
  };
}
