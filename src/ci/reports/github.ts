// GitHub Actions workflow commands (issue 11): `::error file=F,line=L,title=RULE APP::message` for each
// error finding and `::warning` for each warning, so the pull request's "Files changed" view shows the
// finding on its line. Escaping is @actions/core's (toolkit packages/core/src/command.ts: escapeData,
// escapeProperty): a hostile app name or message cannot end the command or start another one.
import type { Finding } from '../../model/finding';
import { flatLine } from '../../report/format';
import type { CiApp, CiReport } from '../report-model';
import { appsInOrder, findingLine, findingsInOrder, placesOf, totalLine, verdictWord } from './common';

/** GitHub shows at most 10 annotations of each level per step (docs: "Workflow commands"); the rest
 * only appear in the log. */
export const GITHUB_SHOWN_PER_LEVEL = 10;

/** A warning beyond this many is not printed: GitHub would not show it as an annotation, and the
 * JSON/SARIF reports hold them all. Errors are all printed: each is a refusal and the log is where a
 * person looks once the 10 annotations are read. */
const MAX_WARNINGS = GITHUB_SHOWN_PER_LEVEL;

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: 'error' | 'warning' | 'notice', props: Record<string, string>, message: string): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${level}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

function annotation(f: Finding, app: CiApp | undefined): string {
  const place = placesOf(f, app)[0];
  const props: Record<string, string> = {};
  if (place) {
    props.file = place.file;
    props.line = String(Math.max(1, Math.trunc(place.line) || 1));
  }
  // The title is for people: one line whatever the app id holds (file is kept as is: it must match).
  props.title = flatLine(app ? `${f.rule} ${app.id}` : `${f.rule} repository`);
  return command(f.severity, props, findingLine(f, app));
}

export function githubReport(r: CiReport): string {
  const all: Array<[Finding, CiApp | undefined]> = [];
  for (const f of findingsInOrder(r.findings)) all.push([f, undefined]);
  for (const app of appsInOrder(r)) for (const f of findingsInOrder(app.findings)) all.push([f, app]);
  const errors = all.filter(([f]) => f.severity === 'error');
  const warnings = all.filter(([f]) => f.severity === 'warning');
  const out = [...errors, ...warnings.slice(0, MAX_WARNINGS)].map(([f, app]) => annotation(f, app));

  let note = `safe-render ci ${verdictWord(r)}: ${totalLine(r)}; ${errors.length} errors, ${warnings.length} warnings.`;
  const hiddenErrors = Math.max(0, errors.length - GITHUB_SHOWN_PER_LEVEL);
  const droppedWarnings = Math.max(0, warnings.length - MAX_WARNINGS);
  if (hiddenErrors || droppedWarnings) {
    const parts: string[] = [];
    if (hiddenErrors) parts.push(`${hiddenErrors} errors are in the log only`);
    if (droppedWarnings) parts.push(`${droppedWarnings} warnings are not printed`);
    note += ` GitHub shows at most ${GITHUB_SHOWN_PER_LEVEL} annotations of each level per step: ${parts.join(', ')}; see the JSON/SARIF report.`;
  }
  out.push(command('notice', { title: 'safe-render ci' }, note));
  return `${out.join('\n')}\n`;
}
