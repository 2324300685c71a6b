// one-object-per-file (issue 13): a source file of the app that holds more than one object. With one
// object per file, two objects that collide on a name show up in review as two edits to one file, not
// as a silent second copy in a long file (InfluxData's outage). Off by default; `oneObjectPerFile:
// warning|error` in safe-render.yaml or in the platform policy turns it on (the stricter of the two
// wins: an app may ask for more than the policy, never less).
//
// Which files are the app's sources: for a plain directory, every file an object came from; for
// kustomize, the files its kustomization (and the in-repository kustomizations it names as resources,
// to a bounded depth) lists as `resources`: those are the files `safe-render migrate` can split and
// rewrite the entry for. A patch, a generator input or a Helm chart's template is not a list of
// objects, so it is never counted; neither is a helm render's output (its sources are templates).
import { posix } from 'node:path';
import type { Rule, CheckInput } from '../rule';
import type { Finding, Severity } from '../finding';
import { contentDocumentCount } from '../../parse/document-texts';
import { readViews } from '../../render/engines/kustomization-yaml';
import { KUSTOMIZATION_FILES } from '../../render/engines/kustomize';

export type OneObjectPerFile = 'off' | Severity;

const ORDER: readonly OneObjectPerFile[] = ['off', 'warning', 'error'];

/** The stricter of the app's and the policy's setting. */
export function oneObjectPerFileLevel(input: Pick<CheckInput, 'config' | 'policy'>): OneObjectPerFile {
  const app = input.config.oneObjectPerFile ?? 'off';
  const policy = input.policy?.limits.oneObjectPerFile ?? 'off';
  return ORDER.indexOf(app) >= ORDER.indexOf(policy) ? app : policy;
}

/** A tool's output stands in for the files as `<dir> (<engine> output)` (render/engines/engine.ts). */
const TOOL_OUTPUT = / \((\w+) output\)$/;

/** Kustomizations followed below the app's own, in all: bounded work for a hostile tree. */
const MAX_KUSTOMIZATIONS = 200;

function kustomizeSources(input: CheckInput, appDir: string): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const queue = [appDir];
  while (queue.length && seen.size < MAX_KUSTOMIZATIONS) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const name = KUSTOMIZATION_FILES.map((f) => (dir ? `${dir}/${f}` : f)).find(
      (f) => input.readRepoFile(f) !== undefined,
    );
    if (!name) continue;
    let entries: string[];
    try {
      entries = readViews(input.readRepoFile(name)!)[0]?.strings('resources') ?? [];
    } catch {
      continue; // kustomize itself refused it, or will: not this rule's finding
    }
    for (const e of entries) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(e) || e.startsWith('/')) continue;
      const p = posix.normalize(posix.join(dir || '.', e));
      if (p.startsWith('../') || p === '..') continue;
      const rel = p === '.' ? '' : p;
      if (/\.ya?ml$/i.test(rel) && input.readRepoFile(rel) !== undefined) files.push(rel);
      else queue.push(rel);
    }
  }
  return files;
}

export const oneObjectPerFile: Rule = {
  id: 'one-object-per-file',
  check(input) {
    const level = oneObjectPerFileLevel(input);
    if (level === 'off') return [];
    const severity = level;
    const files = new Set<string>();
    let kustomize = false;
    for (const o of input.objects) {
      const tool = TOOL_OUTPUT.exec(o.source.file);
      if (!tool) files.add(o.source.file);
      else if (tool[1] === 'kustomize') kustomize = true;
    }
    if (kustomize) {
      const rel = posix.relative(input.app.repoRoot.split('\\').join('/'), input.app.appDir.split('\\').join('/'));
      for (const f of kustomizeSources(input, rel)) files.add(f);
    }
    const findings: Finding[] = [];
    for (const file of [...files].sort()) {
      if (!/\.ya?ml$/i.test(file)) continue;
      const text = input.readRepoFile(file);
      const counted = text === undefined ? undefined : contentDocumentCount(text);
      if (!counted || counted.count < 2) continue;
      const dir = posix.dirname(file);
      findings.push({
        rule: 'one-object-per-file',
        severity,
        sources: [{ file, line: counted.secondLine ?? 1 }],
        message: `the file holds ${counted.count} objects; with one object per file a name collision shows up in review as two edits to one file, not as a second copy further down`,
        fix: `run \`safe-render migrate ${dir}\` and commit the result (it keeps each document's text and updates kustomization resources)`,
      });
    }
    return findings;
  },
};
