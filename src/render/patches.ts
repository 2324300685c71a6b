// JSON 6902 patches from safe-render.yaml, applied after any engine to the objects they target.
// A patch that matches nothing or does not apply is an error: a silently skipped patch would deploy
// something other than what the app declares.
// The default export: fast-json-patch's main file is CommonJS whose names Node's ESM loader cannot
// see, and the in-process tests (ESM, packages external) load it from there.
import jsonpatch, { type Operation } from 'fast-json-patch';
import { matchGlob } from '../util/glob';
import { RenderFailure } from '../util/errors';
import type { PatchConfig } from '../config/app-config';
import { cloneJson, formatSource, isPlainObject, type ParsedDoc } from '../model/object';
import { groupOf, metadataOf } from '../model/identity';

/** minimatch never matches an empty string with `*`, but the core group and an object left to the
 * destination namespace are empty here, and a target of `*` must not silently skip them. */
function glob(value: unknown, pattern: string | undefined): boolean {
  if (pattern === undefined) return true;
  const s = typeof value === 'string' ? value : '';
  return matchGlob(s, pattern, { nocomment: true }) || (s === '' && /^\*+$/.test(pattern));
}

function matches(doc: ParsedDoc, t: PatchConfig['target']): boolean {
  if (!isPlainObject(doc.value)) return false;
  const v = doc.value;
  const meta = metadataOf(v);
  return glob(groupOf(String(v.apiVersion ?? '')), t.group) && glob(v.kind, t.kind) && glob(meta.namespace ?? '', t.namespace) && glob(meta.name, t.name);
}

export function applyPatches(docs: ParsedDoc[], patches: readonly PatchConfig[]): ParsedDoc[] {
  patches.forEach((p, i) => {
    const targets = docs.filter((d) => matches(d, p.target));
    const label = `patches[${i}] (target ${JSON.stringify(p.target)})`;
    if (targets.length === 0) throw new RenderFailure(`${label} matches no object`, 'safe-render.yaml', 'fix the target, or remove the patch');
    for (const d of targets) {
      try {
        // Our own copy (fast-json-patch's JSON round trip refuses bigints), then patched in place.
        d.value = jsonpatch.applyPatch(cloneJson(d.value), p.patch as Operation[], true, true).newDocument;
      } catch (e) {
        const name = String(metadataOf(d.value as Record<string, unknown>).name ?? '');
        throw new RenderFailure(`${label} does not apply to ${String((d.value as Record<string, unknown>).kind)} ${name} (${formatSource(d.source)}): ${(e as Error).message.split('\n')[0]}`,
          'safe-render.yaml', 'fix the patch operations (paths must exist for replace/remove/test)');
      }
    }
  });
  return docs;
}
