// JSON Patch operations for `--format json` (issue 12: fast-json-patch's `compare`).
// The default export: fast-json-patch's main file is CommonJS (see src/render/patches.ts).
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { JsonObject } from '../model/object';

/** The operations that turn `base` into `head`. fast-json-patch copies each value it emits with a JSON
 * round trip, which refuses the bigints parse keeps for integers beyond 2^53 (util/k8s-yaml.ts); those
 * are swapped for strings under a prefix no string of either body starts with, then swapped back. */
export function jsonPatch(base: JsonObject, head: JsonObject): Operation[] {
  if (!hasBigint(base) && !hasBigint(head)) return jsonpatch.compare(base, head);
  const strings = new Set<string>();
  collectStrings(base, strings);
  collectStrings(head, strings);
  let prefix = '\u0000bigint:';
  while ([...strings].some((s) => s.startsWith(prefix))) prefix += '\u0000';
  const ops = jsonpatch.compare(mapBigints(base, prefix) as JsonObject, mapBigints(head, prefix) as JsonObject);
  return ops.map((o) => ('value' in o ? { ...o, value: unmapBigints(o.value, prefix) } : o)) as Operation[];
}

function hasBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasBigint);
  return false;
}

function collectStrings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') out.add(v);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

function mapBigints(v: unknown, prefix: string): unknown {
  if (typeof v === 'bigint') return `${prefix}${v}`;
  if (Array.isArray(v)) return v.map((x) => mapBigints(x, prefix));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapBigints(x, prefix)]));
  return v;
}

function unmapBigints(v: unknown, prefix: string): unknown {
  if (typeof v === 'string' && v.startsWith(prefix)) return BigInt(v.slice(prefix.length));
  if (Array.isArray(v)) return v.map((x) => unmapBigints(x, prefix));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmapBigints(x, prefix)]));
  return v;
}
