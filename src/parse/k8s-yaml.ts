// YAML read the way Kubernetes reads it: sigs.k8s.io/yaml (go-yaml v2) resolves plain scalars with
// YAML 1.1 rules (yes/no/on/off are booleans, 0777 is octal, `<<` merges), rejects duplicate keys,
// and leaves timestamps and base-60 numbers as strings. The `yaml` package's 1.1 schema does all of
// this except the last two, which we drop so `22:22` and `2024-01-01` stay strings.
import type { DocumentOptions, ParseOptions, SchemaOptions, ToJSOptions } from 'yaml';

type Tags = Exclude<SchemaOptions['customTags'], undefined | null>;

export const K8S_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  merge: true,
  prettyErrors: true,
  customTags: ((tags: Array<{ tag?: string; format?: string }>) =>
    tags.filter((t) => t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp')) as unknown as Tags,
};

/** Alias expansion is bounded so a "billion laughs" document fails fast instead of eating memory. */
export const K8S_TO_JS: ToJSOptions = { maxAliasCount: 100 };

/** Same scalar rules when writing, so what we write reads back to the same values. */
export const K8S_YAML_STRINGIFY = {
  version: '1.1' as const,
  customTags: K8S_YAML.customTags,
  lineWidth: 0,
  aliasDuplicateObjects: false,
};
