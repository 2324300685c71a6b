// What every CI report format shares (issue 11, "Reports people and tools read"): the order apps are
// shown in (refusals first), where a finding is located, the counts of the verdict line, and the one
// finding line, which is the sidecar's stderr line (report/format.ts) prefixed with the app it is about.
import type { Finding } from '../../model/finding';
import type { SourceRef } from '../../model/object';
import { flatLine, formatFinding } from '../../report/format';
import type { AppVerdict, CiApp, CiReport } from '../report-model';

/** Refused apps first, then apps whose render failed, then passed, then skipped: the order people read. */
export const VERDICT_RANK: Record<AppVerdict, number> = { refused: 0, failed: 1, passed: 2, skipped: 3 };

/** The report's apps in the order every format shows them: by verdict rank, then by id. */
export function appsInOrder(r: CiReport): CiApp[] {
  return [...r.apps].sort(
    (a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Errors before warnings, keeping the report's order otherwise. */
export function findingsInOrder(fs: readonly Finding[]): Finding[] {
  return [...fs].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** Where a finding is shown: its own sources, or, when it has none (an empty render, a render failure,
 * a missing lock), the Application that defines the app, so that an annotation still lands on a line
 * the pull request can change. Repository findings without sources have no place. */
export function placesOf(f: Finding, app?: CiApp): SourceRef[] {
  if (f.sources.length) return f.sources;
  return app ? [app.definedIn] : [];
}

/** The finding as the sidecar prints it on stderr, prefixed by the app (and where it is defined) or
 * `repository` for a cross-app finding: rule id, app, object, file and line, and the fix on one line. */
export function findingLine(f: Finding, app?: CiApp): string {
  const who = app ? `${app.id} (${app.definedIn.file}:${app.definedIn.line})` : 'repository';
  return flatLine(`${who}: ${formatFinding(f)}`);
}

/** `s` in at most `max` code points, its end replaced by `…` when cut. Control characters (a terminal
 * escape sequence in a hostile app name) are flattened first. */
export function truncate(s: string, max: number): string {
  const cps = [...flatLine(s)];
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max - 1).join('')}…`;
}

/** `severity[rule] object: message`: a finding's first words, for a JUnit failure's message. */
export function findingHead(f: Finding): string {
  return flatLine(`${f.severity}[${f.rule}]${f.object ? ` ${f.object}` : ''}: ${f.message}`);
}

export interface Counts {
  apps: number;
  passed: number;
  refused: number;
  failed: number;
  skipped: number;
  notEvaluated: number;
  errors: number;
  warnings: number;
  repoFindings: number;
}

export function countsOf(r: CiReport): Counts {
  const c: Counts = {
    apps: r.apps.length,
    passed: 0,
    refused: 0,
    failed: 0,
    skipped: 0,
    notEvaluated: r.notEvaluated.length,
    errors: 0,
    warnings: 0,
    repoFindings: r.findings.length,
  };
  for (const a of r.apps) {
    c[a.verdict]++;
    for (const f of a.findings) c[f.severity === 'error' ? 'errors' : 'warnings']++;
  }
  for (const f of r.findings) c[f.severity === 'error' ? 'errors' : 'warnings']++;
  return c;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 errors, 1 warning`: a list of findings counted by severity, empty when there are none. */
export function severityCounts(fs: readonly Finding[]): string {
  const errors = fs.filter((f) => f.severity === 'error').length;
  const warnings = fs.length - errors;
  return [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
}

/** `12 apps: 10 passed, 1 refused, 1 failed, 3 skipped; 4 generators not evaluated; 2 repository
 * findings (shard 1/3)`: the one-line total of the terminal summary, the markdown and the annotations. */
export function totalLine(r: CiReport): string {
  const c = countsOf(r);
  let s = `${plural(c.apps, 'app')}: ${c.passed} passed, ${c.refused} refused, ${c.failed} failed, ${c.skipped} skipped`;
  if (c.notEvaluated) s += `; ${plural(c.notEvaluated, 'generator')} not evaluated`;
  if (c.repoFindings) s += `; ${plural(c.repoFindings, 'repository finding')}`;
  if (r.shard) s += ` (shard ${r.shard.index}/${r.shard.count})`;
  return s;
}

/** The run's verdict as ci's exit code says it. */
export function verdictWord(r: CiReport): 'passed' | 'failed' {
  return r.exitCode === 0 ? 'passed' : 'failed';
}

/** Seconds with millisecond precision, as JUnit's `time` attributes want them. */
export function seconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);
}

/** `base` as a prefix `docs/rules/<id>.md` can be appended to, when it is an absolute URI (SARIF's
 * `helpUri` has format `uri`, absolute: SARIF 2.1.0 §3.49.12, and the JSON schema checks it); else
 * undefined, and the runbook is named by its repository path. Characters that would end a Markdown
 * link destination are percent-encoded. */
export function absoluteBase(base: string | undefined): string | undefined {
  if (!base || !/^[a-z][a-z0-9+.-]*:/i.test(base) || !URL.canParse(base)) return undefined;
  const b = base.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return b.endsWith('/') ? b : `${b}/`;
}
