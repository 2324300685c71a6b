// Two renders of one app compared object by object (issue 12): removed, added, changed, by the
// identity Argo CD syncs by (objectRef). Pure: the renders come in, a value goes out; the writers
// (text.ts, markdown.ts, json.ts) print it.
import type { Operation } from 'fast-json-patch';
import { displayRef } from '../model/identity';
import type { Finding } from '../model/finding';
import type { ManifestObject } from '../model/object';
import { objectRef } from '../lock/snapshot';
import { toYaml } from '../emit/streams';
import { byCodeUnit } from '../util/compare';
import { comparablePair, IGNORED_FIELD_NAMES, sameValue } from './normalize';
import { jsonPatch } from './json-patch';
import { unifiedDiff } from './line-diff';

export interface DiffObject {
  /** objectRef: `apps/Deployment/prod/web`. */
  ref: string;
  /** displayRef: `apps/Deployment prod/web`, for people. */
  display: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface AddedOrRemoved extends DiffObject {
  /** The compared body (ignored fields dropped, Secret values replaced by markers) as YAML. */
  yaml: string;
}

export interface ChangedObject extends DiffObject {
  /** Unified diff of the compared bodies' YAML, 3 lines of context, without file headers. */
  unified: string;
  /** JSON Patch from base to head, of the compared bodies. */
  patch: Operation[];
}

export interface RenderDiff {
  /** Removals first: they are what prune deletes. Each list sorted by ref. */
  removed: AddedOrRemoved[];
  added: AddedOrRemoved[];
  changed: ChangedObject[];
  unchanged: number;
  /** Fields left out of the comparison (normalize.ts IGNORED_FIELDS), said in every output. */
  ignoredFields: readonly string[];
}

/** A removed object and whether the head's lock accepts its deletion (undefined: the app has no lock,
 * nothing guards it). */
export interface DeletionVerdict {
  ref: string;
  display: string;
  accepted: boolean | undefined;
}

/** The head render's verdict: `gone` when the app is not at the head at all. */
export type HeadVerdict = 'passed' | 'refused' | 'failed' | 'gone';

/** One app's comparison, as the writers take it. */
export interface AppDiff {
  /** The app's name as the command shows it (its folder, or the Application's name). */
  app: string;
  diff: RenderDiff;
  /** Set when the app exists at one revision only. */
  presence?: 'appeared' | 'disappeared';
  /** The head render's verdict and findings (the command prints the findings on stderr too). */
  verdict?: HeadVerdict;
  findings?: readonly Finding[];
  /** Each removed object, and whether the head's lock accepts its deletion. */
  deletions?: readonly DeletionVerdict[];
  /** What could not be compared, for people. */
  notes?: readonly string[];
}

function describe(o: ManifestObject, ref: string): DiffObject {
  return { ref, display: displayRef(o), group: o.group, kind: o.kind, namespace: o.namespace, name: o.name };
}

/** Objects by ref. Two objects with one identity in a render (refused by the render's own rules) are
 * both kept, the second as `ref#2`, so neither hides the other's change. */
function byRef(objects: readonly ManifestObject[]): Map<string, ManifestObject> {
  const out = new Map<string, ManifestObject>();
  for (const o of objects) {
    const ref = objectRef(o);
    let key = ref;
    for (let n = 2; out.has(key); n++) key = `${ref}#${n}`;
    out.set(key, o);
  }
  return out;
}

export function compareRenders(base: readonly ManifestObject[], head: readonly ManifestObject[]): RenderDiff {
  const b = byRef(base);
  const h = byRef(head);
  const removed: AddedOrRemoved[] = [];
  const added: AddedOrRemoved[] = [];
  const changed: ChangedObject[] = [];
  let unchanged = 0;
  for (const [ref, o] of b) {
    if (h.has(ref)) continue;
    removed.push({ ...describe(o, ref), yaml: toYaml(comparablePair(o, undefined).base) });
  }
  for (const [ref, o] of h) {
    const old = b.get(ref);
    if (!old) {
      added.push({ ...describe(o, ref), yaml: toYaml(comparablePair(undefined, o).head) });
      continue;
    }
    const pair = comparablePair(old, o);
    // Key order alone is no change; the YAML is made only for objects that differ.
    if (sameValue(pair.base, pair.head)) {
      unchanged++;
      continue;
    }
    const yb = toYaml(pair.base);
    const yh = toYaml(pair.head);
    if (yb === yh) {
      unchanged++;
      continue;
    }
    const patch = jsonPatch(pair.base!, pair.head!);
    // Key order alone differs: the same object to the API server.
    if (!patch.length) {
      unchanged++;
      continue;
    }
    changed.push({ ...describe(o, ref), unified: unifiedDiff(yb, yh), patch });
  }
  const order = (x: DiffObject, y: DiffObject) => byCodeUnit(x.ref, y.ref);
  return {
    removed: removed.sort(order),
    added: added.sort(order),
    changed: changed.sort(order),
    unchanged,
    ignoredFields: IGNORED_FIELD_NAMES,
  };
}
