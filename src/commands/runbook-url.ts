// Where runbook links point (issue 14): ci's --runbook-url, else SAFE_RENDER_RUNBOOK_URL (the sidecar's
// container environment or a laptop's shell), else the platform policy's runbookUrl; without any of
// them, the relative path docs/rules/<id>.md as before.
import type { Env } from '../pipeline/env';
import { UsageError } from '../util/errors';
import { httpBase } from '../util/http-url';

export const RUNBOOK_URL_ENV = 'SAFE_RENDER_RUNBOOK_URL';

/** A named base must be an absolute http(s) URL: SARIF's helpUri (format uri) and markdown links need
 * one, and a link in Argo CD's UI must open. */
export function checkedRunbookBase(v: string, from: string): string {
  const base = httpBase(v);
  if (!base) throw new UsageError(`${from} takes an absolute http(s) URL, not "${v.slice(0, 80)}"`);
  return base;
}

/** The base in force: the flag, else the environment, else the policy's (checked when it was read). */
export function runbookBaseFor(flag: string | undefined, env: Env, policyBase?: string): string | undefined {
  if (flag !== undefined) return checkedRunbookBase(flag, '--runbook-url');
  const fromEnv = env[RUNBOOK_URL_ENV];
  if (fromEnv) return checkedRunbookBase(fromEnv, RUNBOOK_URL_ENV);
  return policyBase;
}
