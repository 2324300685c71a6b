// Building ApplicationSets for the unit tests of src/appset (imported by *.test.ts only).
import { parseDocument } from 'yaml';
import { K8S_MANIFEST_YAML } from '../util/k8s-yaml';
import type { JsonObject, ManifestObject } from '../model/object';
import type { AppSetRepo } from './generate';

export const REPO = 'https://github.com/example/deploy.git';

/** An ApplicationSet object from its YAML (namespace argocd unless it names one). */
export function appSetObject(yaml: string): ManifestObject {
  const doc = parseDocument(yaml, K8S_MANIFEST_YAML);
  if (doc.errors.length) throw new Error(`test YAML: ${doc.errors[0]!.message}`);
  const body = doc.toJS() as JsonObject;
  const meta = (body.metadata ?? {}) as JsonObject;
  const ns = typeof meta.namespace === 'string' ? meta.namespace : 'argocd';
  return {
    body,
    source: { file: 'appset.yaml', line: 1 },
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    group: 'argoproj.io',
    name: typeof meta.name === 'string' ? meta.name : 'set',
    declaredNamespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    namespace: ns,
    scope: 'Namespaced',
    key: `argoproj.io/ApplicationSet/${ns}/set`,
  } as ManifestObject;
}

/** A repository of these files (folders are the files' parents). */
export function repoOf(files: Record<string, string> = {}, repoURL = REPO): AppSetRepo {
  const dirs = new Set<string>();
  for (const f of Object.keys(files))
    for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) dirs.add(f.slice(0, i));
  const tree = { dirs: [...dirs], files: Object.keys(files) };
  return {
    repoURL,
    tree: () => tree,
    readFile: (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined),
  };
}

/** `spec:` lines of an ApplicationSet named `set`, indented by the caller's YAML. */
export const appSetYaml = (spec: string, meta = 'name: set\n  namespace: argocd') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  ${meta}\nspec:\n${spec}`;
