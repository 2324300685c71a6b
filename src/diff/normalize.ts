// What of an object a diff compares (issue 12): the body without the fields the API server owns or
// that change on every render, and, for a Secret, with every value replaced by a marker before any
// comparison text is made, so no writer can print one.
import { isPlainObject, type JsonObject, type ManifestObject } from '../model/object';
import { isSecret, LAST_APPLIED, sameValue } from '../model/field-diff';

/** Fields left out of every comparison, as paths of keys. The API server writes these (a render that
 * sets them is overwritten on apply) or they differ between any two renders; Argo CD's own diff also
 * drops `status` and `managedFields` (argo-cd util/argo/diff normalizes them away). Said in every
 * output format, so a reader knows a change there is not shown. */
export const IGNORED_FIELDS: readonly (readonly string[])[] = [
  ['metadata', 'managedFields'],
  ['metadata', 'resourceVersion'],
  ['metadata', 'uid'],
  ['metadata', 'generation'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'selfLink'],
  ['metadata', 'deletionTimestamp'],
  ['metadata', 'deletionGracePeriodSeconds'],
  ['status'],
];

export const IGNORED_FIELD_NAMES: readonly string[] = IGNORED_FIELDS.map((p) => p.join('.'));

// The Secret facts and the equality are the model's (field-diff.ts), shared with the duplicate rule.
export { isSecret, LAST_APPLIED, sameValue };

/** The markers a Secret's values become. A changed value is the only case where the two sides differ,
 * so a line diff shows it as one changed line and a JSON Patch as one replace; neither shows a value. */
export const SECRET_MARKER = {
  same: '(secret value, not shown)',
  old: '(secret value before, not shown)',
  new: '(secret value after, not shown)',
} as const;

/** `body` without the ignored fields. Copies only the mappings on the ignored paths (and, for a
 * Secret, its annotations, see redactSecret), never the rest: the originals are shared and never
 * written, which keeps a 10k-object diff cheap. Spread copies keep an own `__proto__` key as a key. */
function withoutIgnored(body: JsonObject): JsonObject {
  const out: JsonObject = { ...body };
  for (const path of IGNORED_FIELDS) {
    let at: JsonObject = out;
    let ok = true;
    for (const k of path.slice(0, -1)) {
      const next = at[k];
      if (!isPlainObject(next)) {
        ok = false;
        break;
      }
      at = at[k] = { ...next };
    }
    if (ok) delete at[path[path.length - 1]!];
  }
  return out;
}

/** Every value of one field of a Secret (`data`, `stringData`) as a marker, compared with the other
 * revision's: the key set stays, so added and removed keys show; a value equal at both revisions is
 * `same`, a differing one `old`/`new`. A field that is not a mapping (the API server would refuse it)
 * is one marker as a whole. */
function redactField(mine: unknown, other: unknown, side: 'old' | 'new'): unknown {
  if (!isPlainObject(mine)) return mine === undefined ? undefined : markerFor(mine, other, side);
  const theirs = isPlainObject(other) ? other : {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(mine)) {
    const marker = Object.prototype.hasOwnProperty.call(theirs, k) ? markerFor(v, theirs[k], side) : SECRET_MARKER.same;
    // defineProperty: a key `__proto__` stays a key (an assignment would set the prototype and lose it).
    Object.defineProperty(out, k, { value: marker, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function markerFor(mine: unknown, other: unknown, side: 'old' | 'new'): string {
  if (other === undefined) return SECRET_MARKER.same;
  return sameValue(mine, other) ? SECRET_MARKER.same : SECRET_MARKER[side];
}

function redactSecret(body: JsonObject, other: JsonObject | undefined, side: 'old' | 'new'): void {
  for (const field of ['data', 'stringData'] as const) {
    if (!Object.prototype.hasOwnProperty.call(body, field)) continue;
    body[field] = redactField(body[field], other?.[field], side);
  }
  const meta = body.metadata;
  const annotations = isPlainObject(meta) ? meta.annotations : undefined;
  if (
    isPlainObject(meta) &&
    isPlainObject(annotations) &&
    Object.prototype.hasOwnProperty.call(annotations, LAST_APPLIED)
  ) {
    // Copies: the body's own metadata and annotations are the render's, shared with the other stages.
    const copy = { ...annotations };
    body.metadata = { ...meta, annotations: copy };
    const otherMeta = other?.metadata;
    const otherAnn = isPlainObject(otherMeta) ? otherMeta.annotations : undefined;
    const theirs = isPlainObject(otherAnn) ? otherAnn[LAST_APPLIED] : undefined;
    copy[LAST_APPLIED] = markerFor(annotations[LAST_APPLIED], theirs, side);
  }
}

/** The bodies a diff compares for one identity, base and head (either absent), with the ignored fields
 * dropped and, when either side is a Secret, every Secret value replaced by a marker. Values are
 * compared before they are replaced, so equal markers mean equal values. */
export function comparablePair(
  base: ManifestObject | undefined,
  head: ManifestObject | undefined,
): { base?: JsonObject; head?: JsonObject } {
  const b = base && withoutIgnored(base.body);
  const h = head && withoutIgnored(head.body);
  // Each side is redacted against the other's original values (redactSecret replaces fields of its
  // own copy, never the values it reads), so the second side compares with real values too.
  const origB = b && { ...b };
  if (b && base && isSecret(base)) redactSecret(b, h, 'old');
  if (h && head && isSecret(head)) redactSecret(h, origB, 'new');
  return { ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) };
}
