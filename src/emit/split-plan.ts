// One object per file. The path is a pure, injective function of the identity (issue 9 §2):
//   <namespace, or _cluster, or _namespaced>/<Kind>[.<group>]_<name>.yaml
// Every part is percent-encoded (see util/file-names.ts) with its own set of kept characters: a kind
// keeps only letters and digits, so no "." or "_" of a kind survives; a group also keeps "." and "-"
// (never "_"); a namespace keeps letters, digits and "-" (never a leading "_" or "." so it cannot be
// `_cluster`, `.`, `..` or a hidden folder); a name keeps letters, digits, ".", "_" and "-". The first
// "." splits kind from group, the first "_" group-kind from name: the parts cannot run into each other,
// and `decodeObjectPath` reads every path back. A part longer than a file name may be (255 bytes) keeps
// a readable prefix and the SHA-256 of the whole part after a "~" (escaped everywhere else).
// Upper case is kept for readability; two paths that differ only in the case of a letter would
// overwrite each other on macOS and Windows, so such a render is refused rather than written.
import { RenderFailure } from '../util/errors';
import type { ManifestObject } from '../model/object';
import { byCodeUnit } from '../util/compare';
import { formatSource } from '../model/object';
import { fitComponent, percentDecode, percentEncode, SHORTENED_MARK } from '../util/file-names';
import { toYaml } from './streams';

export interface PlannedFile {
  path: string;
  content: string;
}

const KIND_KEEP = /^[A-Za-z0-9]$/;
const GROUP_KEEP = /^[A-Za-z0-9.-]$/;
const NAMESPACE_KEEP = /^[A-Za-z0-9-]$/;
const NAME_KEEP = /^[A-Za-z0-9._-]$/;

export type PathIdentity = Pick<ManifestObject, 'group' | 'kind' | 'namespace' | 'name' | 'scope'>;

export function objectPath(o: PathIdentity): string {
  const dir =
    o.scope === 'Cluster'
      ? '_cluster'
      : o.namespace
        ? fitComponent(percentEncode(o.namespace, NAMESPACE_KEEP))
        : '_namespaced';
  const kind = percentEncode(o.kind, KIND_KEEP);
  const gk = o.group ? `${kind}.${percentEncode(o.group, GROUP_KEEP)}` : kind;
  return `${dir}/${fitComponent(`${gk}_${percentEncode(o.name, NAME_KEEP)}`, '.yaml')}`;
}

/** The identity a path was made from; undefined for a path objectPath cannot have produced, or for a
 * shortened one (its identity is only in the file). Cluster-scoped identities come back with namespace "". */
export function decodeObjectPath(path: string): PathIdentity | undefined {
  const m = /^([^/]+)\/([^/]+)\.yaml$/.exec(path);
  if (!m || path.includes(SHORTENED_MARK)) return undefined;
  const [, dir, file] = m as unknown as [string, string, string];
  let scope: 'Cluster' | 'Namespaced' = 'Namespaced';
  let namespace: string | undefined = '';
  if (dir === '_cluster') scope = 'Cluster';
  else if (dir !== '_namespaced') namespace = percentDecode(dir);
  const us = file.indexOf('_');
  if (us < 0) return undefined;
  const gk = file.slice(0, us);
  const dot = gk.indexOf('.');
  const kind = percentDecode(dot < 0 ? gk : gk.slice(0, dot));
  const group = dot < 0 ? '' : percentDecode(gk.slice(dot + 1));
  const name = percentDecode(file.slice(us + 1));
  if (namespace === undefined || kind === undefined || group === undefined || name === undefined) return undefined;
  const identity: PathIdentity = { scope, namespace, group, kind, name };
  // percentDecode also reads escapes objectPath never writes (`%43` for a kept "C") and kept characters
  // it always escapes ("." in a kind or namespace): only the one spelling objectPath writes is ours.
  return objectPath(identity) === path ? identity : undefined;
}

export const MARKER_FILE = '.safe-render-output';

function describe(o: ManifestObject): string {
  const gk = o.group ? `${o.group}/${o.kind}` : o.kind;
  return `${gk} ${o.namespace ? `${o.namespace}/` : ''}${o.name || '(generateName, no name)'} at ${formatSource(o.source)}`;
}

/** How `split` overrides the layout and the text of each file; both default to render -o's. */
export interface SplitOptions {
  /** The path of objects[i] (a --template); the collision checks below apply to it unchanged. */
  pathOf?: (o: ManifestObject, i: number) => string;
  /** The text of objects[i]'s file: `split` keeps each YAML document's own text (comments, quoting)
   * instead of serialising the object again. */
  contentOf?: (o: ManifestObject, i: number) => string;
}

/** The files to write, including a kustomization.yaml listing them (so `kubectl kustomize DIR` reads
 * the same objects back) and a marker that says safe-render owns the folder. */
export function planSplit(objects: readonly ManifestObject[], opts: SplitOptions = {}): PlannedFile[] {
  const byPath = new Map<string, ManifestObject>();
  const byLower = new Map<string, ManifestObject>();
  const byPathOf = new Map<ManifestObject, string>();
  const files: PlannedFile[] = [];
  for (const [i, o] of objects.entries()) {
    const path = opts.pathOf ? opts.pathOf(o, i) : objectPath(o);
    const same = byPath.get(path);
    if (same) {
      // The path is injective, so only the same identity (or, for a shortened name, a SHA-256
      // collision) reaches here: say so, not "case".
      throw new RenderFailure(
        `two objects would be written to the same file ${path}: ${describe(same)} and ${describe(o)}${opts.pathOf ? ' (the template gives both this path)' : path.includes('~') ? ' (long names shortened to the same hash)' : ' have the same identity'}`,
        undefined,
        'give each object its own name, or delete one copy',
      );
    }
    // Paths are ASCII (util/file-names.ts), so ASCII case folding is all a case-insensitive file system can merge.
    const lower = path.toLowerCase();
    const other = byLower.get(lower);
    if (other) {
      throw new RenderFailure(
        `two objects would be written to files that differ only in case (${opts.pathOf ? `${byPathOf.get(other)} for ${describe(other)} and ${path} for ${describe(o)}` : `${byPathOf.get(other)} at ${formatSource(other.source)} and ${path} at ${formatSource(o.source)}`}); on a case-insensitive filesystem (macOS, Windows) one would overwrite the other`,
        undefined,
        'rename one of the objects, or use the stream output instead of -o',
      );
    }
    byPath.set(path, o);
    byLower.set(lower, o);
    byPathOf.set(o, path);
    files.push({ path, content: opts.contentOf ? opts.contentOf(o, i) : toYaml(o.body) });
  }
  files.sort((a, b) => byCodeUnit(a.path, b.path));
  const kustomization = `# Written by safe-render: one object per file. Do not edit; render again.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files.map((f) => `- ${JSON.stringify(f.path)}\n`).join('')}`;
  return [
    ...files,
    { path: 'kustomization.yaml', content: kustomization },
    {
      path: MARKER_FILE,
      content: 'safe-render output folder: safe-render replaces its whole content on every render.\n',
    },
  ];
}
