// safe-render.yaml: the app's own settings, read from the app directory. Every key is optional;
// unknown keys are errors so a typo can never silently switch a protection off.
import { ConfigReader, type ConfigSource, type FieldType, type StringCheck } from './schema';

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

/** `namespaces:` is an allow-list: a `!` entry would match every other namespace and widen it. */
const allowGlob: StringCheck = (v) => (v.startsWith('!') ? 'is a negated glob, which would allow every other namespace; list the namespaces the app may write instead' : undefined);

/** `scopes:` keys must name the group, or the entry would silently match nothing. */
const groupKind: StringCheck = (v) => (/^[^/]*\/[^/]+$/.test(v) ? undefined : `must be group/Kind (core/Kind for the core group), for example "example.com/${v.replace(/.*\//, '') || 'Kind'}"`);

const FIELDS: Record<string, FieldType> = {
  include: { type: 'strings' },
  exclude: { type: 'strings' },
  recurse: { type: 'boolean' },
  namespaces: { type: 'strings', check: allowGlob },
  clusterScoped: { type: 'strings' },
  scopes: { type: 'map', of: { type: 'enum', values: ['Namespaced', 'Cluster'] }, keyCheck: groupKind },
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
