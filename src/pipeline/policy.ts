// Loading the platform policy for one app, from the caller's environment and working folder.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  if (!existsSync(abs)) {
    if (named)
      throw new UsageError(
        `the platform policy ${file} does not exist (named by ${policyFile ? '--policy' : POLICY_ENV}); refusing to render without it`,
      );
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the platform policy ${file}: ${(e as Error).message}`);
  }
  return policyFor(parsePolicy({ file, text }), app.appName, app.project);
}
