// New file names for `migrate` (issue 13): readable for a person reviewing the change, unique in the
// folder. `<kind>-<name>.yaml`, lower case, with only [a-z0-9._-] (so a `/`, `..`, a space or an escape
// sequence in metadata.name never reaches the file system); the namespace joins when two objects (or an
// existing file) would share the name, then a counter. Names are compared in lower case, so a name that
// differs from another only in case counts as taken (macOS and Windows would merge them). Every entry of
// the folder is taken, the files being split included: a new file never replaces anything.

import { CONFIG_FILE } from '../config/app-config';

/** Names a new file never gets, whatever the object: a `kind: Safe` object named `render` would
 * otherwise become the folder's safe-render.yaml, read as the app's configuration (its keys refused, so
 * the app stops rendering; a render that differs after migrate). Compared in lower case like the rest. */
const RESERVED = new Set([CONFIG_FILE.toLowerCase()]);

/** Longest piece taken from a kind, namespace or name; the whole name stays far below 255 bytes. */
const MAX_PART = 80;

export function namePart(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]*-[._-]*/g, '-')
    .replace(/\.{2,}/g, '.')
    .slice(0, MAX_PART)
    .replace(/^[._-]+|[._-]+$/g, '');
  return out;
}

export interface NameRequest {
  kind: string;
  namespace: string;
  name: string;
  /** `.yaml` or `.yml`, as the file being split. */
  ext: string;
}

/** Picks a free name in a folder; `taken` holds the lower-cased names already used and grows. */
export function pickName(r: NameRequest, taken: Set<string>): string {
  const kind = namePart(r.kind) || 'object';
  const name = namePart(r.name) || 'unnamed';
  const ns = namePart(r.namespace);
  const ext = r.ext.toLowerCase() === '.yml' ? '.yml' : '.yaml';
  const tries = [`${kind}-${name}`, ...(ns ? [`${kind}-${ns}-${name}`] : [])];
  const free = (candidate: string): string | undefined => {
    const file = `${candidate}${ext}`;
    if (taken.has(file.toLowerCase()) || RESERVED.has(file.toLowerCase())) return undefined;
    taken.add(file.toLowerCase());
    return file;
  };
  for (const t of tries) {
    const file = free(t);
    if (file) return file;
  }
  const base = tries[tries.length - 1]!;
  for (let i = 2; ; i++) {
    const file = free(`${base}-${i}`);
    if (file) return file;
  }
}
