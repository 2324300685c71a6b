// safe-render.yaml: the app's own settings, read from the app directory. Every key is optional;
// unknown keys are errors so a typo can never silently switch a protection off.
import { ConfigReader, type ConfigSource, type FieldType, type StringCheck } from './schema';
import type { ParameterValues } from '../context/parameters';

export type ScopeOverride = 'Namespaced' | 'Cluster';

export interface AppConfig {
  /** Globs (minimatch, with {a,b}) of files to read, relative to the app directory. Empty: all. */
  include: string[];
  exclude: string[];
  /** Read subdirectories too (Argo CD's directory.recurse). */
  recurse: boolean;
  /** Namespaces (globs) the app may write besides its destination namespace. */
  namespaces: string[];
  /** Cluster-scoped kinds the app may own: `Kind` or `group/Kind`. */
  clusterScoped: string[];
  /** Scope of kinds nobody else knows (issue 8 §3): `group/Kind: Cluster`. An entry that contradicts
   * Kubernetes, the platform policy, the well-known CRD table or a CRD in the render is a finding. */
  scopes: Record<string, ScopeOverride>;
  /** The app is meant to render nothing (otherwise an empty render is refused). */
  allowEmpty: boolean;
  /** Kinds to protect from deletion besides the built-in list: `Kind` or `group/Kind`. */
  protectedKinds: string[];
  /** The render engine; detected from the files when absent. */
  engine?: EngineName;
  kustomize: KustomizeConfig;
  helm: HelmConfig;
  /** JSON 6902 patches applied to the rendered objects, after the engine. */
  patches: PatchConfig[];
  /** The one-object-per-file rule (issue 13): off unless set here or in the platform policy (no `off` value: YAML 1.1 reads a bare off as false; leave the key out). */
  oneObjectPerFile?: 'warning' | 'error';
}

/** The values of `engine:`. Each names one engine of src/render/engines/registry.ts, whose type makes
 * the compiler hold the two lists equal (docs/development/engines.md). */
export const ENGINE_NAMES = ['plain', 'kustomize', 'helm'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface KustomizeConfig {
  /** Pass --enable-helm so `helmCharts:` inflate (charts must be vendored). */
  enableHelm?: boolean;
  /** Argo CD's image override syntax: `[old=]name[:tag][@digest]`. */
  images?: string[];
  namePrefix?: string;
  nameSuffix?: string;
}

export interface HelmConfig {
  releaseName?: string;
  /** Values files, relative to the chart folder; they must stay inside the repository. */
  valueFiles?: string[];
  /** Inline values, as in a values file. */
  values?: unknown;
  /** `--set` parameters. */
  parameters?: Record<string, string>;
}

export interface PatchTarget {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface PatchConfig {
  target: PatchTarget;
  patch: unknown[];
}

export const CONFIG_FILE = 'safe-render.yaml';

/** `namespaces:` is an allow-list: a `!` entry would match every other namespace and widen it. */
const allowGlob: StringCheck = (v) =>
  v.startsWith('!')
    ? 'is a negated glob, which would allow every other namespace; list the namespaces the app may write instead'
    : undefined;

/** `scopes:` keys must name the group, or the entry would silently match nothing. */
const groupKind: StringCheck = (v) =>
  /^[^/]*\/[^/]+$/.test(v)
    ? undefined
    : `must be group/Kind (core/Kind for the core group), for example "example.com/${v.replace(/.*\//, '') || 'Kind'}"`;

/** A `scopes:` table (app config and platform policy): `group/Kind: Namespaced | Cluster`. */
export const SCOPE_MAP_FIELD: FieldType = {
  type: 'map',
  of: { type: 'enum', values: ['Namespaced', 'Cluster'] },
  keyCheck: groupKind,
};

const FIELDS: Record<string, FieldType> = {
  include: { type: 'strings' },
  exclude: { type: 'strings' },
  recurse: { type: 'boolean' },
  namespaces: { type: 'strings', check: allowGlob },
  clusterScoped: { type: 'strings' },
  scopes: SCOPE_MAP_FIELD,
  allowEmpty: { type: 'boolean' },
  protectedKinds: { type: 'strings' },
  engine: { type: 'enum', values: ENGINE_NAMES },
  kustomize: {
    type: 'object',
    fields: {
      enableHelm: { type: 'boolean' },
      images: { type: 'strings' },
      namePrefix: { type: 'string' },
      nameSuffix: { type: 'string' },
    },
  },
  helm: {
    type: 'object',
    fields: {
      releaseName: { type: 'string' },
      valueFiles: { type: 'strings' },
      values: { type: 'any' },
      parameters: { type: 'map', of: { type: 'string' } },
    },
  },
  oneObjectPerFile: { type: 'enum', values: ['warning', 'error'] },
  patches: {
    type: 'list',
    of: {
      type: 'object',
      fields: {
        target: {
          type: 'object',
          fields: {
            group: { type: 'string' },
            kind: { type: 'string' },
            namespace: { type: 'string' },
            name: { type: 'string' },
          },
        },
        patch: { type: 'any' },
      },
    },
  },
};

export const DEFAULT_CONFIG: AppConfig = {
  include: [],
  exclude: [],
  recurse: false,
  namespaces: [],
  clusterScoped: [],
  scopes: {},
  allowEmpty: false,
  protectedKinds: [],
  kustomize: {},
  helm: {},
  patches: [],
};

export function parseAppConfig(src: ConfigSource): AppConfig {
  const reader = new ConfigReader(src);
  const raw = reader.parse(FIELDS) as Partial<AppConfig>;
  (raw.patches ?? []).forEach((p, i) => {
    if (!p.target || !Array.isArray(p.patch))
      throw reader.error(`patches[${i}] needs a target and a patch (a list of JSON 6902 operations)`);
  });
  return { ...DEFAULT_CONFIG, ...raw };
}

/** Plugin parameters set on the Application override the app's file (they are the same knobs,
 * set in the Argo CD UI instead of the repo). Policy limits still apply afterwards. */
export function applyParameters(config: AppConfig, values: ParameterValues): AppConfig {
  const out = { ...config };
  const include = values.arrays.get('include');
  const exclude = values.arrays.get('exclude');
  const recurse = values.strings.get('recurse');
  if (include) out.include = include;
  if (exclude) out.exclude = exclude;
  if (recurse !== undefined) out.recurse = recurse === 'true';
  const valueFiles = values.arrays.get('values-files');
  const helmParameters = values.maps.get('helm-parameters');
  // An empty string is how the UI leaves a parameter at its default.
  const releaseName = values.strings.get('release-name') || undefined;
  if (valueFiles || helmParameters || releaseName !== undefined) {
    out.helm = {
      ...out.helm,
      ...(valueFiles ? { valueFiles } : {}),
      ...(releaseName !== undefined ? { releaseName } : {}),
      ...(helmParameters ? { parameters: { ...out.helm.parameters, ...helmParameters } } : {}),
    };
  }
  const images = values.arrays.get('kustomize-images');
  const namePrefix = values.strings.get('name-prefix') || undefined;
  if (images || namePrefix !== undefined) {
    out.kustomize = {
      ...out.kustomize,
      ...(images ? { images: [...(out.kustomize.images ?? []), ...images] } : {}),
      ...(namePrefix !== undefined ? { namePrefix } : {}),
    };
  }
  return out;
}
