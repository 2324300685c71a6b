// What every stage reports: a rule's verdict on the render, an object, or a lock. Printed by
// src/report/format.ts; declared here so a stage below the checks (lock/witness.ts) can build one.
import type { SourceRef } from './object';
import type { RuleId } from './rule-catalog';

export type Severity = 'error' | 'warning';

export interface Finding {
  /** An id of the rule catalog (model/rule-catalog.ts). */
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
