// Stage "emit": the bytes Argo CD reads. JSON objects, one per line: the contract's stage 1 reads a
// JSON stream when stdout starts with `{`, which is both the fastest and the most exact format (no
// YAML scalar re-interpretation). YAML is for people.
import { stringify } from 'yaml';
import { K8S_YAML_STRINGIFY } from '../parse/k8s-yaml';
import type { ManifestObject } from '../model/object';

export type OutputFormat = 'json' | 'yaml';

export function jsonStream(objects: readonly ManifestObject[]): string {
  let out = '';
  for (const o of objects) out += `${JSON.stringify(o.body)}\n`;
  return out;
}

export function toYaml(body: unknown): string {
  return stringify(body, K8S_YAML_STRINGIFY);
}

export function yamlStream(objects: readonly ManifestObject[]): string {
  return objects.map((o) => toYaml(o.body)).join('---\n');
}

export function emitStream(objects: readonly ManifestObject[], format: OutputFormat): string {
  return format === 'json' ? jsonStream(objects) : yamlStream(objects);
}
