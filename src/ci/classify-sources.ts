// Which sources of an Application `ci` checks (issue 11): a source of this repository (compared as
// Argo CD compares repository URLs, util/repo-url.ts) that names this plugin. Every other app is
// listed as skipped, with the reason in words.
import { asObject, type JsonObject } from '../model/object';
import type { PluginParameter } from '../context/app-context';
import { excerpt } from '../util/repo-file';
import { sameRepository } from '../util/repo-url';
import { mapNativeSettings, nativeToolOf, pluginSourceOf, type NativeTool } from './native-source';

export interface SourceChoice {
  /** Index in spec.sources; undefined for spec.source. */
  sourceIndex?: number;
  source: JsonObject;
  /** Why it is not checked; undefined when it is. */
  skipped?: string;
  /** `ci --include-native`: the Argo CD tool this source uses; `source` is then the plugin source it
   * is previewed as (native-source.ts). */
  native?: { tool: NativeTool; parameters: PluginParameter[]; notMapped: string[] };
}

export interface ClassifyOptions {
  repoURL: string;
  pluginName: string;
  repoRoot: string;
  /** `ci --include-native`: also check sources of this repository that use Argo CD's own tools. */
  includeNative?: boolean;
}

/** The tool Argo CD would pick for a source without a plugin section (native-source.ts nativeToolOf);
 * a source whose path is not a string is read as a plain directory unless it names helm or kustomize. */
function toolOf(source: JsonObject, o: ClassifyOptions): string {
  const tool = nativeToolOf(source, o.repoRoot);
  if (tool === 'chart') return 'helm (a chart from a Helm repository)';
  if (typeof source.path !== 'string' && source.helm === undefined && source.kustomize === undefined)
    return 'directory';
  return tool;
}

function whySkipped(source: JsonObject, o: ClassifyOptions): string | undefined {
  const url = typeof source.repoURL === 'string' ? source.repoURL : '';
  if (!sameRepository(url, o.repoURL)) return `another repository (${excerpt(url, 120) || 'no repoURL'})`;
  if (source.plugin === undefined || source.plugin === null) return `another tool: ${toolOf(source, o)}`;
  const name = asObject(source.plugin).name;
  if (typeof name !== 'string' || name === '')
    return `plugin chosen by discovery (no plugin.name); ci checks plugin.name: ${o.pluginName}`;
  // A sidecar whose plugin.yaml sets spec.version is selected as `<name>-<version>` (contract §1,
  // PluginConfig.Address): `safe-render-v2` is this plugin too, and skipping it would pass what its
  // sidecar refuses.
  if (name !== o.pluginName && !(name.startsWith(`${o.pluginName}-`) && name.length > o.pluginName.length + 1))
    return `another plugin (${excerpt(name, 80)})`;
  return undefined;
}

/** `--include-native`: a source of this repository with Argo CD's own tool is checked as the plugin
 * source it maps to; a chart of a Helm repository, or a `ref` source without a path (it only lends
 * its files to the other sources' `$ref/` value files; Argo CD renders nothing from it), stays skipped. */
function previewNative(c: SourceChoice, o: ClassifyOptions): void {
  const tool = nativeToolOf(c.source, o.repoRoot);
  if (tool === 'chart') {
    c.skipped = `another tool: ${toolOf(c.source, o)}`;
    return;
  }
  const path = typeof c.source.path === 'string' ? c.source.path : '';
  if (typeof c.source.ref === 'string' && c.source.ref !== '' && path === '') {
    c.skipped = 'a ref source (value files for the other sources), no manifests of its own';
    return;
  }
  const { parameters, notMapped } = mapNativeSettings(c.source, tool, o.repoRoot);
  c.native = { tool, parameters, notMapped };
  c.source = pluginSourceOf(c.source, o.pluginName, parameters);
}

/** The sources of an Application: spec.sources when it has any (Argo CD then ignores spec.source,
 * `HasMultipleSources`), else spec.source. One entry per checked source; when none is checked, one
 * skipped entry saying why (each source's reason). */
export function classifySources(spec: JsonObject, o: ClassifyOptions): SourceChoice[] {
  const multi = Array.isArray(spec.sources) && spec.sources.length > 0 ? (spec.sources as unknown[]) : undefined;
  const all: SourceChoice[] = multi
    ? multi.map((s, i) => ({ sourceIndex: i, source: asObject(s) }))
    : [{ source: asObject(spec.source) }];
  for (const c of all) {
    const why = whySkipped(c.source, o);
    if (why !== undefined && o.includeNative && why.startsWith('another tool: ')) previewNative(c, o);
    else if (why !== undefined) c.skipped = why;
  }
  const checked = all.filter((c) => c.skipped === undefined);
  if (checked.length) return checked;
  if (!multi) return all;
  const reasons = [...new Set(all.map((c) => c.skipped))];
  return [{ source: {}, skipped: reasons.length === 1 ? reasons[0] : `no source checked: ${reasons.join('; ')}` }];
}
