// The CI report's output formats (issue 11). STUB: the reports helper implements them; every writer
// is a pure function of the CiReport.
import type { CiReport } from '../report-model';

export const REPORT_FORMATS = ['json', 'sarif', 'junit', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** Prefix of runbook links: `<base><rule>.md`. */
  runbookBase?: string;
}

export function writeReport(format: ReportFormat, report: CiReport, opts: ReportOptions = {}): string {
  void opts;
  return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : '';
}

/** The terminal summary: one row per app (app, engine, objects, verdict, findings), refused apps first. */
export function terminalSummary(report: CiReport): string {
  void report;
  return '';
}
