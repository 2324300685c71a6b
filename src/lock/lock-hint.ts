import type { AppContext } from '../context/app-context';

/** The exact command that rewrites this app's lock, for fix messages. */
export function lockCommand(app: AppContext, accept: readonly string[] = []): string {
  const parts = ['safe-render lock', app.sourcePath || '.', '--app', app.appName];
  if (app.namespace) parts.push('--namespace', app.namespace);
  if (app.repoURL) parts.push('--repo-url', app.repoURL);
  for (const a of accept) parts.push('--accept', a);
  return `\`${parts.join(' ')}\` from the repository root`;
}
