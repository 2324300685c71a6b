// The CI report's output formats (issue 11, "Reports people and tools read"): every writer is a pure
// function of the CiReport (plus the rule catalog), one file per format. docs/development/ci-reports.md
// explains each format and the choices the issue leaves open.
import type { CiReport } from '../report-model';
import { githubReport } from './github';
import { jsonReport } from './json';
import { junitReport } from './junit';
import { markdownReport } from './markdown';
import { sarifReport } from './sarif';
import { summaryReport } from './summary';

export const REPORT_FORMATS = ['json', 'sarif', 'junit', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** An absolute URI the runbook path `docs/rules/<rule>.md` is appended to in SARIF's `helpUri` and the
   * Markdown links, e.g. `https://github.com/ORG/safe-render/blob/<rev>/`. Without one (or when it is
   * not an absolute URI) the reports name the runbook by its repository path. */
  runbookBase?: string;
  /** The Markdown report's size limit in UTF-8 bytes (default MARKDOWN_MAX_BYTES, under GitHub's 65,536
   * characters per comment). */
  markdownMaxBytes?: number;
}

/** The report in `format`, newline-terminated. */
export function writeReport(format: ReportFormat, report: CiReport, opts: ReportOptions = {}): string {
  switch (format) {
    case 'json':
      return jsonReport(report);
    case 'sarif':
      return sarifReport(report, { runbookBase: opts.runbookBase });
    case 'junit':
      return junitReport(report);
    case 'markdown':
      return markdownReport(report, { runbookBase: opts.runbookBase, maxBytes: opts.markdownMaxBytes });
    case 'github':
      return githubReport(report);
  }
}

/** The terminal summary: one row per app (app, engine, objects, verdict, findings), refused apps first. */
export function terminalSummary(report: CiReport): string {
  return summaryReport(report);
}
