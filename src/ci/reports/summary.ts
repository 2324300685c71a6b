// The terminal summary (issue 11): one row per app (app, engine, objects, verdict, findings), refused
// and failed apps first, then passed, then skipped with the reason; the one-line total; then every
// finding as the sidecar prints it on stderr, prefixed with its app, and the repository's findings.
import { flatLine } from '../../report/format';
import type { CiApp, CiReport } from '../report-model';
import { appsInOrder, findingLine, findingsInOrder, severityCounts, totalLine, truncate } from './common';

export { truncate };

/** Widest a column grows; a longer cell is cut with `…`. The app column is widest: ids are
 * `namespace/name` and Kubernetes names reach 253 characters. */
const MAX_WIDTH = { app: 48, engine: 12, findings: 72 } as const;

function width(s: string): number {
  return [...s].length;
}

function findingsCell(app: CiApp): string {
  if (app.verdict === 'skipped') return app.skipped ?? '';
  if (!app.findings.length) return '-';
  const rules = [...new Set(findingsInOrder(app.findings).map((f) => f.rule))].join(', ');
  return `${severityCounts(app.findings)}: ${rules}`;
}

export function summaryReport(r: CiReport): string {
  const header = ['APP', 'ENGINE', 'OBJECTS', 'VERDICT', 'FINDINGS'];
  const rows = appsInOrder(r).map((a) => [
    truncate(a.id, MAX_WIDTH.app),
    truncate(a.engine ?? '-', MAX_WIDTH.engine),
    a.verdict === 'skipped' ? '-' : String(a.objects.length),
    a.verdict,
    truncate(findingsCell(a), MAX_WIDTH.findings),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return i === 2 ? c.padStart(w) : i === cells.length - 1 ? c : c + ' '.repeat(w - width(c));
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (rows.length) out.push(line(header), ...rows.map(line), '');
  out.push(totalLine(r));
  const appFindings = appsInOrder(r).flatMap((a) => findingsInOrder(a.findings).map((f) => findingLine(f, a)));
  if (appFindings.length) out.push('', ...appFindings);
  if (r.findings.length) out.push('', ...findingsInOrder(r.findings).map((f) => findingLine(f)));
  if (r.notEvaluated.length) {
    out.push(
      '',
      ...r.notEvaluated.map((n) =>
        flatLine(
          `not evaluated: ApplicationSet ${n.appSet} (${n.definedIn.file}:${n.definedIn.line}) generator ${n.generator}: ${n.why}`,
        ),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
