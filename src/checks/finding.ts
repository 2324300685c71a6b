import type { Finding } from '../model/finding';

// The shape lives in the model, so stages below the checks (lock's witness) can build findings.
export type { Finding, Severity } from '../model/finding';

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
