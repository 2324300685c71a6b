// How a run ends: findings to stderr (one line each), manifests to stdout only when nothing refused.
import { formatFinding, hasErrors, type Finding } from '../checks/finding';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export function reportFindings(io: Io, findings: readonly Finding[]): void {
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const f of sorted) io.err(`${formatFinding(f)}\n`);
}

export function refusalSummary(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `safe-render: refused: ${errors} error${errors === 1 ? '' : 's'}; nothing was emitted\n`;
}

export { hasErrors };
