// The labels a generator selector matches against: generator_spec_processor.go flattenParameters,
// flatten.Flatten(params, "", DotStyle) then fmt.Sprintf("%v") of every leaf.
import { isPlainObject } from '../model/object';
import type { Params } from './context';
import { goSprint } from './go-value';

export function flattenForSelector(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  const stack: [string, unknown][] = Object.entries(params).map(([k, v]) => [k, v]);
  while (stack.length) {
    const [key, v] = stack.pop()!;
    // jeremywohl/flatten recurses into map[string]any and []any; an empty one leaves no key.
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([`${key}.${i}`, x]));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) stack.push([`${key}.${k}`, x]);
    else out[key] = goSprint(v);
  }
  return out;
}
