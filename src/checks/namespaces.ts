import { globMatcher } from '../util/glob';
import type { CheckEnv } from './rule';

const nsMatch = globMatcher({ nocomment: true });
const matches = (ns: string, globs: readonly string[]) => globs.some((g) => nsMatch(ns, g));

/** The app may write its destination namespace and the namespaces its config allows (globs), and
 * only those the platform policy allows, if it sets a ceiling. */
export function namespaceAllowed(
  ns: string,
  { app, config, policy }: Pick<CheckEnv, 'app' | 'config' | 'policy'>,
): boolean {
  if (ns === '') return false;
  if (ns !== app.namespace && !matches(ns, config.namespaces)) return false;
  const ceiling = policy?.limits.namespaces;
  return ceiling === undefined || matches(ns, ceiling);
}

export function allowedNamespacesText({ app, config, policy }: Pick<CheckEnv, 'app' | 'config' | 'policy'>): string {
  const all = [...(app.namespace ? [app.namespace] : []), ...config.namespaces];
  const own = all.length ? all.map((n) => `"${n}"`).join(', ') : 'none (the app has no destination namespace)';
  const ceiling = policy?.limits.namespaces;
  return ceiling === undefined
    ? own
    : `${own}, within the platform policy's ${ceiling.map((n) => `"${n}"`).join(', ') || 'none'} (${policy!.file} ${policy!.entry})`;
}
