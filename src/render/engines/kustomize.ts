// The kustomize engine: the real `kustomize build` (or `kubectl kustomize`), root-only loading, no
// exec or container functions unless the platform allows them, Helm inflation only when the app asks.
// Before running it we walk the kustomization tree: a remote base would need the network and a path
// out of the repository would read the sidecar's files, so both fail with a clear message instead.
import { cpSync, existsSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { RenderFailure } from '../../util/errors';
import type { KustomizeConfig } from '../../config/app-config';
import type { EnginePolicy } from '../../config/platform-policy';
import { KUSTOMIZATION_FILES } from './detect';
import { resolveInsideRepo } from './inside-repo';
import { runTool } from '../run-tool';
import { toPosix } from '../read-tree';
import { replaceRegularFile } from '../../util/safe-write';

const REMOTE = /^(https?:|git@|ssh:|git::|oci:|file:)|^(github\.com|gitlab\.com|bitbucket\.org)\/|\?ref=|\/\//;

function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((p) => existsSync(p));
}

/** Every path a kustomization refers to, with what it is for messages. */
function referencedPaths(k: Record<string, unknown>): Array<{ ref: string; what: string }> {
  const out: Array<{ ref: string; what: string }> = [];
  const add = (v: unknown, what: string) => {
    if (typeof v === 'string' && v !== '' && !v.includes('\n')) out.push({ ref: v, what });
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const key of ['resources', 'bases', 'components', 'crds', 'configurations', 'patchesStrategicMerge', 'transformers', 'generators', 'validators']) {
    for (const v of list(k[key])) add(v, key);
  }
  for (const key of ['patches', 'patchesJson6902', 'replacements']) for (const p of list(k[key])) add((p as { path?: unknown })?.path, key);
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const g of list(k[key])) {
      const gen = (g ?? {}) as { files?: unknown; envs?: unknown; env?: unknown };
      for (const f of list(gen.files)) add(typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f, `${key} files`);
      for (const e of list(gen.envs)) add(e, `${key} envs`);
      add(gen.env, `${key} env`);
    }
  }
  for (const h of list(k.helmCharts)) add((h as { valuesFile?: unknown })?.valuesFile, 'helmCharts valuesFile');
  add((k.openapi as { path?: unknown } | undefined)?.path, 'openapi');
  return out;
}

