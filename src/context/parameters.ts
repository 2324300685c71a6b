// The plugin's parameters: what the Argo CD UI announces (plugin.yaml `parameters`, contract §5) and
// what the app's spec.source.plugin.parameters may set. One table, so announcing, reading and
// validating cannot drift apart. An unknown or ill-typed parameter is a usage error, never ignored.
import { UsageError } from '../util/errors';
import { closest } from '../util/suggest';
import type { PluginParameter } from './app-context';
import { paramEnvName } from './argocd-env';

export type CollectionType = 'string' | 'array' | 'map';

export interface ParameterSpec {
  name: string;
  title: string;
  tooltip: string;
  collectionType: CollectionType;
  /** Allowed values of a string parameter. */
  values?: readonly string[];
  /** Announced by `safe-render parameters` with a default read from the repo, not in plugin.yaml. */
  dynamic: boolean;
}

export const PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'include',
    title: 'Include',
    tooltip: 'Globs of manifest files to read (overrides include in safe-render.yaml)',
    collectionType: 'array',
    dynamic: true,
  },
  {
    name: 'exclude',
    title: 'Exclude',
    tooltip: 'Globs of files not to read (overrides exclude in safe-render.yaml)',
    collectionType: 'array',
    dynamic: true,
  },
  {
    name: 'recurse',
    title: 'Recurse',
    tooltip: 'Read subdirectories: "true" or "false" (overrides recurse in safe-render.yaml)',
    collectionType: 'string',
    values: ['true', 'false'],
    dynamic: true,
  },
  {
    name: 'values-files',
    title: 'Helm value files',
    tooltip: 'Value files of the chart, relative to the app folder, in order',
    collectionType: 'array',
    dynamic: true,
  },
  {
    name: 'helm-parameters',
    title: 'Helm parameters',
    tooltip: 'Helm --set parameters, e.g. image.tag',
    collectionType: 'map',
    dynamic: false,
  },
  {
    name: 'release-name',
    title: 'Helm release name',
    tooltip: 'Release name for helm template (default: the application name)',
    collectionType: 'string',
    dynamic: false,
  },
  {
    name: 'kustomize-images',
    title: 'Kustomize images',
    tooltip: 'Image overrides as in Argo CD: [old=]name[:tag][@digest]',
    collectionType: 'array',
    dynamic: false,
  },
  {
    name: 'name-prefix',
    title: 'Kustomize name prefix',
    tooltip: 'Prefix for every object name (kustomize namePrefix)',
    collectionType: 'string',
    dynamic: false,
  },
];

/** Parameters the app set, checked against the table. */
export interface ParameterValues {
  strings: Map<string, string>;
  arrays: Map<string, string[]>;
  maps: Map<string, Record<string, string>>;
}

export function validateParameters(
  params: readonly PluginParameter[],
  specs: readonly ParameterSpec[] = PARAMETERS,
): ParameterValues {
  const out: ParameterValues = { strings: new Map(), arrays: new Map(), maps: new Map() };
  for (const p of params) {
    const spec = specs.find((s) => s.name === p.name);
    if (!spec) {
      const hint = closest(
        p.name,
        specs.map((s) => s.name),
      );
      throw new UsageError(
        `unknown plugin parameter "${p.name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${specs.map((s) => s.name).join(', ')}`,
      );
    }
    const given = (['string', 'array', 'map'] as const).filter((t) => p[t] !== undefined);
    if (given.length !== 1 || given[0] !== spec.collectionType) {
      throw new UsageError(
        `plugin parameter "${p.name}" must be a ${spec.collectionType}, got ${given.length ? given.join(' and ') : 'no value'}`,
      );
    }
    if (spec.collectionType === 'string') {
      if (spec.values && !spec.values.includes(p.string!))
        throw new UsageError(
          `plugin parameter "${p.name}" must be one of ${spec.values.join(', ')}, not "${p.string}"`,
        );
      out.strings.set(p.name, p.string!);
    } else if (spec.collectionType === 'array') out.arrays.set(p.name, p.array!);
    else out.maps.set(p.name, p.map!);
  }
  return out;
}

/** Without ARGOCD_APP_PARAMETERS (another harness, a hand-run sidecar), the PARAM_* variables are
 * the only source. Strings and arrays can be read back exactly; map keys were upper-cased by Argo CD,
 * so a map parameter given only as PARAM_* is refused rather than guessed. */
export function parametersFromParamEnv(
  env: Record<string, string | undefined>,
  specs: readonly ParameterSpec[] = PARAMETERS,
): PluginParameter[] {
  const out: PluginParameter[] = [];
  for (const spec of specs) {
    const base = paramEnvName(spec.name);
    if (spec.collectionType === 'string' && env[base] !== undefined) out.push({ name: spec.name, string: env[base] });
    if (spec.collectionType === 'array' && env[`${base}_0`] !== undefined) {
      const array: string[] = [];
      for (let i = 0; env[`${base}_${i}`] !== undefined; i++) array.push(env[`${base}_${i}`]!);
      out.push({ name: spec.name, array });
    }
    if (spec.collectionType === 'map' && Object.keys(env).some((k) => k.startsWith(`${base}_`))) {
      throw new UsageError(
        `plugin parameter "${spec.name}" is a map and arrived only as ${base}_* variables, whose keys Argo CD upper-cases; pass ARGOCD_APP_PARAMETERS`,
      );
    }
  }
  return out;
}

/** The JSON Argo CD expects from plugin.yaml's parameters (contract §1, §5). Every announcement
 * carries a default of its type (empty when there is none), so the UI shows the right editor. */
export function announce(
  spec: ParameterSpec,
  defaults?: { string?: string; array?: string[]; map?: Record<string, string> },
): Record<string, unknown> {
  const value =
    spec.collectionType === 'string'
      ? { string: defaults?.string ?? '' }
      : spec.collectionType === 'array'
        ? { array: defaults?.array ?? [] }
        : { map: defaults?.map ?? {} };
  return {
    name: spec.name,
    title: spec.title,
    tooltip: spec.tooltip,
    required: false,
    itemType: 'string',
    collectionType: spec.collectionType,
    ...value,
  };
}
