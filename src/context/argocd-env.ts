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
      if (!Array.isArray(array) || array.some((s) => typeof s !== 'string'))
        throw new UsageError(`parameter ${name}: "array" must be a list of strings`);
      out.array = array as string[];
    }
    if (map !== undefined) {
      if (
        map === null ||
        typeof map !== 'object' ||
        Array.isArray(map) ||
        Object.values(map).some((s) => typeof s !== 'string')
      ) {
        throw new UsageError(`parameter ${name}: "map" must be an object of strings`);
      }
      out.map = map as Record<string, string>;
    }
    return out;
  });
}

/** Argo CD's `escaped` (strings.ToUpper, then [^A-Z0-9_] -> _), per code point as Go does it: Go's
 * ToUpper leaves ß alone (JavaScript makes it SS) and only ı and ſ map into ASCII; a character
 * outside the BMP is one `_`, not two. */
function escapeParamPart(s: string): string {
  let out = '';
  for (const ch of s) {
    const upper = ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch === '\u0131' ? 'I' : ch === '\u017f' ? 'S' : ch;
    out += /^[A-Z0-9_]$/.test(upper) ? upper : '_';
  }
  return out;
}

/** The PARAM_ name Argo CD derives from a parameter name. */
export function paramEnvName(name: string): string {
  return `PARAM_${escapeParamPart(name)}`;
}

/** Go's string order (UTF-8 bytes, i.e. code points), not JavaScript's UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The same environment Argo CD would set for these parameters (Environ in Argo CD's types.go):
 * per parameter its string, then its map entries (Go's order is random; sorted here), then its
 * array items, so on a collision the later one wins, as in Argo CD. */
export function paramEnv(params: readonly PluginParameter[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const base = paramEnvName(p.name);
    if (p.string !== undefined) out[base] = p.string;
    for (const k of Object.keys(p.map ?? {}).sort(compareCodePoints)) out[`${base}_${escapeParamPart(k)}`] = p.map![k]!;
    p.array?.forEach((v, i) => (out[`${base}_${i}`] = v));
  }
  return out;
}

/** A string as encoding/json writes it: <, >, &, U+2028 and U+2029 escaped. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Argo CD's JSON for parameters, byte for byte: keys in alphabetical order (array, map, name,
 * string), map keys in Go order, HTML characters escaped; `null` when there are none. */
export function parametersJson(params: readonly PluginParameter[]): string {
  if (params.length === 0) return 'null';
  return `[${params
    .map((p) => {
      const parts: string[] = [];
      if (p.array !== undefined) parts.push(`"array":[${p.array.map(goJsonString).join(',')}]`);
      if (p.map !== undefined) {
        parts.push(
          `"map":{${Object.keys(p.map)
            .sort(compareCodePoints)
            .map((k) => `${goJsonString(k)}:${goJsonString(p.map![k]!)}`)
            .join(',')}}`,
        );
      }
      parts.push(`"name":${goJsonString(p.name)}`);
      if (p.string !== undefined) parts.push(`"string":${goJsonString(p.string)}`);
      return `{${parts.join(',')}}`;
    })
    .join(',')}]`;
}
