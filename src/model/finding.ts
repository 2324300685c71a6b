// What every stage reports: a rule's verdict on the render, an object, or a lock. Printed by
// src/checks/finding.ts; declared here so a stage below the checks (lock/witness.ts) can build one.
import type { SourceRef } from './object';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  /** `group/Kind namespace/name`, when the finding is about one object. */
  object?: string;
  sources: SourceRef[];
  /** What is wrong or what changed. */
  message: string;
  /** How to fix or acknowledge it. */
  fix: string;
}
