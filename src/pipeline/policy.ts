// Loading the platform policy for one app, from the caller's environment and working folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_POLICY_PATH, parsePolicy, policyFor, POLICY_ENV, type AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import { UsageError } from '../util/errors';
import type { Env } from './env';

/** The platform policy for this app, or undefined when none is installed. An explicitly named policy
 * (`policyFile`, i.e. render --policy, or SAFE_RENDER_POLICY in `env`) must exist; only the default
 * path may be absent. A relative name is relative to `cwd`, the caller's working folder. */
export function loadPolicy(
  app: Pick<AppContext, 'appName' | 'project'>,
  env: Env,
  cwd: string,
  policyFile?: string,
): AppliedPolicy | undefined {
  const named = policyFile ?? env[POLICY_ENV];
  const file = named || DEFAULT_POLICY_PATH;
  const abs = resolve(cwd, file);
  const by = policyFile ? '--policy' : POLICY_ENV;
  if (!existsSync(abs)) {
    if (!named) return undefined;
    // Issue 14: the sidecar mounts the policy ConfigMap with `optional: true`, so a deleted ConfigMap
    // no longer holds the whole repo-server pod in ContainerCreating (every app of every kind stopped);
    // the mount is an empty folder instead, and SAFE_RENDER_POLICY tells us a policy was meant to be
    // there. Refusing here stops only the apps that use safe-render, and says how to get them back.
    const restore = policyFile
      ? 'check the path'
      : `restore the ConfigMap mounted at ${dirname(file)} (in the documented install: safe-render-policy, key policy.yaml; docs/installation.md), then hard-refresh the app`;
    throw new UsageError(
      `the platform policy ${file} does not exist (named by ${by}); refusing to render without it: ${restore}`,
    );
  }
  // A folder (a ConfigMap mounted where the file was expected) or a fifo is the operator's mistake:
  // say so instead of failing with EISDIR, or hanging on a read that never ends.
  if (!statSync(abs).isFile())
    throw new UsageError(`the platform policy ${file}${named ? ` (named by ${by})` : ''} is not a regular file`);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the platform policy ${file}: ${(e as Error).message}`);
  }
  return policyFor(parsePolicy({ file, text }), app.appName, app.project);
}