/** Walks the kustomization tree from `dir`, refusing remote references and paths out of the repo. */
export function checkKustomizationTree(dir: string, repoRoot: string, seen = new Set<string>()): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const file = kustomizationFile(dir);
  if (!file) return;
  const shown = toPosix(relative(repoRoot, file));
  let k: Record<string, unknown>;
  try {
    // kustomize reads a repeated key as its last value (go-yaml v2 via sigs.k8s.io/yaml), and so do
    // we, so the walk checks exactly the references kustomize will follow.
    k = (parse(readFileSync(file, 'utf8'), { uniqueKeys: false }) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new RenderFailure(`invalid kustomization: ${(e as Error).message.split('\n')[0]}`, shown);
  }
  for (const { ref, what } of referencedPaths(k)) {
    if (REMOTE.test(ref)) {
      throw new RenderFailure(`${what} "${ref}" is remote; the sidecar has no network and renders only what is in the repository`, shown,
        'vendor the remote base into the repository (copy it, or `kustomize localize`) and refer to it by a relative path');
    }
    const abs = resolveInsideRepo(dir, ref, repoRoot, `${shown}: ${what}`);
    if (existsSync(abs) && statSync(abs).isDirectory()) checkKustomizationTree(abs, repoRoot, seen);
  }
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

export function kustomizeCommand(engines: EnginePolicy | undefined): string[] {
  if (engines?.kustomizeCommand?.length) return engines.kustomizeCommand;
  return onPath('kustomize') ? ['kustomize', 'build'] : ['kubectl', 'kustomize'];
}

/** Argo CD's image override syntax `[old=]name[:tag][@digest]` as a kustomize `images:` entry. */
export function parseImageOverride(s: string): Record<string, string> {
  const eq = s.indexOf('=');
  const target = eq < 0 ? s : s.slice(eq + 1);
  const at = target.indexOf('@');
  const digest = at < 0 ? undefined : target.slice(at + 1);
  const ref = at < 0 ? target : target.slice(0, at);
  const colon = ref.lastIndexOf(':');
  const tag = colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : undefined;
  const image = tag === undefined ? ref : ref.slice(0, colon);
  const name = eq < 0 ? image : s.slice(0, eq);
  return { name, ...(image !== name ? { newName: image } : {}), ...(tag ? { newTag: tag } : {}), ...(digest ? { digest } : {}) };
}

export interface KustomizeRun {
  appDir: string;
  repoRoot: string;
  config: KustomizeConfig;
  engines?: EnginePolicy;
  helmCommand: string[];
  timeoutMs: number;
  /** The destination cluster, for charts inflated with --enable-helm (as Argo CD passes them). */
  kubeVersion?: string;
  apiVersions?: readonly string[];
}

/** `kustomize edit set nameprefix|namesuffix|image` on the kustomization in `dir`, as Argo CD runs
 * them: the prefix and suffix replace the file's own, and an image entry replaces the file's entry
 * of the same name; entries end up sorted by name, as kustomize writes them. */
export function applyOverrides(dir: string, overrides: Pick<KustomizeConfig, 'images' | 'namePrefix' | 'nameSuffix'>): void {
  const file = kustomizationFile(dir)!;
  let doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: false });
  if (!doc.contents) doc = parseDocument('{}');
  // kustomize reads a repeated key's last value: drop every copy before setting one.
  const set = (key: string, value: unknown) => {
    while (doc.has(key)) doc.delete(key);
    doc.set(key, value);
  };
  if (overrides.namePrefix) set('namePrefix', overrides.namePrefix);
  if (overrides.nameSuffix) set('nameSuffix', overrides.nameSuffix);
  if (overrides.images?.length) {
    const byName = new Map<string, unknown>();
    const existing = doc.toJS() as { images?: unknown };
    for (const im of Array.isArray(existing?.images) ? existing.images : []) byName.set(String((im as { name?: unknown })?.name ?? ''), im);
    for (const o of overrides.images) {
      const im = parseImageOverride(o);
      byName.set(im.name!, im);
    }
    set('images', [...byName.keys()].sort().map((k) => byName.get(k)));
  }
  // Issue 9 §2: the file may be a committed link (to outside, or into the original repository).
  replaceRegularFile(file, String(doc), `the app's ${basename(file)}`);
}

export async function renderKustomize(run: KustomizeRun, home: string): Promise<string> {
  checkKustomizationTree(run.appDir, run.repoRoot);
  const { images = [], namePrefix, nameSuffix, enableHelm } = run.config;
  let root = run.appDir;
  let copy: string | undefined;
  if (images.length || namePrefix || nameSuffix) {
    // Argo CD applies these with `kustomize edit set` on the app's own kustomization, in its
    // throw-away copy of the repository. We edit a copy too, so the repository (and a person's
    // working copy) is never touched, and the result is Argo CD's: a wrapper kustomization around
    // the app would stack the prefix on the app's own and miss images the app already renames.
    copy = mkdtempSync(join(home, 'repo-'));
    cpSync(run.repoRoot, copy, { recursive: true, filter: (src) => basename(src) !== '.git' && src !== home });
    root = join(copy, relative(run.repoRoot, run.appDir));
    applyOverrides(root, { images, namePrefix, nameSuffix });
  }
  const args = [root, '--load-restrictor', 'LoadRestrictionsRootOnly'];
  if (enableHelm && run.engines?.allowKustomizeHelm !== false) {
    args.push('--enable-helm', '--helm-command', run.helmCommand[0]!);
    // Argo CD gives inflated charts the cluster's capabilities too (kustomize >= 5.3); without them a
    // chart that gates objects on .Capabilities renders a different set than Argo CD would.
    if (run.kubeVersion) args.push('--helm-kube-version', run.kubeVersion);
    for (const v of run.apiVersions ?? []) args.push('--helm-api-versions', v);
  }
  if (run.engines?.allowKustomizeExec) args.push('--enable-alpha-plugins', '--enable-exec');
  try {
    return await runTool({ argv: [...kustomizeCommand(run.engines), ...args], cwd: dirname(root), timeoutMs: run.timeoutMs, tool: 'kustomize' }, home);
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}
