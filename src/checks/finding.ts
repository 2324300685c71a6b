import { formatSource, type SourceRef } from '../model/object';

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

/** One line per finding: severity[rule] object (file:line, ...): message. Fix: ... (runbook) */
export function formatFinding(f: Finding): string {
  const where = f.sources.length ? ` (${f.sources.map(formatSource).join(', ')})` : '';
  const obj = f.object ? ` ${f.object}` : '';
  return `${f.severity}[${f.rule}]${obj}${where}: ${f.message}. Fix: ${f.fix} (runbook: docs/rules/${f.rule}.md)`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
