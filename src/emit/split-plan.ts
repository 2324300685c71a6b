// One object per file. The path is a pure, injective function of the identity:
//   <namespace or _cluster>/<Kind>[.<group>]_<name>.yaml
// Kinds contain no "." or "_", API groups no "_", and namespaces never start with "_", so the parts
// cannot run into each other. In names, "%" and characters that are unsafe in file names (":" on
// Windows, "\" and control characters) are %-escaped, so escaping cannot collide with a real name.
// Upper case is kept for readability; two paths that differ only in case would overwrite each other on
// macOS and Windows, so such a render is refused rather than written.
import { RenderFailure } from '../util/errors';
import type { ManifestObject } from '../model/object';
import { byCodeUnit } from '../render/select-files';
import { formatSource } from '../model/object';
import { toYaml } from './streams';

export interface PlannedFile {
  path: string;
  content: string;
}

function escapeSegment(s: string): string {
  return s.replace(/[%:\\/*?"<>|\x00-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function objectPath(o: Pick<ManifestObject, 'group' | 'kind' | 'namespace' | 'name' | 'scope'>): string {
  const dir = o.scope === 'Cluster' ? '_cluster' : o.namespace || '_namespaced';
  const gk = o.group ? `${o.kind}.${o.group}` : o.kind;
  return `${dir}/${escapeSegment(gk)}_${escapeSegment(o.name)}.yaml`;
}

export const MARKER_FILE = '.safe-render-output';

/** The files to write, including a kustomization.yaml listing them (so `kubectl kustomize DIR` reads
 * the same objects back) and a marker that says safe-render owns the folder. */
export function planSplit(objects: readonly ManifestObject[]): PlannedFile[] {
  const byLower = new Map<string, ManifestObject>();
  const files: PlannedFile[] = [];
  for (const o of objects) {
    const path = objectPath(o);
    const lower = path.toLowerCase();
    const other = byLower.get(lower);
    if (other) {
      throw new RenderFailure(`two objects would be written to files that differ only in case (${objectPath(other)} at ${formatSource(other.source)} and ${path} at ${formatSource(o.source)}); on a case-insensitive filesystem one would overwrite the other`,
        undefined, 'rename one of the objects');
    }
    byLower.set(lower, o);
    files.push({ path, content: toYaml(o.body) });
  }
  files.sort((a, b) => byCodeUnit(a.path, b.path));
  const kustomization = `# Written by safe-render: one object per file. Do not edit; render again.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files.map((f) => `- ${JSON.stringify(f.path)}\n`).join('')}`;
  return [...files, { path: 'kustomization.yaml', content: kustomization }, { path: MARKER_FILE, content: 'safe-render output folder: safe-render replaces its whole content on every render.\n' }];
}
