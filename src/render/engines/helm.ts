// The helm engine: `helm template` as Argo CD runs it (release name, --namespace from the destination,
// --kube-version and --api-versions from the cluster, --include-crds), with values only from inside
// the repository and dependencies only from the vendored charts/ folder: the sidecar has no network,
// and a chart that quietly renders without a dependency would delete that dependency's objects.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse } from 'yaml';
import { nestingProblem } from '../../util/yaml-depth';
import { RenderFailure } from '../../util/errors';
import type { HelmConfig } from '../../config/app-config';
import type { AppContext } from '../../context/app-context';
import { resolveInsideRepo } from './inside-repo';
import { runTool, withScratchHome } from '../run-tool';
import { helmCommandOf, toolOutput, type Engine, type ToolRunner } from './engine';
import { checkTreeInsideRepo } from './tree-links';
import { toPosix } from '../read-tree';
import {
  checkApiVersion,
  checkKubeVersion,
  checkNamespace,
  checkPathArg,
  checkReleaseName,
  checkSetKey,
  checkSetValue,
  shown,
} from './tool-args';
import { checkRepoFile, entryExists, excerpt, readRepoFile } from '../../util/repo-file';

type Dependency = { name?: unknown; repository?: unknown };

function readChartYaml<T>(file: string, shown: string, repoRoot: string): T {
  // Through the guarded reader (issue 8 §7); a parse error quotes at most a sanitised excerpt.
  const text = readRepoFile(repoRoot, file, { shown, kind: 'chart' });
  const deep = nestingProblem(text);
  if (deep) throw new RenderFailure(`invalid ${basename(file)}: it ${deep}`, shown);
  try {
    return (parse(text, { uniqueKeys: false }) ?? {}) as T; // helm, too, takes a repeated key's last value
  } catch (e) {
    throw new RenderFailure(`invalid ${basename(file)}: ${excerpt((e as Error).message.split('\n')[0]!)}`, shown);
  }
}

/** What helm reads as the chart's dependencies: Chart.yaml's and requirements.yaml's (the v1 place,
 * which helm 3 and 4 still read, with a warning, in any chart). */
