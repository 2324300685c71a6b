import { globMatcher } from '../util/glob';
import type { CheckInput } from './rule';

const nsMatch = globMatcher({ nocomment: true });

/** The app may write its destination namespace and the namespaces its config allows (globs). */
export function namespaceAllowed(ns: string, { app, config }: Pick<CheckInput, 'app' | 'config'>): boolean {
  if (ns === '') return false;
  if (ns === app.namespace) return true;
  return config.namespaces.some((g) => nsMatch(ns, g));
}

export function allowedNamespacesText({ app, config }: Pick<CheckInput, 'app' | 'config'>): string {
  const all = [...(app.namespace ? [app.namespace] : []), ...config.namespaces];
  return all.length ? all.map((n) => `"${n}"`).join(', ') : 'none (the app has no destination namespace)';
}
