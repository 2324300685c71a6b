// duplicate-object: the same live object twice in one render (InfluxData, argo-cd#9376). Argo CD keeps
// the last copy and only warns, so a copy-paste can silently re-point or rewrite a production object.
// Identity ignores the version: extensions/v1beta1 and apps/v1 Deployments named alike are one object.
import { isDeepStrictEqual } from 'node:util';
import { displayRef, metadataOf } from '../../model/identity';
import { formatSource, type ManifestObject } from '../../model/object';
import { fieldDifferences, isSecret } from '../../model/field-diff';
import type { Finding } from '../finding';
import type { Rule } from '../rule';

/** An object named by generateName: the API server gives each one its own name, so copies are not
 * duplicates. Read from the body: a real name may end in "*" too and must still be checked. */
function isGenerated(o: ManifestObject): boolean {
  return metadataOf(o.body).name === undefined;
}

function groupsByKey(objects: readonly ManifestObject[]): Map<string, ManifestObject[]> {
  const byKey = new Map<string, ManifestObject[]>();
  for (const o of objects) {
    if (isGenerated(o)) continue;
    const list = byKey.get(o.key);
    if (list) list.push(o);
    else byKey.set(o.key, [o]);
  }
  return byKey;
}

export const duplicateObject: Rule = {
  id: 'duplicate-object',
  check({ objects }) {
    const findings: Finding[] = [];
    for (const copies of groupsByKey(objects).values()) {
      if (copies.length < 2) continue;
      const first = copies[0]!;
      const other = copies.find((c) => !isDeepStrictEqual(c.body, first.body));
      const identical = other === undefined;
      findings.push(
        identical
          ? {
              rule: 'duplicate-object',
              severity: 'warning',
              object: displayRef(first),
              sources: copies.map((c) => c.source),
              message: `defined ${copies.length} times with identical content; emitted once`,
              fix: 'delete the extra copies',
            }
          : {
              rule: 'duplicate-object',
              severity: 'error',
              object: displayRef(first),
              sources: copies.map((c) => c.source),
              message: `defined ${copies.length} times with different content; Argo CD would silently keep only the last copy${differs(copies, other!)}`,
              fix: 'give each object its own name (check for a copy-paste or a mistyped name), or delete all copies but one',
            },
      );
    }
    return findings;
  },
};

/** `; the copies differ in a: 1 vs 2, ...`: the first copy against the first that differs from it
 * (named when there are more than two), at most three fields, a Secret's values never shown
 * (model/field-diff.ts). */
function differs(copies: readonly ManifestObject[], other: ManifestObject): string {
  const first = copies[0]!;
  const d = fieldDifferences(first.body, other.body, isSecret(first));
  if (d.total === 0) return '';
  const rest = d.total - d.shown.length;
  const more = rest > 0 ? ` (and ${rest} more field${rest === 1 ? '' : 's'})` : '';
  const which =
    copies.length === 2
      ? 'the copies'
      : `the copies at ${formatSource(first.source)} and ${formatSource(other.source)}`;
  return `; ${which} differ in ${d.shown.join(', ')}${more}`;
}

/** Drops later copies that are identical to an earlier one, keeping render order. Only called when
 * duplicate-object raised no error, so every remaining repeat is identical. */
export function dropIdenticalCopies(objects: readonly ManifestObject[]): ManifestObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    if (isGenerated(o)) return true;
    if (seen.has(o.key)) return false;
    seen.add(o.key);
    return true;
  });
}
