import { formatSource } from '../model/object';
import type { Finding } from '../model/finding';

// The shape lives in the model, so stages below the checks (lock's witness) can build findings.
export type { Finding, Severity } from '../model/finding';

/** One line per finding: severity[rule] object (file:line, ...): message. Fix: ... (runbook) */
export function formatFinding(f: Finding): string {
  const where = f.sources.length ? ` (${f.sources.map(formatSource).join(', ')})` : '';
  const obj = f.object ? ` ${f.object}` : '';
  return `${f.severity}[${f.rule}]${obj}${where}: ${f.message}. Fix: ${f.fix} (runbook: docs/rules/${f.rule}.md)`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
