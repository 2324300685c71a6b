// safe-render.yaml: the app's own settings, read from the app directory. Every key is optional;
// unknown keys are errors so a typo can never silently switch a protection off.
import { ConfigReader, type ConfigSource, type FieldType } from './schema';
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
  /** Scope of kinds the built-in table does not know (or gets wrong): `group/Kind: Cluster`. */
  scopes: Record<string, ScopeOverride>;
  /** The app is meant to render nothing (otherwise an empty render is refused). */
  allowEmpty: boolean;
  /** Kinds to protect from deletion besides the built-in list: `Kind` or `group/Kind`. */
  protectedKinds: string[];
}

export const CONFIG_FILE = 'safe-render.yaml';

const FIELDS: Record<string, FieldType> = {
  include: { type: 'strings' },
  exclude: { type: 'strings' },
  recurse: { type: 'boolean' },
  namespaces: { type: 'strings' },
  clusterScoped: { type: 'strings' },
  scopes: { type: 'map', of: { type: 'enum', values: ['Namespaced', 'Cluster'] } },
  allowEmpty: { type: 'boolean' },
  protectedKinds: { type: 'strings' },
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
};

export function parseAppConfig(src: ConfigSource): AppConfig {
  const raw = new ConfigReader(src).parse(FIELDS);
  return { ...DEFAULT_CONFIG, ...(raw as Partial<AppConfig>) };
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
  return out;
}
