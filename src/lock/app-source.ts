// What the lock records of a child Application's source: every field that changes what the child
// renders, or whether safe-render guards it (issue 8 §4). A source that switches the child to another
// plugin, or to Argo CD's own directory/helm/kustomize, turns every check off for it; a name prefix or a
// release name renames everything it deploys (a delete plus a create); value files, inline values and
// plugin parameters change what it renders. Pure.
//
// Readable fields are kept as they are, so the lock diff and the finding say what changed. Fields that
// may hold secrets (inline values, parameters, plugin env, patches, jsonnet variables) and anything this
// file does not know (a field a later Argo CD adds) are kept only as a sha256 of their canonical JSON:
// every change is seen, no value is written. A readable field longer than MAX_VERBATIM is digested too,
// so a hostile source cannot make the lock (or a message) large.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';
import type { JsonObject } from '../model/object';

/** The fields format 1 of the lock recorded, verbatim. Kept at the same keys so a format-1 lock can be
 * compared with a new render on exactly what it knows (see projectSource). */
const V1_FIELDS = ['repoURL', 'path', 'chart', 'targetRevision', 'ref'] as const;

/** Per tool section: the fields recorded as they are; every other field of the section is digested. */
const VERBATIM: Record<string, readonly string[]> = {
  plugin: ['name'],
  directory: ['recurse', 'include', 'exclude'],
  kustomize: [
    'namePrefix',
    'nameSuffix',
    'namespace',
    'images',
    'components',
    'version',
    'replicas',
    'ignoreMissingComponents',
  ],
  helm: [
    'releaseName',
    'valueFiles',
    'namespace',
    'version',
    'skipCrds',
    'skipTests',
    'skipSchemaValidation',
    'ignoreMissingValueFiles',
    'kubeVersion',
    'apiVersions',
  ],
};

/** The top-level source fields recorded as they are (besides the format-1 ones). */
const TOP_VERBATIM = ['name'];

export const MAX_VERBATIM = 512;

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export function digest(v: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(v ?? null))
    .digest('hex')}`;
}

function verbatim(v: unknown): unknown {
  return canonicalJson(v).length > MAX_VERBATIM ? digest(v) : v;
}

/** One tool section (`plugin`, `helm`, ...): readable fields as they are, the rest as one digest. */
function sectionSummary(section: unknown, keep: readonly string[]): unknown {
  if (!isObj(section)) return digest(section);
  const out: JsonObject = {};
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(section)) {
    if (v === undefined) continue;
    if (keep.includes(k)) out[k] = verbatim(v);
    else rest[k] = v;
  }
  // The digest covers the field names too: a secret-capable field added empty is still a change.
  if (Object.keys(rest).length) out.sha256 = digest(rest);
  return out;
}

/** One source of an Application (or ApplicationSet template). */
export function sourceSummary(s: unknown): unknown {
  if (!isObj(s)) return s;
  const out: JsonObject = {};
  const other: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue;
    if ((V1_FIELDS as readonly string[]).includes(k)) out[k] = v;
    else if (TOP_VERBATIM.includes(k)) out[k] = verbatim(v);
    else if (VERBATIM[k]) out[k] = sectionSummary(v, VERBATIM[k]!);
    else other[k] = v;
  }
  if (Object.keys(other).length) out.other = digest(other);
  return out;
}

/**
 * The sources Argo CD renders an Application from: `spec.sources` when it holds at least one source
 * (then `spec.source` is ignored), else `spec.source` (argo-cd `ApplicationSpec.HasMultipleSources`).
 * Recorded as an array for `sources`, an object for `source`, so adding or removing `sources` shows.
 */
export function appSources(spec: JsonObject): unknown {
  if (Array.isArray(spec.sources) && spec.sources.length > 0) return spec.sources.map(sourceSummary);
  if (spec.sources !== undefined && !Array.isArray(spec.sources)) return digest(spec.sources);
  return spec.source === undefined ? undefined : sourceSummary(spec.source);
}

/** A recorded source (new or format 1) as format 1 recorded it: the five fields, nothing else. */
export function projectSource(recorded: unknown): unknown {
  const one = (s: unknown): unknown => {
    if (!isObj(s)) return s;
    const pick: JsonObject = {};
    for (const k of V1_FIELDS) if (s[k] !== undefined) pick[k] = s[k];
    return pick;
  };
  return Array.isArray(recorded) ? recorded.map(one) : one(recorded);
}

/** What changed between two recorded sources, as short `field: old -> new` phrases (at most a few). */
export function sourceChanges(was: unknown, now: unknown): string[] {
  const out: string[] = [];
  const show = (v: unknown) => {
    if (v === undefined) return 'none';
    const j = canonicalJson(v);
    return j.length > 120 ? `${j.slice(0, 117)}...` : j;
  };
  const walk = (a: unknown, b: unknown, path: string, depth: number) => {
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return;
    if (depth < 3 && isObj(a) && isObj(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
        walk(a[k], b[k], path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    if (depth === 0 && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `sources[${i}]`, depth + 1));
      return;
    }
    out.push(`${path || 'source'} ${show(a)} -> ${show(b)}`);
  };
  if (Array.isArray(was) !== Array.isArray(now) && was !== undefined && now !== undefined) {
    out.push(
      Array.isArray(now)
        ? `spec.source replaced by spec.sources (${(now as unknown[]).length} sources)`
        : 'spec.sources replaced by spec.source',
    );
  } else if (Array.isArray(was) && Array.isArray(now) && was.length !== now.length) {
    out.push(`sources ${was.length} -> ${now.length}`);
  } else {
    walk(was, now, '', 0);
  }
  return out;
}

/** Does a recorded source hand the render to a plugin named `name`? Used to say "no longer guarded". */
export function pluginNames(recorded: unknown): string[] {
  const list = Array.isArray(recorded) ? recorded : [recorded];
  return list
    .map((s) => (isObj(s) && isObj(s.plugin) && typeof s.plugin.name === 'string' ? s.plugin.name : ''))
    .filter((n) => n !== '');
}
