// Debian's kubernetes-split-yaml (mogensen/kubernetes-split-yaml 0.3.0), the peer `split` is compared
// with (issue 13). It must be installed (`apt-get install -y kubernetes-split-yaml`): a test that
// needs it fails, never skips.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';

export const KUBERNETES_SPLIT_YAML = '/usr/bin/kubernetes-split-yaml';

export function requireKubernetesSplitYaml(): void {
  assert.ok(
    existsSync(KUBERNETES_SPLIT_YAML),
    `${KUBERNETES_SPLIT_YAML} is missing: apt-get install -y kubernetes-split-yaml (the comparison never skips)`,
  );
}

/** Its arguments: the default template (tpl_flat, `<name>-<short kind>.yaml`) into `outdir`. */
export const splitYamlArgs = (file: string, outdir: string): string[] => ['--outdir', outdir, file];

/** The files it says it created, in order: one name twice means the second write replaced the first. */
export function createdFiles(stderr: string): string[] {
  return [...stderr.matchAll(/msg="Creating file: (.*?)"/g)].map((m) => m[1]!);
}

/** Every value of every file under `dir`, read as Kubernetes reads YAML (unparseable files count as
 * `undefined`, so a difference shows). */
export function objectsIn(dir: string): unknown[] {
  if (!existsSync(dir)) return [];
  const out: unknown[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'kustomization.yaml' && e.name !== '.safe-render-output') {
        for (const doc of parseAllDocuments(readFileSync(p, 'utf8'), K8S_YAML) as unknown as Array<{
          errors: unknown[];
          toJS(o: unknown): unknown;
        }>) {
          if (doc.errors.length > 0) out.push(undefined);
          else {
            const v = doc.toJS(K8S_TO_JS);
            if (v !== null && v !== undefined) out.push(v);
          }
        }
      }
    }
  };
  walk(dir);
  return out;
}
