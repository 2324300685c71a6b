// The combining generators: argo-cd applicationset/generators/matrix.go MatrixGenerator.GenerateParams
// and getParams, merge.go MergeGenerator.GenerateParams and getParamSetsByMergeKey.
import { isPlainObject, type JsonObject } from '../model/object';
import type { EvalCtx, Params } from './context';
import { goSprint } from './go-value';
import { AppSetInvalid, MAX_PARAM_SETS, NotEvaluable } from './limits';
import { mergeOverride } from './merge-values';
import type { Level, TransformResult } from './transform';

type Transform = (
  requested: JsonObject,
  baseTemplate: JsonObject,
  ctx: EvalCtx,
  genParams: Params,
  level: Level,
) => TransformResult[];

const childLevel = (level: Level): Level => (level === 'top' ? 'nested' : 'terminal');

/** getParams: the child through Transform with an empty template; it must name exactly one generator. */
function childParams(child: unknown, ctx: EvalCtx, level: Level, params: Params, transform: Transform): Params[] {
  const t = transform(isPlainObject(child) ? child : {}, {}, ctx, params, childLevel(level));
  if (t.length === 0) throw new AppSetInvalid('child generator generated no parameters');
  if (t.length > 1) throw new AppSetInvalid('only one generator per nested generator is allowed');
  return t[0]!.params;
}

/** A child that needs a cluster makes the whole combination not evaluated, named after it. */
function named<T>(kind: 'matrix' | 'merge', fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NotEvaluable && e.generator !== kind)
      throw new NotEvaluable(`${kind} generator: its ${e.generator} child: ${e.why}`, kind);
    throw e;
  }
}

/** CombineStringMaps: both sets printed with %v; a key in both with different values is an error. */
function combineStringMaps(a: Params, b: Params): Params {
  const res: Params = {};
  for (const [k, v] of Object.entries(a)) res[k] = goSprint(v);
  for (const [k, v] of Object.entries(b)) {
    const s = goSprint(v);
    if (k in res && res[k] !== s)
      throw new AppSetInvalid(`found duplicate key ${k} with different value, a: ${res[k] as string} ,b: ${s}`);
    res[k] = s;
  }
  return res;
}

export function matrixParams(m: JsonObject, ctx: EvalCtx, level: Level, transform: Transform): Params[] {
  const gens = Array.isArray(m.generators) ? m.generators : [];
  if (gens.length < 2) throw new AppSetInvalid('found less than two generators, Matrix support only two');
  if (gens.length > 2) throw new AppSetInvalid('found more than two generators, Matrix support only two');
  return named('matrix', () => {
    const res: Params[] = [];
    for (const a of childParams(gens[0], ctx, level, {}, transform)) {
      // The second child is interpolated with each set of the first (InterpolateGenerator).
      for (const b of childParams(gens[1], ctx, level, a, transform)) {
        // goTemplate: b, then a over it (mergo WithOverride): the first child wins a conflict.
        res.push(ctx.goTemplate ? mergeOverride(mergeOverride({}, b), a) : combineStringMaps(a, b));
        if (res.length > MAX_PARAM_SETS)
          throw new NotEvaluable(`matrix generator yields more than ${MAX_PARAM_SETS} parameter sets`, 'matrix');
        ctx.budget.step();
      }
    }
    return res;
  });
}

/** A stable key of the merge keys' values (json.Marshal of map[string]any sorts keys; a missing key is null). */
function mergeKeyOf(keys: readonly string[], p: Params): string {
  return JSON.stringify([...keys].sort().map((k) => [k, p[k] === undefined ? null : canonical(p[k])]));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isPlainObject(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])]);
  return typeof v === 'bigint' ? Number(v) : v;
}

function byMergeKey(keys: readonly string[], sets: Params[]): Map<string, Params> {
  if (keys.length < 1) throw new AppSetInvalid('no merge keys were specified');
  const unique = [...new Set(keys)];
  const out = new Map<string, Params>();
  for (const p of sets) {
    const k = mergeKeyOf(unique, p);
    if (out.has(k)) throw new AppSetInvalid(`the parameters from a generator were not unique by the given mergeKeys`);
    out.set(k, p);
  }
  return out;
}

export function mergeParams(m: JsonObject, ctx: EvalCtx, level: Level, transform: Transform): Params[] {
  const gens = Array.isArray(m.generators) ? m.generators : [];
  if (gens.length < 2) throw new AppSetInvalid('found less than two generators, Merge requires two or more');
  const keys = Array.isArray(m.mergeKeys) ? m.mergeKeys.filter((k): k is string => typeof k === 'string') : [];
  return named('merge', () => {
    const sets = gens.map((g) => childParams(g, ctx, level, {}, transform));
    const base = byMergeKey(keys, sets[0]!);
    for (const other of sets.slice(1)) {
      const over = byMergeKey(keys, other);
      for (const [k, p] of base) {
        const o = over.get(k);
        // goTemplate: mergo WithOverride; default style: maps.Copy (the later generator wins).
        if (o) base.set(k, ctx.goTemplate ? mergeOverride(p, o) : { ...p, ...o });
      }
    }
    // Go returns them in map order; we keep the first generator's order.
    return [...base.values()];
  });
}
