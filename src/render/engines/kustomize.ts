// The kustomize engine: the real `kustomize build` (or `kubectl kustomize`), root-only loading, no
// exec or container functions unless the platform allows them, Helm inflation only when the app asks.
// Before running it we walk the kustomization tree: a remote base would need the network and a path
// out of the repository would read the sidecar's files, so both fail with a clear message instead.
import { cpSync, existsSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { RenderFailure, UsageError } from '../../util/errors';
import type { KustomizeConfig } from '../../config/app-config';
import type { EnginePolicy } from '../../config/platform-policy';
import { resolveInsideRepo } from './inside-repo';
import { runTool, withScratchHome } from '../run-tool';
import { toPosix } from '../read-tree';
import { readViews, type KView } from './kustomization-yaml';
import { nestingProblem } from '../../util/yaml-depth';
import { chartOfGeneratorConfig, chartsOf, checkChartConfig, isHelmGeneratorConfig } from './kustomize-helm';
import { checkApiVersion, checkKubeVersion } from './tool-args';
import { SHIM_HELM_ENV, writeKustomizeHelmShim } from './kustomize-helm-shim';
import { excerpt, readRepoFile } from '../../util/repo-file';
import { replaceRegularFile } from '../../util/safe-write';
import { helmCommandOf, toolOutput, type Engine, type ToolRunner } from './engine';

/** The names kustomize looks for, in its order (konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const REMOTE = /^(https?:|git@|ssh:|git::|oci:|file:)|^(github\.com|gitlab\.com|bitbucket\.org)\/|\?ref=|\/\//;

function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((p) => existsSync(p));
}

/** Every path a kustomization refers to, with what it is for messages: every candidate value of
 * each field, as kustomize could read it (kustomization-yaml.ts). */
function referencedPaths(k: KView): Array<{ ref: string; what: string }> {
  const out: Array<{ ref: string; what: string }> = [];
  const add = (v: string | undefined, what: string) => {
    if (v !== undefined && v !== '' && !v.includes('\n')) out.push({ ref: v, what });
  };
  for (const key of ['resources', 'bases', 'components', 'crds', 'configurations', 'patchesStrategicMerge']) {
    for (const v of k.strings(key)) add(v, key);
  }
  // generators, transformers and validators hold paths or inline configs (kustomize tries each
  // entry as YAML first): the inline ones are checked by inlineConfigs.
  for (const key of PLUGIN_FIELDS) for (const v of k.strings(key)) if (inlineConfigs(v, key) === undefined) add(v, key);
  for (const key of ['patches', 'patchesJson6902', 'replacements'])
    for (const p of k.list(key)) for (const v of p.get('path')) add(v.str(), key);
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const gen of k.list(key)) {
      for (const f of gen.strings('files')) add(f.slice(f.indexOf('=') + 1), `${key} files`);
      for (const e of gen.strings('envs')) add(e, `${key} envs`);
      for (const e of gen.strings('env')) add(e, `${key} env`);
    }
  }
  for (const h of k.list('helmCharts')) {
    for (const f of h.strings('valuesFile')) add(f, 'helmCharts valuesFile');
    for (const f of h.strings('additionalValuesFiles')) add(f, 'helmCharts additionalValuesFiles');
  }
  for (const h of k.list('helmChartInflationGenerator'))
    for (const f of h.strings('values')) add(f, 'helmChartInflationGenerator values');
  for (const o of k.get('openapi')) for (const v of o.get('path')) add(v.str(), 'openapi');
  return out;
}

const PLUGIN_FIELDS = ['generators', 'transformers', 'validators'];

/** The documents of an inline plugin config (an entry kustomize reads as YAML objects), else undefined. */
function inlineConfigs(entry: string, key: string): KView[] | undefined {
  // Too deep for us is not "a path" to kustomize: an inline helm generator would go unchecked (§1).
  const deep = nestingProblem(entry);
  if (deep) throw new RenderFailure(`invalid kustomization: an inline ${key} entry ${deep}`);
  let docs: KView[];
  try {
    docs = readViews(entry);
  } catch {
    return undefined;
  }
  // kustomize keeps an entry as inline only when it reads as resources (a kind is required);
  // anything else it loads as a path, and so we check it as one.
  return docs.some((d) => d.isMap() && d.strings('kind').some((k) => k !== '')) ? docs : undefined;
}

function readYamlViews(repoRoot: string, file: string, shown: string, what: string): KView[] {
  // Through the guarded reader: bounded, regular file, inside the repository; a parse error is
  // quoted only as a short sanitised excerpt.
  const text = readRepoFile(repoRoot, file, { shown, kind: 'kustomization' });
  try {
    return readViews(text);
  } catch (e) {
    throw new RenderFailure(`invalid ${what}: ${excerpt((e as Error).message.split('\n')[0]!)}`, shown);
  }
}

