// The list generator: argo-cd applicationset/generators/list.go ListGenerator.GenerateParams.
import { parseDocument } from 'yaml';
import { isPlainObject, type JsonObject } from '../model/object';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { nestingProblem } from '../util/yaml-depth';
import type { EvalCtx, Params } from './context';
import { toGoJson } from './go-value';
import { AppSetInvalid, MAX_ELEMENTS_YAML, MAX_PARAM_SETS, MAX_VALUE_NODES, NotEvaluable } from './limits';

/** Whether walking `v` (aliases walked each time they occur) visits at most `cap` nodes. */
export function withinNodes(v: unknown, cap: number): boolean {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (++n > cap) return false;
    if (Array.isArray(x)) for (const y of x) stack.push(y);
    else if (isPlainObject(x)) for (const y of Object.values(x)) stack.push(y);
  }
  return true;
}

export type ElementsYaml = { elements: unknown[] } | { unknown: string } | { invalid: string };

/** elementsYaml as sigs.k8s.io/yaml.Unmarshal reads it into []map[string]any: "" (and `null`) add
 * nothing; anything but a list of mappings (or nulls) is an error. Bounded: too large, too deep or too
 * many nodes (aliases counted each time) is not evaluated. */
export function parseElementsYaml(y: string): ElementsYaml {
  if (y === '') return { elements: [] };
  if (y.length > MAX_ELEMENTS_YAML) return { unknown: 'list generator elementsYaml is too large to evaluate offline' };
  // sigs.k8s.io/yaml has its own depth limit; ours keeps the composer's recursion bounded (issue 8 §8).
  if (nestingProblem(y)) return { unknown: 'list generator elementsYaml nests too deeply to evaluate offline' };
  const doc = parseDocument(y, K8S_YAML);
  if (doc.errors.length) return { invalid: 'list generator elementsYaml is not valid YAML (Argo CD reports an error)' };
  let value: unknown;
  try {
    value = doc.toJS(K8S_TO_JS);
  } catch {
    return { unknown: 'list generator elementsYaml cannot be read (aliases)' };
  }
  if (!withinNodes(value, MAX_VALUE_NODES))
    return { unknown: 'list generator elementsYaml is too large to evaluate offline' };
  if (value === null || value === undefined) return { elements: [] };
  if (!Array.isArray(value) || value.some((e) => e !== null && !isPlainObject(e)))
    return { invalid: 'list generator elementsYaml is not a list of mappings (Argo CD reports an error)' };
  return { elements: value };
}

/** ListGenerator.GenerateParams. With goTemplate each element is a parameter set as written; in the
 * default style every value must be a string (`values` a map of strings, read as `values.KEY`), and an
 * element with no keys is an empty set (the template is then used as it is). elementsYaml elements are
 * appended as parsed, in both styles. */
export function listParams(list: JsonObject, ctx: EvalCtx): Params[] {
  const elements = list.elements === undefined || list.elements === null ? [] : list.elements;
  if (!Array.isArray(elements)) throw new AppSetInvalid('list generator elements is not a list');
  if (elements.length > MAX_PARAM_SETS)
    throw new NotEvaluable(`list generator has more than ${MAX_PARAM_SETS} elements`, 'list');
  if (!withinNodes(elements, MAX_VALUE_NODES))
    throw new NotEvaluable('list generator elements are too large to evaluate offline', 'list');
  const res: Params[] = [];
  for (const raw of elements) {
    // json.Unmarshal(tmpItem.Raw, &element) into map[string]any: null is an empty map, a non-object fails.
    if (raw !== null && !isPlainObject(raw)) throw new AppSetInvalid('error unmarshling list element: not a mapping');
    const element = (toGoJson(raw) ?? {}) as Params;
    if (ctx.goTemplate) {
      res.push(element);
      continue;
    }
    const params: Params = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values') {
        if (!isPlainObject(value)) throw new AppSetInvalid('error parsing values map');
        for (const [k, v] of Object.entries(value)) {
          if (typeof v !== 'string') throw new AppSetInvalid('error parsing value as string');
          params[`values.${k}`] = v;
        }
      } else {
        if (typeof value !== 'string')
          throw new AppSetInvalid(`list element ${JSON.stringify(key)}: error parsing value as string`);
        params[key] = value;
      }
    }
    res.push(params);
  }
  const y = list.elementsYaml;
  if (y !== undefined && y !== null) {
    if (typeof y !== 'string') throw new AppSetInvalid('list generator elementsYaml is not a string');
    const parsed = parseElementsYaml(y);
    if ('unknown' in parsed) throw new NotEvaluable(parsed.unknown, 'list');
    if ('invalid' in parsed) throw new AppSetInvalid(parsed.invalid);
    for (const e of parsed.elements) res.push((toGoJson(e) ?? {}) as Params);
  }
  if (res.length > MAX_PARAM_SETS)
    throw new NotEvaluable(`list generator has more than ${MAX_PARAM_SETS} elements`, 'list');
  return res;
}
