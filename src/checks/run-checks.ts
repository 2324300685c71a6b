// Stage "check": documents in, the objects to emit and every finding out. Pure.
import type { AppConfig } from '../config/app-config';
import type { AppContext } from '../context/app-context';
import type { ManifestObject, ParsedDoc } from '../model/object';
import { hasErrors, type Finding } from './finding';
import { resolveObjects } from './resolve';
import { checkDocs } from './rules/invalid-object';
import { dropIdenticalCopies } from './rules/duplicate-object';
import { OBJECT_RULES } from './rules/index';

export interface CheckResult {
  /** What to emit: valid objects in render order, identical duplicates merged. */
  objects: ManifestObject[];
  findings: Finding[];
}

export function runChecks(docs: readonly ParsedDoc[], app: AppContext, config: AppConfig): CheckResult {
  const { valid, findings } = checkDocs(docs);
  const objects = resolveObjects(valid, app.namespace, config);
  const input = { app, config, objects };
  for (const rule of OBJECT_RULES) findings.push(...rule.check(input));
  return { objects: hasErrors(findings) ? objects : dropIdenticalCopies(objects), findings };
}
