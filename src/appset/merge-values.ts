// dario.cat/mergo (merge.go deepMerge) as Argo CD calls it, over JSON-decoded values.
import { isPlainObject, type JsonObject } from '../model/object';

/** Go's isEmptyValue for a JSON value: "", 0, false, nil, and empty lists and maps. */
export function goEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** mergo.Merge(&dst, src, mergo.WithOverride) on map[string]any (matrix.go, merge.go with goTemplate):
 * every key of src wins, even an empty one (the map case overwrites without an emptiness check), a nil
 * one included; when both values are non-empty maps they merge recursively. Returns a new map. */
export function mergeOverride(dst: JsonObject, src: JsonObject): JsonObject {
  const out: JsonObject = { ...dst };
  for (const [k, s] of Object.entries(src)) {
    const d = out[k];
    if (isPlainObject(s) && isPlainObject(d) && !goEmpty(d)) out[k] = mergeOverride(d, s);
    else out[k] = s;
  }
  return out;
}

/** mergo.Merge(dest, applicationSetTemplate) without override (generator_spec_processor.go
 * mergeGeneratorTemplate): the generator's own template wins; a field it leaves empty (a zero string,
 * false, an empty list, a missing map key) is filled from the ApplicationSet's template; structs and
 * maps are merged field by field. Simplified: JSON has no struct/map/raw distinction, so every object is
 * merged key by key. */
export function mergeFill(dst: unknown, src: unknown): unknown {
  if (!isPlainObject(src)) return goEmpty(dst) && !goEmpty(src) ? src : dst;
  if (!isPlainObject(dst)) return goEmpty(dst) ? src : dst;
  const out: JsonObject = { ...dst };
  for (const [k, s] of Object.entries(src)) out[k] = mergeFill(out[k], s);
  return out;
}
