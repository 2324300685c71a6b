// One Application from the template and one parameter set: argo-cd applicationset/utils/utils.go
// Render.RenderTemplateParams (deeplyReplace over every string, map keys included) and
// controllers/template/template.go GenerateApplications / GetTempApplication.
import { isPlainObject, type JsonObject } from '../model/object';
import { AppSetInvalid, MAX_DEPTH, NotEvaluable } from './limits';

/** Render.Replace for one style: the text with the parameters filled in. */
export type Replace = (text: string) => string;

/** deeplyReplace over JSON: strings are replaced, so are map keys; a null map value is dropped (the
 * reflect.Map case skips nil values); numbers and booleans are copied. */
export function deepReplace(v: unknown, replace: Replace, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new NotEvaluable(`its template nests deeper than ${MAX_DEPTH} levels`);
  if (typeof v === 'string') return replace(v);
  if (Array.isArray(v)) return v.map((x) => deepReplace(x, replace, depth + 1));
  if (isPlainObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null || x === undefined) continue;
      out[replace(k)] = deepReplace(x, replace, depth + 1);
    }
    return out;
  }
  return v;
}

/** The ApplicationSetTemplate as GetTempApplication copies it into an Application: metadata name,
 * namespace, labels, annotations, finalizers, and the spec (other metadata fields are not in
 * ApplicationSetTemplateMeta, so Argo CD never sees them). */
export function templateApplication(template: JsonObject): JsonObject {
  const meta = isPlainObject(template.metadata) ? template.metadata : {};
  const m: JsonObject = {};
  for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) {
    if (meta[k] !== undefined && meta[k] !== null) m[k] = meta[k];
  }
  return { metadata: m, spec: isPlainObject(template.spec) ? template.spec : {} };
}

const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** RenderTemplateParams: with no parameters the template is used as it is (and gets no finalizer);
 * otherwise every string is rendered and, when the template has no finalizers and the ApplicationSet
 * does not preserve resources on deletion, the resources finalizer is added. */
export function renderTemplateParams(
  tmpl: JsonObject,
  params: Readonly<Record<string, unknown>>,
  preserveResourcesOnDeletion: boolean,
  replace: Replace,
): JsonObject {
  if (Object.keys(params).length === 0) return structuredClone(tmpl);
  const app = deepReplace(tmpl, replace) as JsonObject;
  const meta = (isPlainObject(app.metadata) ? app.metadata : (app.metadata = {})) as JsonObject;
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (!preserveResourcesOnDeletion && finalizers.length === 0) meta.finalizers = [RESOURCES_FINALIZER];
  return app;
}

/** The Application as the controller creates it: its namespace is the ApplicationSet's (the
 * appsets-in-any-namespace boundary, template.go), apiVersion and kind as the typed client sets them. */
export function finalApplication(app: JsonObject, namespace: string): JsonObject {
  const meta = isPlainObject(app.metadata) ? app.metadata : {};
  const name = meta.name;
  if (name !== undefined && typeof name !== 'string') throw new AppSetInvalid('metadata.name is not a string');
  const m: JsonObject = { name: name ?? '' };
  if (namespace) m.namespace = namespace;
  // ObjectMeta fields are omitempty: an empty map or list is not written.
  for (const k of ['labels', 'annotations', 'finalizers']) {
    const v = meta[k];
    if (Array.isArray(v) ? v.length : isPlainObject(v) && Object.keys(v).length) m[k] = v;
  }
  const out: JsonObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: m };
  if (app.spec !== undefined) out.spec = app.spec;
  return out;
}
