// One entry of spec.generators (or of a matrix/merge) into parameter sets and the template they render:
// argo-cd applicationset/generators/generator_spec_processor.go Transform, GetRelevantGenerators,
// mergeGeneratorTemplate, InterpolateGenerator (utils.go RenderGeneratorParams).
import { isPlainObject, type JsonObject } from '../model/object';
import { parseSelector, selectorMatches } from '../util/label-selector';
import type { EvalCtx, Params } from './context';
import { flattenForSelector } from './selector-params';
import { listParams } from './list-generator';
import { gitParams } from './git-generator';
import { matrixParams, mergeParams } from './matrix-merge';
import { deepReplace } from './render-app';
import { mergeFill } from './merge-values';
import { AppSetInvalid, MAX_PARAM_SETS, NotEvaluable } from './limits';

/** The fields of ApplicationSetGenerator that are generators, in struct order (GetRelevantGenerators
 * reads every non-nil field but Selector). */
export const GENERATORS = [
  'list',
  'clusters',
  'git',
  'scmProvider',
  'clusterDecisionResource',
  'pullRequest',
  'matrix',
  'merge',
  'plugin',
] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/** Why a generator needs more than the repository. */
export const NEEDS_CLUSTER: Partial<Record<GeneratorName, string>> = {
  clusters: 'reads the clusters registered in Argo CD (cluster Secrets), which only the live install knows',
  scmProvider: "lists repositories through an SCM provider's API",
  pullRequest: "lists pull requests through an SCM provider's API",
  clusterDecisionResource: 'reads a custom resource (duck type) in the live cluster',
  plugin: 'calls a generator plugin service over HTTP',
};

/** Nesting levels: a top-level generator may hold matrix/merge, whose children may hold one more level;
 * the children of that level are ApplicationSetTerminalGenerator, which has no matrix or merge field
 * (a matrix there is dropped when the ApplicationSet is read). */
export type Level = 'top' | 'nested' | 'terminal';

/** The generator names present in one entry, as Argo CD reads its typed struct. */
export function presentGenerators(g: JsonObject, level: Level): GeneratorName[] {
  return GENERATORS.filter(
    (k) => g[k] !== undefined && g[k] !== null && !(level === 'terminal' && (k === 'matrix' || k === 'merge')),
  );
}

export interface TransformResult {
  generator: GeneratorName;
  params: Params[];
  template: JsonObject;
}

/** generateParams for one generator type. */
function generateParams(name: GeneratorName, gen: JsonObject, ctx: EvalCtx, level: Level): Params[] {
  const body = isPlainObject(gen[name]) ? gen[name] : {};
  switch (name) {
    case 'list':
      return listParams(body, ctx);
    case 'git':
      return gitParams(body, ctx);
    case 'matrix':
      return matrixParams(body, ctx, level, transform);
    case 'merge':
      return mergeParams(body, ctx, level, transform);
    default:
      throw new NotEvaluable(`${name} generator ${NEEDS_CLUSTER[name]}`, name);
  }
}

/** RenderGeneratorParams: every string of the generator rendered with the first matrix child's
 * parameters. With goTemplate, `values` maps are pre-resolved with missingkey=error, and a value whose
 * key is missing is kept as written for the generator itself to resolve. */
function interpolate(gen: JsonObject, params: Params, ctx: EvalCtx): JsonObject {
  const replace = (s: string) => ctx.replace(s, params);
  const out = deepReplace(gen, replace) as JsonObject;
  if (!ctx.goTemplate) return out;
  const options = [...ctx.options.filter((o) => !o.startsWith('missingkey=')), 'missingkey=error'];
  // filteredGeneratorTypes: the generator types with a Values map[string]string field.
  for (const k of ['clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin']) {
    const g = gen[k];
    if (!isPlainObject(g) || !isPlainObject(g.values)) continue;
    const values: JsonObject = {};
    for (const [vk, v] of Object.entries(g.values)) {
      if (typeof v !== 'string') continue;
      try {
        values[vk] = ctx.replace(v, params, options);
      } catch (e) {
        // isMissingKeyError: "map has no entry for key" / "can't evaluate field"
        if (e instanceof AppSetInvalid && /map has no entry for key|can't evaluate field/.test(e.message))
          values[vk] = v;
        else throw e;
      }
    }
    (out[k] as JsonObject).values = values;
  }
  return out;
}

/** Transform: for each generator type in the entry, its template (the generator's own merged over the
 * ApplicationSet's) and its parameter sets, kept when the entry's selector matches them. */
export function transform(
  requested: JsonObject,
  baseTemplate: JsonObject,
  ctx: EvalCtx,
  genParams: Params,
  level: Level,
): TransformResult[] {
  // LabelSelectorAsSelector fails first, before any generator runs.
  const rawSelector = requested.selector;
  const selector = rawSelector === undefined || rawSelector === null ? undefined : parseSelector(rawSelector);
  if (selector && 'invalid' in selector) throw new AppSetInvalid(`error parsing label selector: ${selector.invalid}`);
  const res: TransformResult[] = [];
  for (const name of presentGenerators(requested, level)) {
    const own = isPlainObject(requested[name]) ? (requested[name] as JsonObject).template : undefined;
    const template = mergeFill(isPlainObject(own) ? own : {}, baseTemplate) as JsonObject;
    const gen = Object.keys(genParams).length ? interpolate(requested, genParams, ctx) : requested;
    const params = generateParams(name, gen, ctx, level);
    if (params.length > MAX_PARAM_SETS)
      throw new NotEvaluable(`${name} generator yields more than ${MAX_PARAM_SETS} parameter sets`, name);
    const kept = selector
      ? params.filter((p) => selectorMatches(selector, flattenForSelector(p)).kind === 'match')
      : params;
    res.push({ generator: name, params: kept, template });
  }
  return res;
}
