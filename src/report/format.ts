// The one formatter of what safe-render reports on stderr (issue 10): every finding and every render
// failure is one line `severity[rule] object (file:line, ...): message. Fix: fix (runbook: docs/rules/<rule>.md)`,
// the format docs/rules/README.md explains and Argo CD shows in the app's condition.
import type { Finding } from '../model/finding';
import { formatSource } from '../model/object';
import type { RenderFailure } from '../util/errors';
import { runbookPath, type RuleId } from '../model/rule-catalog';

/** One line per finding: severity[rule] object (file:line, ...): message. Fix: ... (runbook). A finding
 * with an empty fix (a render failure that has none) prints no "Fix:". Control characters are
 * flattened, so a finding is always one line whatever an identity, a file name or a message carries. */
export function formatFinding(f: Finding, runbookBase?: string): string {
  const fix = f.fix ? ` Fix: ${f.fix}` : '';
  return flatLine(`${findingHead(f)}.${fix} (runbook: ${runbookLink(f.rule, runbookBase)})`);
}

/** The head of a finding line, which scripts parse: `severity[rule] object (file:line, ...): message`
 * (no period, no fix), on one line. */
export function findingHead(f: Finding): string {
  const where = f.sources.length ? ` (${f.sources.map(formatSource).join(', ')})` : '';
  const obj = f.object ? ` ${f.object}` : '';
  return flatLine(`${f.severity}[${f.rule}]${obj}${where}: ${f.message}`);
}

/** The runbook of `rule`: `docs/rules/<id>.md`, behind `base` when one is configured (issue 14: ci's
 * --runbook-url, SAFE_RENDER_RUNBOOK_URL or the policy's runbookUrl), so Argo CD's UI and a CI log show
 * a link. `base` is an absolute http(s) URL ending in "/" (commands/runbook-url.ts checks it). */
export function runbookLink(rule: RuleId, base?: string): string {
  return `${base ?? ''}${runbookPath(rule)}`;
}

/** A render failure as the finding it is reported as: rule render-failed, the place (a file and line,
 * or a tool) in the object's position. */
export function renderFailedFinding(e: Pick<RenderFailure, 'message' | 'where' | 'fix'>): Finding {
  return {
    rule: 'render-failed',
    severity: 'error',
    ...(e.where ? { object: e.where } : {}),
    sources: [],
    message: e.message,
    fix: e.fix ?? '',
  };
}

/** `s` on one line: line breaks and other control characters (a kind or a file name can hold them)
 * become a space, so one error or finding is always one line of stderr. */
export function flatLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