function declaredDependencies(chartDir: string, repoRoot: string): Dependency[] {
  const chartFile = join(chartDir, 'Chart.yaml');
  const chart = readChartYaml<{ dependencies?: Dependency[] }>(
    chartFile,
    toPosix(relative(repoRoot, chartFile)),
    repoRoot,
  );
  const deps = Array.isArray(chart.dependencies) ? [...chart.dependencies] : [];
  const requirements = join(chartDir, 'requirements.yaml');
  if (entryExists(requirements)) {
    const req = readChartYaml<{ dependencies?: Dependency[] }>(
      requirements,
      toPosix(relative(repoRoot, requirements)),
      repoRoot,
    );
    if (Array.isArray(req.dependencies)) deps.push(...req.dependencies);
  }
  return deps;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every dependency must be in charts/, as a folder or a packaged `<name>-<version>.tgz`, including
 * the dependencies of vendored subchart folders: helm errors on a missing top-level dependency but
 * renders without a missing nested one, silently dropping its objects. Packaged .tgz charts are
 * built by `helm dependency build`/`helm package` and carry their own charts/. */
export function checkVendoredDependencies(chartDir: string, repoRoot: string): void {
  const shown = toPosix(relative(repoRoot, join(chartDir, 'Chart.yaml')));
  const chartsDir = join(chartDir, 'charts');
  const vendored = existsSync(chartsDir) ? readdirSync(chartsDir) : [];
  const isChartDir = (f: string) => existsSync(join(chartsDir, f, 'Chart.yaml'));
  // helm matches a folder by the name in its Chart.yaml, whatever the folder is called.
  const chartName = (f: string) =>
    readChartYaml<{ name?: unknown }>(
      join(chartsDir, f, 'Chart.yaml'),
      toPosix(relative(repoRoot, join(chartsDir, f, 'Chart.yaml'))),
      repoRoot,
    ).name;
  for (const dep of declaredDependencies(chartDir, repoRoot)) {
    const name = String(dep.name ?? '');
    const repo = typeof dep.repository === 'string' ? dep.repository : '';
    if (repo.startsWith('file://'))
      resolveInsideRepo(chartDir, repo.slice('file://'.length), repoRoot, `${shown}: dependency ${name}`);
    // A version starts with a digit (or v): "redis-ha-4.1.0.tgz" is not the chart "redis".
    const tgz = new RegExp(`^${escapeRegExp(name)}-v?\\d.*\\.tgz$`);
    if (!vendored.some((f) => tgz.test(f) || (isChartDir(f) && (f === name || chartName(f) === name)))) {
      throw new RenderFailure(
        `the chart depends on "${name}"${repo ? ` from ${repo}` : ''}, which is not vendored in charts/; the sidecar has no network`,
        shown,
        `run \`helm dependency build ${toPosix(relative(repoRoot, chartDir)) || '.'}\` and commit the charts/ folder (and Chart.lock)`,
      );
    }
  }
  // helm renders every subchart folder in charts/, declared or not.
  for (const f of vendored) if (isChartDir(f)) checkVendoredDependencies(join(chartsDir, f), repoRoot);
}

/** The release name and where it came from (for messages). */
export function releaseName(app: AppContext, config: HelmConfig): { name: string; from: string } {
  if (config.releaseName !== undefined)
    return {
      name: config.releaseName,
      from: 'release name (release-name parameter or helm.releaseName in safe-render.yaml)',
    };
  // Apps outside the control-plane namespace are named <ns>_<name>; "_" is not valid in a release name.
  return { name: app.appName.slice(app.appName.lastIndexOf('_') + 1), from: 'release name (the application name)' };
}

/** A --set value as Argo CD passes it: commas escaped, since helm would split `a,b` into two
 * assignments, except in a `{a,b}` list or where the value escapes them itself. */
export function setValue(v: string): string {
  if (v.startsWith('{') && v.endsWith('}')) return v;
  let out = '';
  for (let i = 0; i < v.length; i++) out += v[i] === ',' && v[i - 1] !== '\\' ? '\\,' : v[i];
  return out;
}

/** `helm template` as Argo CD runs it. Every value from the repository or the parameters is checked
 * against what helm accepts (tool-args.ts) and passed as `--flag=value`, and the two positional
 * arguments come after `--`, so none can be read as a flag (issue 8 §1). */
export function helmArgs(app: AppContext, config: HelmConfig, valuesFiles: readonly string[]): string[] {
  const where = toPosix(relative(app.repoRoot, app.appDir)) || '.';
  const release = releaseName(app, config);
  checkReleaseName(release.name, release.from, where);
  const args = ['template', '--include-crds'];
  if (app.namespace) args.push(`--namespace=${checkNamespace(app.namespace, 'destination namespace', where)}`);
  if (app.kubeVersion)
    args.push(
      `--kube-version=${checkKubeVersion(app.kubeVersion, 'kube version (KUBE_VERSION or --kube-version)', where)}`,
    );
  for (const v of app.apiVersions)
    args.push(`--api-versions=${checkApiVersion(v, 'API version (KUBE_API_VERSIONS or --api-versions)', where)}`);
  for (const f of valuesFiles) args.push(`--values=${checkPathArg(f, 'values file', where)}`);
  for (const k of Object.keys(config.parameters ?? {}).sort()) {
    checkSetKey(k, 'helm parameter name', where);
    args.push(
      `--set=${k}=${checkSetValue(setValue(config.parameters![k]!), `helm parameter ${shown(k)} value`, where)}`,
    );
  }
  return [...args, '--', release.name, '.'];
}

export interface HelmRun {
  app: AppContext;
  config: HelmConfig;
  helmCommand: string[];
  timeoutMs: number;
  /** runTool (src/render/run-tool.ts) unless given. */
  runTool?: ToolRunner;
}

export async function renderHelm(run: HelmRun, home: string): Promise<string> {
  const { app, config } = run;
  const valuesFiles = (config.valueFiles ?? []).map((f) => {
    const abs = resolveInsideRepo(app.appDir, f, app.repoRoot, 'values file');
    if (!entryExists(abs))
      throw new RenderFailure(
        `values file "${f}" does not exist`,
        toPosix(relative(app.repoRoot, app.appDir)),
        'fix the path in safe-render.yaml or the values-files parameter',
      );
    // helm reads it: it must be a regular file of bounded size inside the repository (a fifo would hang helm).
    checkRepoFile(app.repoRoot, abs, { shown: toPosix(relative(app.repoRoot, abs)), kind: 'values' });
    return abs;
  });
  // helm reads the whole chart folder (templates, .Files, charts/): no link in it may lead out.
  // First of all reads of the chart: the dependency check below reads subcharts' Chart.yaml.
  checkTreeInsideRepo(app.appDir, app.repoRoot, 'helm');
  checkVendoredDependencies(app.appDir, app.repoRoot);
  if (config.values !== undefined && config.values !== null) {
    const inline = join(home, 'inline-values.json');
    writeFileSync(inline, JSON.stringify(config.values));
    valuesFiles.push(inline);
  }
  return (run.runTool ?? runTool)(
    {
      argv: [...run.helmCommand, ...helmArgs(app, config, valuesFiles)],
      cwd: app.appDir,
      timeoutMs: run.timeoutMs,
      tool: 'helm',
    },
    home,
  );
}

export const helmEngine: Engine<'helm'> = {
  name: 'helm',
  detect: (appDir) => (existsSync(join(appDir, 'Chart.yaml')) ? 'Chart.yaml' : undefined),
  render: async ({ app, config, limits, timeoutMs, runTool: run, prefix }) => {
    const text = await withScratchHome((home) =>
      renderHelm({ app, config: config.helm, helmCommand: helmCommandOf(limits), timeoutMs, runTool: run }, home),
    );
    return toolOutput('helm', prefix, text);
  },
};
