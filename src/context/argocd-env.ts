// Reading Argo CD's build environment (argocd-cmp-contract.md §3b). Pure: takes the environment as a
// record, so tests and the `render` command can build the same context without touching process.env.
import { UsageError } from '../util/errors';
import type { PluginParameter } from './app-context';

export function splitList(v: string | undefined): string[] {
  return v ? v.split(',').filter((s) => s !== '') : [];
}

export function envVarsOf(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('ARGOCD_ENV_') && v !== undefined) out[k.slice('ARGOCD_ENV_'.length)] = v;
  }
  return out;
}

/** ARGOCD_APP_PARAMETERS is the JSON Argo CD marshals from spec.source.plugin.parameters; `null`
 * when the plugin section has none. Anything else malformed is refused, never guessed. */
export function parseParametersJson(raw: string | undefined): PluginParameter[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'null') return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`ARGOCD_APP_PARAMETERS is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError('ARGOCD_APP_PARAMETERS must be a JSON array of parameters');
  return data.map((p, i) => {
    const where = `ARGOCD_APP_PARAMETERS[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new UsageError(`${where} is not an object`);
    const { name, string, array, map } = p as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new UsageError(`${where} has no name`);
    const out: PluginParameter = { name };
    if (string !== undefined) {
      if (typeof string !== 'string') throw new UsageError(`parameter ${name}: "string" must be a string`);
      out.string = string;
    }
    if (array !== undefined) {
      if (!Array.isArray(array) || array.some((s) => typeof s !== 'string')) throw new UsageError(`parameter ${name}: "array" must be a list of strings`);
      out.array = array as string[];
    }
    if (map !== undefined) {
      if (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((s) => typeof s !== 'string')) {
        throw new UsageError(`parameter ${name}: "map" must be an object of strings`);
      }
      out.map = map as Record<string, string>;
    }
    return out;
  });
}

/** The PARAM_ name Argo CD derives from a parameter name: upper case, [^A-Z0-9_] -> _. */
export function paramEnvName(name: string): string {
  return `PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/** The same environment Argo CD would set for these parameters (used to show equivalence in tests
 * and by the harness); last one wins on collisions, as in Argo CD. */
export function paramEnv(params: readonly PluginParameter[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const base = paramEnvName(p.name);
    if (p.string !== undefined) out[base] = p.string;
    p.array?.forEach((v, i) => (out[`${base}_${i}`] = v));
    for (const [k, v] of Object.entries(p.map ?? {})) out[`${base}_${k.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] = v;
  }
  return out;
}

/** Argo CD's JSON for parameters: keys in alphabetical order (array, map, name, string). */
export function parametersJson(params: readonly PluginParameter[]): string {
  if (params.length === 0) return 'null';
  return JSON.stringify(params.map((p) => {
    const o: Record<string, unknown> = {};
    if (p.array !== undefined) o.array = p.array;
    if (p.map !== undefined) o.map = Object.fromEntries(Object.entries(p.map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    o.name = p.name;
    if (p.string !== undefined) o.string = p.string;
    return o;
  }));
}
