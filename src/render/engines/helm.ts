// The helm engine: `helm template` as Argo CD runs it (release name, --namespace from the destination,
// --kube-version and --api-versions from the cluster, --include-crds), with values only from inside
// the repository and dependencies only from the vendored charts/ folder: the sidecar has no network,
// and a chart that quietly renders without a dependency would delete that dependency's objects.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { RenderFailure } from '../../util/errors';
import type { HelmConfig } from '../../config/app-config';
import type { AppContext } from '../../context/app-context';
import { resolveInsideRepo } from './inside-repo';
import { runTool } from '../run-tool';
import { toPosix } from '../read-tree';

/** Every dependency in Chart.yaml must be in charts/, as a folder or a packaged .tgz. */
export function checkVendoredDependencies(chartDir: string, repoRoot: string): void {
  const chartFile = join(chartDir, 'Chart.yaml');
  const shown = toPosix(relative(repoRoot, chartFile));
  let chart: { dependencies?: Array<{ name?: unknown; repository?: unknown; alias?: unknown }> };
  try {
    chart = (parse(readFileSync(chartFile, 'utf8')) ?? {}) as typeof chart;
  } catch (e) {
    throw new RenderFailure(`invalid Chart.yaml: ${(e as Error).message.split('\n')[0]}`, shown);
  }
  const chartsDir = join(chartDir, 'charts');
  const vendored = existsSync(chartsDir) ? readdirSync(chartsDir) : [];
  for (const dep of chart.dependencies ?? []) {
    const name = String(dep.name ?? '');
    const repo = typeof dep.repository === 'string' ? dep.repository : '';
    if (repo.startsWith('file://')) {
      resolveInsideRepo(chartDir, repo.slice('file://'.length), repoRoot, `${shown}: dependency ${name}`);
      continue;
    }
    if (!vendored.some((f) => f === name || (f.startsWith(`${name}-`) && f.endsWith('.tgz')))) {
      throw new RenderFailure(`the chart depends on "${name}"${repo ? ` from ${repo}` : ''}, which is not vendored in charts/; the sidecar has no network`, shown,
        `run \`helm dependency build ${toPosix(relative(repoRoot, chartDir)) || '.'}\` and commit the charts/ folder (and Chart.lock)`);
    }
  }
}

export function releaseName(app: AppContext, config: HelmConfig): string {
  // Apps outside the control-plane namespace are named <ns>_<name>; "_" is not valid in a release name.
  return config.releaseName ?? app.appName.slice(app.appName.lastIndexOf('_') + 1);
}

export function helmArgs(app: AppContext, config: HelmConfig, valuesFiles: readonly string[]): string[] {
  const args = ['template', releaseName(app, config), '.', '--include-crds'];
  if (app.namespace) args.push('--namespace', app.namespace);
  if (app.kubeVersion) args.push('--kube-version', app.kubeVersion);
  for (const v of app.apiVersions) args.push('--api-versions', v);
  for (const f of valuesFiles) args.push('--values', f);
  for (const k of Object.keys(config.parameters ?? {}).sort()) args.push('--set', `${k}=${config.parameters![k]}`);
  return args;
}

export interface HelmRun {
  app: AppContext;
  config: HelmConfig;
  helmCommand: string[];
  timeoutMs: number;
}

export async function renderHelm(run: HelmRun, home: string): Promise<string> {
  const { app, config } = run;
  checkVendoredDependencies(app.appDir, app.repoRoot);
  const valuesFiles = (config.valueFiles ?? []).map((f) => {
    const abs = resolveInsideRepo(app.appDir, f, app.repoRoot, 'values file');
    if (!existsSync(abs)) throw new RenderFailure(`values file "${f}" does not exist`, toPosix(relative(app.repoRoot, app.appDir)), 'fix the path in safe-render.yaml or the values-files parameter');
    return abs;
  });
  if (config.values !== undefined && config.values !== null) {
    const inline = join(home, 'inline-values.json');
    writeFileSync(inline, JSON.stringify(config.values));
    valuesFiles.push(inline);
  }
  return runTool({ argv: [...run.helmCommand, ...helmArgs(app, config, valuesFiles)], cwd: app.appDir, timeoutMs: run.timeoutMs, tool: 'helm' }, home);
}
