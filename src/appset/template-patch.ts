// templatePatch: argo-cd applicationset/controllers/template/template.go renderTemplatePatch (the patch
// text rendered with the parameters, in the ApplicationSet's template style) and patch.go
// applyTemplatePatch (utils.ConvertYAMLToJSON, a strategic merge patch on the Application, and the
// project restored so a patch cannot move an Application to another project).
//
// Simplified strategic merge: maps merge key by key and `null` deletes a key; lists are replaced, which
// is what the Application type's lists do (none has a patch merge key) except metadata.finalizers
// (patchStrategy "merge": the union, the original order first). A patch directive ($patch,
// $retainKeys, $setElementOrder, $deleteFromPrimitiveList) is not evaluated offline.
import { parseAllDocuments } from 'yaml';
import { isPlainObject, type JsonObject } from '../model/object';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { nestingProblem } from '../util/yaml-depth';
import type { EvalCtx } from './context';
import { toGoJson } from './go-value';
import { withinNodes } from './list-generator';
import { AppSetInvalid, MAX_DEPTH, MAX_VALUE_NODES, NotEvaluable } from './limits';

/** ConvertYAMLToJSON then json.Unmarshal: the patch as a value. */
function readPatch(text: string): unknown {
  const t = text.trim();
  if (t === '') return null;
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      throw new AppSetInvalid('invalid templatePatch: not valid JSON');
    }
  }
  if (nestingProblem(text)) throw new NotEvaluable('its templatePatch nests too deeply to evaluate offline');
  const docs = parseAllDocuments(text, K8S_YAML);
  if (!Array.isArray(docs) || docs.length === 0) return null;
  if (docs.length > 1)
    throw new NotEvaluable('its templatePatch renders several YAML documents, which is not evaluated offline');
  if (docs[0]!.errors.length) throw new AppSetInvalid('error while converting templatePatch to json: not valid YAML');
  try {
    return toGoJson(docs[0]!.toJS(K8S_TO_JS));
  } catch {
    throw new NotEvaluable('its templatePatch cannot be read (aliases)');
  }
}

function merge(orig: unknown, patch: unknown, path: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new NotEvaluable(`its templatePatch nests deeper than ${MAX_DEPTH} levels`);
  if (!isPlainObject(patch)) return patch;
  const out: JsonObject = isPlainObject(orig) ? { ...orig } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$'))
      throw new NotEvaluable(`its templatePatch uses the patch directive ${k}, which is not evaluated offline`);
    const p = path ? `${path}.${k}` : k;
    if (v === null) delete out[k];
    else if (p === 'metadata.finalizers' && Array.isArray(v) && Array.isArray(out[k])) {
      const union = [...(out[k] as unknown[])];
      for (const f of v) if (!union.includes(f)) union.push(f);
      out[k] = union;
    } else out[k] = merge(out[k], v, p, depth + 1);
  }
  return out;
}

/** applyTemplatePatch on the Application the template rendered; `patch` is already rendered. */
export function applyTemplatePatch(app: JsonObject, patch: string, ctx: EvalCtx): JsonObject {
  void ctx;
  const p = readPatch(patch);
  if (p === null) return app;
  if (!withinNodes(p, MAX_VALUE_NODES)) throw new NotEvaluable('its templatePatch is too large to evaluate offline');
  // json.Unmarshal into an Application: the patch must be an object, and so must metadata and spec.
  if (!isPlainObject(p)) throw new AppSetInvalid('invalid templatePatch: not a mapping');
  for (const k of ['metadata', 'spec'])
    if (p[k] !== undefined && p[k] !== null && !isPlainObject(p[k]))
      throw new AppSetInvalid(`invalid templatePatch: ${k} is not a mapping`);
  const out = merge(app, p, '', 0) as JsonObject;
  // finalApp.Spec.Project = app.Spec.Project
  const project = isPlainObject(app.spec) ? app.spec.project : undefined;
  if (isPlainObject(out.spec)) {
    const spec = { ...out.spec };
    if (project === undefined) delete spec.project;
    else spec.project = project;
    out.spec = spec;
  }
  return out;
}