/** Walks the kustomization tree from `dir`, refusing remote references, paths out of the repo, and
 * helm chart settings that could reach helm's argv as something else (kustomize-helm.ts). */
export function checkKustomizationTree(
  dir: string,
  repoRoot: string,
  seen = new Set<string>(),
  enableHelm = true,
): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const file = kustomizationFile(dir);
  if (!file) return;
  const shown = toPosix(relative(repoRoot, file));
  // The file itself may be a link: readYamlViews reads through the guarded reader, which refuses
  // a link out before reading (or quoting) anything.
  // Every document, though kustomize reads the first: checking more than it reads is never a hole.
  const docs = readYamlViews(repoRoot, file, shown, 'kustomization');
  for (const k of docs) {
    for (const { ref, what } of referencedPaths(k)) {
      if (REMOTE.test(ref)) {
        throw new RenderFailure(
          `${what} "${ref}" is remote; the sidecar has no network and renders only what is in the repository`,
          shown,
          'vendor the remote base into the repository (copy it, or `kustomize localize`) and refer to it by a relative path',
        );
      }
      const abs = resolveInsideRepo(dir, ref, repoRoot, `${shown}: ${what}`);
      const isDir = existsSync(abs) && statSync(abs).isDirectory();
      if (PLUGIN_FIELDS.includes(what)) {
        if (isDir && what === 'generators' && enableHelm) {
          // The generated objects of that kustomization become generator configs, after its own
          // patches: a HelmChartInflationGenerator among them cannot be checked before it runs.
          throw new RenderFailure(
            `generators "${ref}" is a kustomization; with helm inflation on, its output could configure helm in ways safe-render cannot check before it runs`,
            shown,
            'list generator config files directly, or use helmCharts',
          );
        }
        if (existsSync(abs) && !isDir) {
          readYamlViews(repoRoot, abs, toPosix(relative(repoRoot, abs)), `${what} config`)
            .filter(isHelmGeneratorConfig)
            .forEach((d, i) =>
              checkChartConfig(chartOfGeneratorConfig(d, `${what} "${ref}" [${i}]`), dir, repoRoot, shown),
            );
        }
      }
      if (isDir) checkKustomizationTree(abs, repoRoot, seen, enableHelm);
    }
    for (const key of PLUGIN_FIELDS) {
      k.strings(key).forEach((entry, n) => {
        (inlineConfigs(entry, key) ?? [])
          .filter(isHelmGeneratorConfig)
          .forEach((d, i) =>
            checkChartConfig(chartOfGeneratorConfig(d, `${key}[${n}] (inline) [${i}]`), dir, repoRoot, shown),
          );
      });
    }
    for (const chart of chartsOf(k)) checkChartConfig(chart, dir, repoRoot, shown);
  }
}

function onPath(bin: string, path: string | undefined): boolean {
  return (path ?? '').split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

/** The policy's kustomize command, else `kustomize build` when `path` (the PATH safe-render was started
 * with) has kustomize, else `kubectl kustomize`. */
export function kustomizeCommand(engines: EnginePolicy | undefined, path: string | undefined): string[] {
  if (engines?.kustomizeCommand?.length) return engines.kustomizeCommand;
  return onPath('kustomize', path) ? ['kustomize', 'build'] : ['kubectl', 'kustomize'];
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
  return {
    name,
    ...(image !== name ? { newName: image } : {}),
    ...(tag ? { newTag: tag } : {}),
    ...(digest ? { digest } : {}),
  };
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
  /** PATH to look for kustomize in (when the policy names no command). */
  path?: string;
  /** runTool (src/render/run-tool.ts) unless given. */
  runTool?: ToolRunner;
}

/** `kustomize edit set nameprefix|namesuffix|image` on the kustomization in `dir`, as Argo CD runs
 * them: the prefix and suffix replace the file's own, and an image entry replaces the file's entry
 * of the same name; entries end up sorted by name, as kustomize writes them. */
export function applyOverrides(
  dir: string,
  overrides: Pick<KustomizeConfig, 'images' | 'namePrefix' | 'nameSuffix'>,
): void {
  const file = kustomizationFile(dir)!;
  let doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: false, merge: true });
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
    for (const im of Array.isArray(existing?.images) ? existing.images : [])
      byName.set(String((im as { name?: unknown })?.name ?? ''), im);
    for (const o of overrides.images) {
      const im = parseImageOverride(o);
      byName.set(im.name!, im);
    }
    set(
      'images',
      [...byName.keys()].sort().map((k) => byName.get(k)),
    );
  }
  // Issue 9 §2: the file may be a committed link (to outside, or into the original repository).
  replaceRegularFile(file, String(doc), `the app's ${basename(file)}`);
}

