// Kubernetes' own YAML reader as a test oracle. The API machinery, kubectl and Argo CD read manifests
// with sigs.k8s.io/yaml (go-yaml v2 with YAML 1.1 scalars, then JSON). Helm's `fromYaml` template
// function is exactly that (`yaml.Unmarshal` from sigs.k8s.io/yaml into a map), so a throw-away chart
// that runs each document through `fromYaml | toJson` shows, offline, what Kubernetes reads from YAML.
// Numbers come back through float64, which JSON.parse gives too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS_BIN } from './helpers';

export const HELM = join(TOOLS_BIN, 'helm');

const SEPARATOR = '\n---\n';
const SEPARATOR_LINE = /^---[ \t]*(?:#.*)?$/m;

/** Splits a YAML stream into its documents at `---` lines, dropping documents that hold only comments.
 * Block scalars are always indented, so a `---` line at column 0 is never inside a value. (Enough for
 * kustomize's output and ordinary manifests; a `--- value` on one line is not handled.) */
export function splitYamlStream(stream: string): string[] {
  return stream
    .split(new RegExp(SEPARATOR_LINE.source, 'gm'))
    .filter((d) => d.split('\n').some((l) => l.trim() !== '' && !l.trimStart().startsWith('#')));
}

/** What sigs.k8s.io/yaml makes of each document (each must be a mapping). Throws when it refuses one. */
export function kubernetesReads(docs: readonly string[]): Record<string, unknown>[] {
  if (docs.length === 0) return [];
  for (const d of docs) if (SEPARATOR_LINE.test(d)) throw new Error('kubernetesReads takes single documents');
  const chart = mkdtempSync(join(tmpdir(), 'safe-render-k8s-reader-'));
  try {
    mkdirSync(join(chart, 'templates'));
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: k8s-reader\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'in.yaml'), docs.join(SEPARATOR));
    writeFileSync(
      join(chart, 'templates', 'out.yaml'),
      `{"docs": [{{- range $i, $d := splitList ${JSON.stringify(SEPARATOR)} (.Files.Get "in.yaml") }}{{ if $i }},{{ end }}{{ $d | fromYaml | toJson }}{{- end }}]}\n`,
    );
    const r = spawnSync(HELM, ['template', 'reader', chart], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(chart, '.cache'),
        HELM_CONFIG_HOME: join(chart, '.config'),
        HELM_DATA_HOME: join(chart, '.data'),
      },
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
    // One JSON object (helm parses what a template writes as a manifest, so not a bare list).
    const line = r.stdout.split('\n').find((l) => l.startsWith('{"docs":'));
    if (line === undefined) throw new Error(`no output from helm: ${r.stdout.slice(0, 500)}`);
    const out = (JSON.parse(line) as { docs: Record<string, unknown>[] }).docs;
    if (out.length !== docs.length) throw new Error(`helm returned ${out.length} documents for ${docs.length}`);
    out.forEach((o, i) => {
      if (typeof o.Error === 'string' && Object.keys(o).length === 1)
        throw new Error(`Kubernetes cannot read document ${i}: ${o.Error}`);
    });
    return out;
  } finally {
    rmSync(chart, { recursive: true, force: true });
  }
}
