// `safe-render split` next to Debian's kubernetes-split-yaml over every multi-document YAML file of the
// corpus (issue 13, "Done when"): the same objects wherever the peer neither loses nor overwrites one,
// and a count of the files where it does. The input's own objects (parsed as Kubernetes reads YAML)
// are the reference; `split` runs with --skip-non-k8s, since the peer also passes over documents
// without a kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';
import { documentTexts } from '../src/parse/document-texts';
import { canonicalJson } from '../test/helpers';
import {
  createdFiles,
  KUBERNETES_SPLIT_YAML,
  objectsIn,
  requireKubernetesSplitYaml,
  splitYamlArgs,
} from '../test/kubernetes-split-yaml';
import { CORPUS, elapsed, pool, POOL, readTsv, run, safeRender } from './corpus';

const REPOS = [
  'argoproj__argocd-example-apps',
  'kubernetes-sigs__kustomize',
  'argoproj__argo-cd',
  'theepicsaxguy__homelab',
  'mitchross__talos-argocd-proxmox',
  'redhat-cop__gitops-catalog',
];

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name) && statSync(p).isFile()) out.push(p);
  }
  return out.sort();
}

/** The input's objects (what either tool should write), or undefined when it is not valid YAML. */
function inputObjects(text: string): string[] | undefined {
  const docs = parseAllDocuments(text, K8S_YAML) as unknown as Array<{ errors: unknown[]; toJS(o: unknown): unknown }>;
  const out: string[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) return undefined;
    const v = d.toJS(K8S_TO_JS);
    if (isObject(v)) out.push(canonicalJson(v));
  }
  return [...new Set(out)].sort();
}

/** A Kubernetes object as split counts one (apiVersion, kind, name); the peer also writes documents
 * without an apiVersion (kustomize's toy fixtures), which split leaves out under --skip-non-k8s. */
function isObject(v: unknown): boolean {
  const o = v as { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown } } | null;
  return (
    !!o &&
    typeof o === 'object' &&
    typeof o.kind === 'string' &&
    typeof o.apiVersion === 'string' &&
    typeof o.metadata?.name === 'string'
  );
}

const set = (objs: readonly unknown[]) => [...new Set(objs.filter(isObject).map(canonicalJson))].sort();

interface Outcome {
  file: string;
  objects: number;
  /** The peer's losses, by cause. */
  peerExit: number | null;
  peerOverwrote: number;
  peerLost: number;
  peerCommentOnly: boolean;
  oursExit: number | null;
  oursStderr: string;
  same: boolean;
  oursLost: number;
}

test('split and kubernetes-split-yaml over every multi-document YAML file of the corpus', async () => {
  requireKubernetesSplitYaml();
  readTsv(join(CORPUS, 'apps.tsv')); // the corpus is there (fails, never skips)
  const start = Date.now();
  const files = REPOS.flatMap((r) => yamlFiles(join(CORPUS, r))).filter(
    (f) => documentTexts(readFileSync(f, 'utf8')).filter((d) => d.hasContent).length >= 2,
  );
  assert.ok(files.length > 100, `only ${files.length} multi-document files found in ${CORPUS}`);
  const tmp = mkdtempSync(join(tmpdir(), 'safe-render-split-corpus-'));
  try {
    const outcomes = await pool(files, POOL, async (file, i): Promise<Outcome> => {
      const text = readFileSync(file, 'utf8');
      const expected = inputObjects(text);
      const peerDir = join(tmp, `peer-${i}`);
      const oursDir = join(tmp, `ours-${i}`);
      const peer = await run(KUBERNETES_SPLIT_YAML, splitYamlArgs(file, peerDir));
      const ours = await safeRender(['split', file, '-o', oursDir, '--skip-non-k8s'], tmp);
      const created = createdFiles(peer.stderr);
      const peerObjects = set(objectsIn(peerDir));
      const ourObjects = set(objectsIn(oursDir));
      const lost = (got: readonly string[]) => {
        const g = new Set(got);
        return (expected ?? []).filter((o) => !g.has(o)).length;
      };
      return {
        file: relative(CORPUS, file),
        objects: expected?.length ?? -1,
        peerExit: peer.code,
        peerOverwrote: created.length - new Set(created).size,
        peerLost: lost(peerObjects),
        peerCommentOnly: documentTexts(text).some((d) => !d.hasContent && d.text.trim() !== ''),
        oursExit: ours.code,
        oursStderr: ours.stderr,
        same: JSON.stringify(peerObjects) === JSON.stringify(ourObjects),
        oursLost: ours.code === 0 ? lost(ourObjects) : 0,
      };
    });
    const invalid = outcomes.filter((o) => o.objects < 0);
    const valid = outcomes.filter((o) => o.objects >= 0);
    const peerStopped = valid.filter((o) => o.peerExit !== 0);
    const peerOverwrote = valid.filter((o) => o.peerExit === 0 && o.peerOverwrote > 0);
    const peerOtherLoss = valid.filter((o) => o.peerExit === 0 && o.peerOverwrote === 0 && o.peerLost > 0);
    const peerClean = valid.filter((o) => o.peerExit === 0 && o.peerOverwrote === 0 && o.peerLost === 0);
    const oursRefused = valid.filter((o) => o.oursExit !== 0);
    const count = (xs: readonly Outcome[]) =>
      `${xs.length} files, ${xs.reduce((n, o) => n + o.peerLost, 0)} objects lost (${xs.map((o) => o.file).join(', ')})`;
    console.log(
      [
        `split corpus: ${files.length} multi-document YAML files in ${elapsed(start)}`,
        `  not valid YAML for Kubernetes (helm templates, ...): ${invalid.length} (split refuses them with file:line: ${invalid.filter((o) => o.oursExit === 2).length})`,
        `  kubernetes-split-yaml crashed (after skipping a comment-only or empty document, or a generateName object): ${count(peerStopped)}; of them with a comment-only document: ${peerStopped.filter((o) => o.peerCommentOnly).length}`,
        `  kubernetes-split-yaml overwrote a file (same name and kind, no namespace in its names): ${count(peerOverwrote)}, ${peerOverwrote.reduce((n, o) => n + o.peerOverwrote, 0)} writes replaced`,
        `  kubernetes-split-yaml lost objects otherwise (its default name/namespace/kind regexes): ${count(peerOtherLoss)}`,
        `  kubernetes-split-yaml kept every object: ${peerClean.length} files`,
        `  safe-render split refused: ${oursRefused.length} files${oursRefused.length ? `: ${oursRefused.map((o) => `${o.file}: ${o.oursStderr.trim().slice(0, 200)}`).join(' | ')}` : ''}`,
        `  safe-render split lost objects: ${valid.filter((o) => o.oursLost > 0).length} files`,
      ].join('\n'),
    );
    // Never an internal error, whatever the file.
    for (const o of outcomes) assert.ok(o.oursExit === 0 || o.oursExit === 2, `${o.file}: ${o.oursStderr}`);
    for (const o of outcomes) assert.doesNotMatch(o.oursStderr, /internal|\n\s+at /, o.file);
    // Where the peer keeps every object, split writes the same ones.
    for (const o of peerClean) {
      if (o.oursExit !== 0) {
        // A refusal must be one split documents: a duplicate identity or a document Kubernetes cannot read.
        assert.match(o.oursStderr, /same identity|invalid YAML|cannot|Kubernetes/, `${o.file}: ${o.oursStderr}`);
        continue;
      }
      assert.ok(o.same, `${o.file}: split and kubernetes-split-yaml differ`);
    }
    // Where split writes, it loses nothing.
    for (const o of valid) assert.equal(o.oursLost, 0, o.file);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
