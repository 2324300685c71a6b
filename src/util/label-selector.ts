// A generator's `selector`, as Argo CD's ApplicationSet controller applies it to the parameter sets a
// generator yields (applicationset/generators/generator_spec_processor.go `Transform`, with its own copy
// of LabelSelectorAsSelector in applicationset/utils/selector.go; contract §10). Sets that do not match
// are dropped silently, so a selector that matches no element empties the generator.
//
// Semantics kept from that source: keys are validated as Kubernetes qualified names, values are NOT
// validated (Argo CD removed that check so cluster URLs can be matched); `{}` matches everything;
// In/NotIn need values, Exists/DoesNotExist must have none; any other operator is an error. An error
// makes the generator fail, which stops the reconcile: we report it as `invalid`, never as a match.
// The labels are the parameter set flattened with dots (`values.region`, `list.0`), every leaf printed
// with Go's `%v`. We only print strings and booleans; a leaf of another type that a requirement reads
// makes the answer `unknown` rather than a guess at Go's float formatting.

export type SelectorVerdict = { kind: 'match' } | { kind: 'no-match' } | { kind: 'unknown'; why: string };

interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export type Selector = { requirements: Requirement[] } | { invalid: string };

const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName: `[prefix/]name`, name at most 63 characters, prefix a DNS-1123 subdomain of at most 253. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return false;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return true;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** LabelSelectorAsSelector over the selector as written in the manifest (JSON). */
export function parseSelector(raw: unknown): Selector {
  if (!isObj(raw)) return { invalid: 'selector is not a mapping' };
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = raw;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObj(matchLabels)) return { invalid: 'matchLabels is not a mapping' };
    for (const [key, value] of Object.entries(matchLabels)) {
      if (!isQualifiedName(key)) return { invalid: `label key ${JSON.stringify(key)} is not a qualified name` };
      if (typeof value !== 'string') return { invalid: `matchLabels.${key} is not a string` };
      requirements.push({ key, op: 'In', values: [value] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return { invalid: 'matchExpressions is not a list' };
    for (const e of matchExpressions) {
      if (!isObj(e)) return { invalid: 'a matchExpressions entry is not a mapping' };
      const key = typeof e.key === 'string' ? e.key : '';
      const op = e.operator;
      const values = e.values === undefined || e.values === null ? [] : e.values;
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
        return { invalid: `values of ${JSON.stringify(key)} are not strings` };
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist')
        return { invalid: `${JSON.stringify(op)} is not a valid selector operator` };
      if (!isQualifiedName(key)) return { invalid: `label key ${JSON.stringify(key)} is not a qualified name` };
      if ((op === 'In' || op === 'NotIn') && values.length === 0)
        return { invalid: `${op} on ${JSON.stringify(key)} needs values` };
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length !== 0)
        return { invalid: `${op} on ${JSON.stringify(key)} takes no values` };
      requirements.push({ key, op, values: values as string[] });
    }
  }
  return { requirements };
}

/** flatten.Flatten(params, "", DotStyle): nested maps and lists become dotted keys; empty ones vanish. */
export function flattenParams(params: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  const entries: [string, unknown][] = Array.isArray(params)
    ? params.map((v, i) => [String(i), v])
    : isObj(params)
      ? Object.entries(params)
      : [];
  for (const [k, v] of entries) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) || isObj(v)) flattenParams(v, key, out);
    else out.set(key, v);
  }
  return out;
}

/** Whether the selector keeps this parameter set (Requirement.Matches for every requirement). */
export function selectorMatches(sel: { requirements: Requirement[] }, params: unknown): SelectorVerdict {
  const labels = flattenParams(params);
  let unknown: SelectorVerdict | undefined;
  for (const r of sel.requirements) {
    const has = labels.has(r.key);
    const raw = labels.get(r.key);
    if (has && typeof raw !== 'string' && typeof raw !== 'boolean' && (r.op === 'In' || r.op === 'NotIn')) {
      // A definite mismatch of another requirement still drops the set; otherwise we cannot tell.
      unknown ??= { kind: 'unknown', why: `the selector compares ${JSON.stringify(r.key)}, which is not a string` };
      continue;
    }
    const value = has ? String(raw) : undefined;
    let ok: boolean;
    switch (r.op) {
      case 'In':
        ok = has && r.values.includes(value!);
        break;
      case 'NotIn':
        ok = !has || !r.values.includes(value!);
        break;
      case 'Exists':
        ok = has;
        break;
      case 'DoesNotExist':
        ok = !has;
        break;
    }
    if (!ok) return { kind: 'no-match' };
  }
  return unknown ?? { kind: 'match' };
}
