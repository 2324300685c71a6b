// Stage "emit": the bytes Argo CD reads. JSON objects, one per line: the contract's stage 1 reads a
// JSON stream when stdout starts with `{`, which is both the fastest and the most exact format (no
// YAML scalar re-interpretation). YAML is for people.
import { stringify } from 'yaml';
import { K8S_YAML_STRINGIFY } from '../util/k8s-yaml';
import type { ManifestObject } from '../model/object';
import { fastYaml } from './fast-yaml';

export type OutputFormat = 'json' | 'yaml';

export function jsonStream(objects: readonly ManifestObject[]): string {
  let out = '';
  for (const o of objects) out += `${jsonText(o.body)}\n`;
  return out;
}

/** JSON.stringify, except that bigints (integers beyond 2^53 that Kubernetes keeps as int64, see
 * k8s-yaml.ts goExactNumberValue) are written with all their digits. JSON.stringify refuses a bigint
 * with a TypeError; only then is the value written again by exactJson, so the usual path costs nothing. */
export function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return exactJson(v);
  }
}

/** JSON.stringify's output for plain JSON data (what parse produces: no toJSON, no cycles, nesting
 * bounded by parse), with bigints written as integers. */
function exactJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v))
    return `[${v.map((x) => (x === undefined || typeof x === 'function' || typeof x === 'symbol' ? 'null' : exactJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      parts.push(`${JSON.stringify(k)}:${exactJson(x)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** YAML for people: fastYaml's exact copy of the package's output where it can (issue 13 "Speed"). */
export function toYaml(body: unknown): string {
  return fastYaml(body) ?? stringify(body, K8S_YAML_STRINGIFY);
}

export function yamlStream(objects: readonly ManifestObject[]): string {
  return objects.map((o) => toYaml(o.body)).join('---\n');
}

export function emitStream(objects: readonly ManifestObject[], format: OutputFormat): string {
  return format === 'json' ? jsonStream(objects) : yamlStream(objects);
}
