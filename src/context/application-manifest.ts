// Reading an Argo CD Application manifest into the flags `render` and `lock` take, so a person can
// lock or preview an app exactly as Argo CD names and renders it.
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { nestingProblem } from '../util/yaml-depth';
import { UsageError } from '../util/errors';
import { asObject } from '../model/object';
import { parametersJson } from './argocd-env';
import type { PluginParameter } from './app-context';
import { appNames } from './application-source';
import type { RenderFlags } from './build-context';

export function flagsFromApplication(text: string, file: string, controlPlaneNamespace: string): RenderFlags {
  // In CI the file is the repository's: depth first, the composer recurses once per level (issue 8 §8).
  const deep = nestingProblem(text);
  if (deep) throw new UsageError(`${file}: invalid YAML: it ${deep}`);
  const docs = parseAllDocuments(text, K8S_YAML).map((d) => d.toJS(K8S_TO_JS) as unknown);
  const apps = docs
    .map(asObject)
    .filter((d) => d.kind === 'Application' && String(d.apiVersion ?? '').startsWith('argoproj.io/'));
  if (apps.length !== 1)
    throw new UsageError(`${file} must hold exactly one argoproj.io Application, found ${apps.length}`);
  const app = apps[0]!;
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
