// Stage "check": documents in, the objects to emit and every finding out. Pure.
import type { ManifestObject, ParsedDoc } from '../model/object';
import { hasErrors, type Finding } from './finding';
import { resolveObjects } from '../model/resolve';
import { scopeSources } from './scopes';
import { checkDocs } from './rules/invalid-object';
import { dropIdenticalCopies } from './rules/duplicate-object';
import { OBJECT_RULES } from './rules/index';
import type { CheckEnv } from './rule';
import { diffLock, type LockChange } from '../lock/diff';
import { snapshotRender, type GeneratedNames } from '../lock/snapshot';
import { generatedNamesOf } from './generated-apps';

export interface CheckResult {
  /** What to emit: valid objects in render order, identical duplicates merged. */
  objects: ManifestObject[];
  findings: Finding[];
  /** Kinds protected for this app besides the built-in ones: the app's and the policy's. */
  protectedKinds: string[];
  /** How the render differs from the app's lock (empty without a lock): `ci` counts the deletions. */
  lockChanges: readonly LockChange[];
  /** What each ApplicationSet of the render generates offline, by its ref (what the lock records). */
  generated: Map<string, GeneratedNames>;
}

export function runChecks(docs: readonly ParsedDoc[], env: CheckEnv): CheckResult {
  const { valid, findings } = checkDocs(docs);
  const objects = resolveObjects(valid, env.app.namespace, scopeSources(env.config, env.policy));
  const protectedKinds = [...env.config.protectedKinds, ...(env.policy?.limits.protectedKinds ?? [])];
  const lock = env.lockState.lock;
  const generated = generatedNamesOf(objects, env);
  const lockChanges = lock
    ? diffLock(lock, snapshotRender(objects, env.app, protectedKinds, lock.empty, generated))
    : [];
  const input = { ...env, objects, lockChanges, protectedKinds };
  for (const rule of OBJECT_RULES) findings.push(...rule.check(input));
  return {
    objects: hasErrors(findings) ? objects : dropIdenticalCopies(objects),
    findings,
    protectedKinds,
    lockChanges,
    generated,
  };
}
