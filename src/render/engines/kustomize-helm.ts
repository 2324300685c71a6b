// kustomize's helm inflation builds helm's argv itself, from the kustomization (kustomize
// api/types/helmchartargs.go AsHelmArgs and api/internal/builtins/HelmChartInflationGenerator.go):
//   helm template <releaseName> <chartHome>/<name> --namespace <namespace> --name-template <t>
//        -f <valuesFile copy> -f <root>/<additionalValuesFiles...> --api-versions <v>... --kube-version <v>
//   helm pull --untar --untardir <chartHome> [--repo <repo>] <name> --version <version>  (when the chart is absent)
// with HELM_CONFIG_HOME/HELM_DATA_HOME taken from helmGlobals.configHome. The release name is a bare
// positional argument, so `releaseName: --post-renderer=/bin/sh` ran a shell (issue 8 §1); -f is a
// comma-separated list in helm, so a comma in a values file path names a second file anywhere. A
// chart is configured in three places: `helmCharts` (with `helmGlobals`), the deprecated
// `helmChartInflationGenerator` (converted by kustomize), and a `HelmChartInflationGenerator`
// builtin config listed in `generators` (a file, or inline text). Each is checked here, before
// kustomize runs, against what helm accepts; a remote chart (`repo`) is refused before any download
// (issue 9 §3), and every chart folder helm will read is walked for links out of the repository.
import { existsSync } from 'node:fs';
import { RenderFailure } from '../../util/errors';
import type { KView } from './kustomization-yaml';
import { foldFieldName } from './kustomization-yaml';
import { resolveInsideRepo } from './inside-repo';
import {
  checkApiVersion,
  checkChartVersion,
  checkKubeVersion,
  checkNamespace,
  checkPathArg,
  checkPlainArg,
  checkReleaseName,
  shown,
} from './tool-args';
import { checkTreeInsideRepo } from './tree-links';

/** One chart configuration: every candidate value of each field (see KView), under kustomize's
 * field names. */
export interface ChartConfig {
  /** For messages: `helmCharts[0]`, `generators "helm.yaml"`. */
  label: string;
  get: (field: string) => string[];
}

/** The deprecated helmChartInflationGenerator's fields, by the name kustomize converts them to. */
const OLD_FIELDS: Record<string, string> = {
  name: 'chartName',
  version: 'chartVersion',
  repo: 'chartRepoUrl',
  valuesFile: 'values',
  releaseName: 'releaseName',
  chartHome: 'chartHome',
  configHome: 'helmHome',
};

export const HELM_GENERATOR_KIND = 'HelmChartInflationGenerator';

export function isHelmGeneratorConfig(doc: KView): boolean {
  return doc.get('kind').some((k) => foldFieldName(k.str() ?? '') === foldFieldName(HELM_GENERATOR_KIND));
}

/** Every chart configured by the kustomization `k` itself (helmCharts and the deprecated field). */
export function chartsOf(k: KView): ChartConfig[] {
  const globals = k.get('helmGlobals');
  const old = k.list('helmChartInflationGenerator');
  // kustomize gives every chart of the kustomization the global chart and config homes, which the
  // deprecated entries also set ("last non-empty wins"): every candidate applies to every chart.
  const homes = (field: 'chartHome' | 'configHome') => [
    ...globals.flatMap((g) => g.strings(field)),
    ...old.flatMap((o) => o.strings(OLD_FIELDS[field]!)),
  ];
  const out: ChartConfig[] = [];
  k.list('helmCharts').forEach((h, i) =>
    out.push({
      label: `helmCharts[${i}]`,
      get: (f) => (f === 'chartHome' || f === 'configHome' ? homes(f) : h.strings(f)),
    }),
  );
  old.forEach((o, i) =>
    out.push({
      label: `helmChartInflationGenerator[${i}]`,
      get: (f) => (f === 'chartHome' || f === 'configHome' ? homes(f) : OLD_FIELDS[f] ? o.strings(OLD_FIELDS[f]) : []),
    }),
  );
  return out;
}

/** A HelmChartInflationGenerator builtin config (from `generators`): every field at the top level. */
export function chartOfGeneratorConfig(doc: KView, label: string): ChartConfig {
  return { label, get: (f) => doc.strings(f) };
}

const REMOTE_HINT =
  'vendor the chart into the chart home (`helm pull --untar`, then commit it) and remove `repo`; the sidecar has no network';

/** Checks one chart configuration of the kustomization in `dir` (file shown as `where`). */
export function checkChartConfig(c: ChartConfig, dir: string, repoRoot: string, where: string): void {
  const at = (field: string) => `${where}: ${c.label}.${field}`;
  for (const repo of c.get('repo')) {
    if (repo !== '')
      throw new RenderFailure(
        `${c.label}.repo ${shown(repo)} downloads the chart; safe-render renders only what is in the repository`,
        where,
        REMOTE_HINT,
      );
  }
  for (const home of c.get('configHome')) {
    // kustomize points HELM_CONFIG_HOME, HELM_CACHE_HOME and HELM_DATA_HOME (helm's plugins) there.
    if (home !== '')
      throw new RenderFailure(
        `${c.label} sets helm's configuration home (helmGlobals.configHome) to ${shown(home)}; helm's configuration is the sidecar's, not the repository's`,
        where,
        'remove configHome',
      );
  }
  for (const v of c.get('releaseName')) if (v !== '') checkReleaseName(v, `${c.label}.releaseName`, where);
  for (const v of c.get('namespace')) if (v !== '') checkNamespace(v, `${c.label}.namespace`, where);
  for (const v of c.get('version')) if (v !== '') checkChartVersion(v, `${c.label}.version`, where);
  for (const v of c.get('kubeVersion')) if (v !== '') checkKubeVersion(v, `${c.label}.kubeVersion`, where);
  for (const v of c.get('apiVersions')) checkApiVersion(v, `${c.label}.apiVersions`, where);
  for (const v of c.get('nameTemplate')) checkPlainArg(v, `${c.label}.nameTemplate`, where);
  for (const field of ['valuesFile', 'additionalValuesFiles']) {
    for (const f of c.get(field)) {
      if (f === '') continue;
      checkPathArg(f, `${c.label}.${field}`, where);
      resolveInsideRepo(dir, f, repoRoot, at(field));
    }
  }
  const homes = c.get('chartHome').filter((h) => h !== '');
  for (const name of c.get('name')) {
    if (name === '') continue;
    checkPlainArg(name, `${c.label}.name`, where);
    // The chart folder is <chartHome>/<name>; kustomize itself does not keep either in the root.
    for (const home of homes.length ? homes : ['charts']) {
      checkPlainArg(home, `${c.label} chart home`, where);
      const chartHome = resolveInsideRepo(dir, home, repoRoot, at('chartHome'));
      const chartDir = resolveInsideRepo(chartHome, name, repoRoot, at('name'));
      if (existsSync(chartDir)) checkTreeInsideRepo(chartDir, repoRoot, `helm (through kustomize's ${c.label})`);
    }
  }
}
