// Which fields two bodies of one object differ in, said briefly (issue 14: "a duplicate with different
// content says which fields differ"): `spec.source.path: "a" vs "b"`. A Secret's values are never shown,
// the idea of diff/normalize.ts's redaction: its keys are, its values become a marker; so is kubectl's
// last-applied copy of the whole object. Pure, bounded, and below the checks that use it.
import { isPlainObject, type ManifestObject } from './object';

/** What a Secret's value is shown as. */
export const HIDDEN_VALUE = '(secret value, not shown)';

/** Fields counted at most (a flood of differences is still a bounded walk). */
const MAX_COUNTED = 1000;
/** Characters of one value shown. */
const MAX_VALUE_CHARS = 40;
/** Characters of one key shown (a qualified label or annotation key is up to 63 after its prefix). */
const MAX_KEY_CHARS = 80;
/** kubectl apply's copy of the whole object, Secret data included (base64 or plain). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A core Secret, the only kind whose values Argo CD hides (server/application/application.go). */
export function isSecret(o: Pick<ManifestObject, 'group' | 'kind'>): boolean {
  return o.group === '' && o.kind === 'Secret';
}

export interface FieldDifferences {
  /** The first `max` differences, `path: before vs after`. */
  shown: string[];
  /** Every difference counted (at most MAX_COUNTED). */
  total: number;
}

/** The fields `a` and `b` differ in, in document order: a key present on one side only, a scalar that
 * differs, or a list whose length differs (shown as a whole). `secret`: the bodies are a Secret's. */
export function fieldDifferences(a: unknown, b: unknown, secret: boolean, max = 3): FieldDifferences {
  const out: FieldDifferences = { shown: [], total: 0 };
  walk(a, b, [], secret, max, out);
  return out;
}

function walk(
  a: unknown,
  b: unknown,
  path: Array<string | number>,
  secret: boolean,
  max: number,
  out: FieldDifferences,
): void {
  if (out.total >= MAX_COUNTED) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.prototype.hasOwnProperty.call(a, k))];
    for (const k of keys) {
      const has = (o: Record<string, unknown>) => Object.prototype.hasOwnProperty.call(o, k);
      walk(has(a) ? a[k] : ABSENT, has(b) ? b[k] : ABSENT, [...path, k], secret, max, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => walk(v, b[i], [...path, i], secret, max, out));
    return;
  }
  if (sameValue(a, b)) return;
  out.total++;
  if (out.shown.length >= max) return;
  const hidden = secret && isSecretValue(path);
  const show = (v: unknown) => (v === ABSENT ? '(absent)' : hidden ? HIDDEN_VALUE : brief(v));
  out.shown.push(`${pathText(path)}: ${show(a)} vs ${show(b)}`);
}

const ABSENT = Symbol('absent');

function isSecretValue(path: ReadonlyArray<string | number>): boolean {
  return (
    path[0] === 'data' ||
    path[0] === 'stringData' ||
    (path[0] === 'metadata' && path[1] === 'annotations' && path[2] === LAST_APPLIED)
  );
}

/** Deep equality of parsed JSON data, key order ignored (as the API server ignores it). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A value in a few characters: JSON for a scalar (quotes, escapes), a count for a list or a map. */
function brief(v: unknown): string {
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  if (isPlainObject(v)) return '{…}';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

/** `spec.containers[0].image`; a key that is not a plain identifier is quoted (`metadata.labels["a.b/c"]`). */
function pathText(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) s += s ? `.${k}` : k;
    else s += `[${JSON.stringify(k.length > MAX_KEY_CHARS ? `${k.slice(0, MAX_KEY_CHARS)}…` : k)}]`;
  }
  return s || '(the document)';
}
