import type { SourceRef } from '../model/object';
import type { RuleId } from '../report/catalog';

export type Severity = 'error' | 'warning';

export interface Finding {
  /** An id of the rule catalog (src/report/catalog.ts). */
  rule: RuleId;
  severity: Severity;
  /** `group/Kind namespace/name`, when the finding is about one object. */
  object?: string;
  sources: SourceRef[];
  /** What is wrong or what changed. */
  message: string;
  /** How to fix or acknowledge it; empty only for a render failure that has nothing to add. */
  fix: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