/** kustomize's --helm-command is one executable (exec.Command(helmCommand, args...)): a policy
 * command of several words cannot be passed whole, and passing its first word alone would run a
 * different helm than the policy says (issue 10). */
export function kustomizeHelmCommand(helmCommand: readonly string[]): string {
  if (helmCommand.length !== 1 || helmCommand[0] === '' || helmCommand[0]!.startsWith('-')) {
    throw new UsageError(
      `the platform policy's engines.helmCommand ${JSON.stringify(helmCommand)} has ${helmCommand.length === 1 ? 'an empty or flag-like word' : `${helmCommand.length} words`}; kustomize's --helm-command takes one executable` +
        ' (set helmCommand to a single path, a wrapper script if helm needs arguments)',
    );
  }
  return helmCommand[0]!;
}

export async function renderKustomize(run: KustomizeRun, home: string): Promise<string> {
  const { images = [], namePrefix, nameSuffix, enableHelm } = run.config;
  const helm = Boolean(enableHelm) && run.engines?.allowKustomizeHelm !== false;
  checkKustomizationTree(run.appDir, run.repoRoot, new Set(), helm);
  const where = toPosix(relative(run.repoRoot, run.appDir)) || '.';
  // Every flag takes its value in the same argument (--flag=value): a value is never read as a flag.
  const args = ['--load-restrictor=LoadRestrictionsRootOnly'];
  const env: Record<string, string> = {};
  if (helm) {
    // The policy's helm, run through the shim that lets kubectl's kustomize 5.7 use helm 4.
    env[SHIM_HELM_ENV] = kustomizeHelmCommand(run.helmCommand);
    args.push('--enable-helm', `--helm-command=${writeKustomizeHelmShim(home)}`);
    // Argo CD gives inflated charts the cluster's capabilities too (kustomize >= 5.3); without them a
    // chart that gates objects on .Capabilities renders a different set than Argo CD would.
    if (run.kubeVersion)
      args.push(
        `--helm-kube-version=${checkKubeVersion(run.kubeVersion, 'kube version (KUBE_VERSION or --kube-version)', where)}`,
      );
    for (const v of run.apiVersions ?? [])
      args.push(
        `--helm-api-versions=${checkApiVersion(v, 'API version (KUBE_API_VERSIONS or --api-versions)', where)}`,
      );
  }
  let root = run.appDir;
  let copy: string | undefined;
  if (images.length || namePrefix || nameSuffix) {
    // Argo CD applies these with `kustomize edit set` on the app's own kustomization, in its
    // throw-away copy of the repository. We edit a copy too, so the repository (and a person's
    // working copy) is never touched, and the result is Argo CD's: a wrapper kustomization around
    // the app would stack the prefix on the app's own and miss images the app already renames.
    // (They are written into the YAML by the yaml package, never passed on a command line.)
    copy = mkdtempSync(join(home, 'repo-'));
    cpSync(run.repoRoot, copy, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => basename(src) !== '.git' && src !== home,
    });
    root = join(copy, relative(run.repoRoot, run.appDir));
    applyOverrides(root, { images, namePrefix, nameSuffix });
  }
  // The build root is an absolute path, so it can never be read as a flag either.
  args.unshift(root);
  if (run.engines?.allowKustomizeExec) args.push('--enable-alpha-plugins', '--enable-exec');
  try {
    return await (run.runTool ?? runTool)(
      {
        argv: [...kustomizeCommand(run.engines, run.path), ...args],
        cwd: dirname(root),
        timeoutMs: run.timeoutMs,
        tool: 'kustomize',
        env,
      },
      home,
    );
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}

export const kustomizeEngine: Engine<'kustomize'> = {
  name: 'kustomize',
  detect: (appDir) => KUSTOMIZATION_FILES.find((f) => existsSync(join(appDir, f))),
  render: async ({ app, config, limits, timeoutMs, env, runTool: run, prefix }) => {
    const text = await withScratchHome((home) =>
      renderKustomize(
        {
          appDir: app.appDir,
          repoRoot: app.repoRoot,
          config: config.kustomize,
          engines: limits,
          helmCommand: helmCommandOf(limits),
          timeoutMs,
          kubeVersion: app.kubeVersion,
          apiVersions: app.apiVersions,
          path: env.PATH,
          runTool: run,
        },
        home,
      ),
    );
    return toolOutput('kustomize', prefix, text);
  },
};
