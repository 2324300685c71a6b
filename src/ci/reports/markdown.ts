// The Markdown report (issue 11), for a pull-request comment: the verdict first, the repository's
// findings, a table of apps (refused first), the findings of each app with its fix, the skipped apps
// and the generators not evaluated. GitHub refuses a comment of 65,536 characters or more, so the text
// is cut to a budget, from the least important end, with a note of what was cut.
import type { Finding } from '../../model/finding';
import { runbookPath } from '../../model/rule-catalog';
import type { CiApp, CiReport } from '../report-model';
import {
  absoluteBase,
  appsInOrder,
  countsOf,
  findingsInOrder,
  severityCounts,
  totalLine,
  truncate,
  verdictWord,
} from './common';

/** Under GitHub's 65,536-character limit on a comment, with room for a CI step that adds a marker
 * line to find and update its own comment. Counted in UTF-8 bytes, which are never fewer than UTF-16
 * code units, so the text fits whichever of the two a platform counts. */
export const MARKDOWN_MAX_BYTES = 65_000;

/** A hostile string is cut to this many code points before escaping, so that one message cannot eat
 * the whole budget. */
const MAX_FIELD = { name: 200, message: 1_000, fix: 600 } as const;

export interface MarkdownOptions {
  maxBytes?: number;
  /** Absolute prefix of runbook links (see SarifOptions.runbookBase). */
  runbookBase?: string;
}

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** `s` as inert Markdown text: one line, HTML special characters as entities, ASCII punctuation that
 * Markdown acts on backslash-escaped (links, emphasis, code, headings, table cells), and a zero-width
 * space after `@` and `#` and inside `://` and `www.`, because GitHub links mentions (`@team`), issue
 * references and bare URLs in the rendered text, after escapes are gone. */
export function md(s: string, max: number = MAX_FIELD.message): string {
  return truncate(s, max)
    .replace(/([@#])/g, '$1\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/(www)\./gi, '$1\u200b.')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_{}[\]()!|~$]/g, '\\$&');
}

type Section = 'repo' | 'apps' | 'findings' | 'skipped' | 'notEvaluated';
const SECTION_ORDER: Section[] = ['repo', 'apps', 'findings', 'skipped', 'notEvaluated'];
const SECTION_HEADER: Record<Section, string> = {
  repo: '### Repository findings\n\n',
  apps: '### Apps\n\n| App | Engine | Objects | Verdict | Findings |\n| --- | --- | ---: | --- | --- |\n',
  findings: '### Findings\n',
  skipped: '### Skipped\n\n',
  notEvaluated: '### Not evaluated\n\n',
};

interface Item {
  section: Section;
  kind: 'finding' | 'row' | 'skipped' | 'notEvaluated';
  /** For findings of an app: the app's id and the heading of its group. */
  group?: { id: string; header: string };
  text: string;
}

const ICON = { refused: '❌', failed: '💥', passed: '✅', skipped: '⏭️' } as const;

/** A finding as a list item. A finding without sources names no place: the group's heading already
 * names the Application that defines the app. */
function findingItem(f: Finding, base: string | undefined): string {
  const where = f.sources
    .slice(0, 5)
    .map((s) => `${md(s.file, MAX_FIELD.name)}:${Math.trunc(s.line)}`)
    .join(', ');
  const obj = f.object ? ` ${md(f.object, MAX_FIELD.name)}` : '';
  const rb = runbookPath(f.rule);
  const runbook = base ? `[runbook](${base}${rb})` : `runbook: ${md(rb)}`;
  const fix = f.fix ? ` **Fix:** ${md(f.fix, MAX_FIELD.fix)}` : '';
  return `- **${f.severity}** ${md(f.rule)}${obj}${where ? ` (${where})` : ''}: ${md(f.message)}.${fix} (${runbook})`;
}

function appRow(a: CiApp): string {
  const findings = severityCounts(a.findings);
  return `| ${md(a.id, MAX_FIELD.name)} | ${md(a.engine ?? '-', 40)} | ${a.objects.length} | ${ICON[a.verdict]} ${a.verdict} | ${findings || '-'} |`;
}

/** Every item in the order of importance: what is cut is cut from the end of this list. */
function itemsByImportance(r: CiReport, base: string | undefined): Item[] {
  const items: Item[] = [];
  for (const f of findingsInOrder(r.findings)) {
    items.push({ section: 'repo', kind: 'finding', text: findingItem(f, base) });
  }
  const apps = appsInOrder(r).filter((a) => a.verdict !== 'skipped');
  const withFindings = (a: CiApp) => {
    items.push({ section: 'apps', kind: 'row', text: appRow(a) });
    const header = `\n#### ${ICON[a.verdict]} ${md(a.id, MAX_FIELD.name)} (${md(a.definedIn.file, MAX_FIELD.name)}:${Math.trunc(a.definedIn.line)})\n\n`;
    for (const f of findingsInOrder(a.findings)) {
      items.push({ section: 'findings', kind: 'finding', group: { id: a.id, header }, text: findingItem(f, base) });
    }
  };
  for (const a of apps) if (a.verdict !== 'passed') withFindings(a);
  for (const a of apps) if (a.verdict === 'passed' && a.findings.length) withFindings(a);
  for (const a of apps)
    if (a.verdict === 'passed' && !a.findings.length) items.push({ section: 'apps', kind: 'row', text: appRow(a) });
  for (const a of appsInOrder(r)) {
    if (a.verdict !== 'skipped') continue;
    items.push({
      section: 'skipped',
      kind: 'skipped',
      text: `- ${md(a.id, MAX_FIELD.name)} (${md(a.definedIn.file, MAX_FIELD.name)}:${Math.trunc(a.definedIn.line)}): ${md(a.skipped ?? 'skipped')}`,
    });
  }
  for (const n of r.notEvaluated) {
    items.push({
      section: 'notEvaluated',
      kind: 'notEvaluated',
      text: `- ApplicationSet ${md(n.appSet, MAX_FIELD.name)} (${md(n.definedIn.file, MAX_FIELD.name)}:${Math.trunc(n.definedIn.line)}), generator ${md(n.generator, MAX_FIELD.name)}: ${md(n.why)}`,
    });
  }
  return items;
}

function render(head: string, kept: Item[], note: string): string {
  const parts = [head];
  for (const s of SECTION_ORDER) {
    const inSection = kept.filter((i) => i.section === s);
    if (!inSection.length) continue;
    let text = SECTION_HEADER[s];
    let group: string | undefined;
    for (const i of inSection) {
      if (i.group && i.group.id !== group) {
        group = i.group.id;
        text += i.group.header;
      }
      text += `${i.text}\n`;
    }
    parts.push(text);
  }
  if (note) parts.push(`${note}\n`);
  return parts.join('\n');
}

function cutNote(cut: Item[]): string {
  if (!cut.length) return '';
  const findings = cut.filter((i) => i.kind === 'finding');
  const apps = new Set(findings.map((i) => i.group?.id ?? '(repository)')).size;
  return noteText(
    findings.length,
    apps,
    cut.filter((i) => i.kind === 'row').length,
    cut.filter((i) => i.kind === 'skipped').length,
    cut.filter((i) => i.kind === 'notEvaluated').length,
  );
}

function noteText(findings: number, apps: number, rows: number, skipped: number, notEvaluated: number): string {
  const parts: string[] = [];
  if (findings) parts.push(`${findings} more findings in ${apps} apps`);
  if (rows) parts.push(`${rows} more rows of the app table`);
  if (skipped) parts.push(`${skipped} more skipped apps`);
  if (notEvaluated) parts.push(`${notEvaluated} more generators not evaluated`);
  return `_… ${parts.join(', ')} not shown; see the JSON/SARIF report._`;
}

export function markdownReport(r: CiReport, opts: MarkdownOptions = {}): string {
  const limit = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const base = absoluteBase(opts.runbookBase);
  const c = countsOf(r);
  const verdict = verdictWord(r);
  // Only numbers and fixed words: the head always fits and always names the verdict.
  const head = `## ${verdict === 'passed' ? '✅' : '❌'} safe-render ci: ${verdict}\n\n${totalLine(r)}; ${c.errors} errors, ${c.warnings} warnings.\n`;
  const items = itemsByImportance(r, base);
  // The longest note a cut can produce (every count at its widest) stays free in the budget.
  const all = items.length;
  const noteReserve = byteLength(noteText(all, all, all, all, all)) + 2;
  let budget = limit - byteLength(head) - noteReserve;
  const opened = new Set<string>();
  let n = 0;
  for (const i of items) {
    let cost = byteLength(i.text) + 1;
    if (!opened.has(i.section)) cost += byteLength(SECTION_HEADER[i.section]) + 1;
    if (i.group && !opened.has(`g:${i.group.id}`)) cost += byteLength(i.group.header);
    if (cost > budget) break;
    budget -= cost;
    opened.add(i.section);
    if (i.group) opened.add(`g:${i.group.id}`);
    n++;
  }
  // The accounting above is exact but for a group reopened after another; check the text itself.
  let out = render(head, items.slice(0, n), cutNote(items.slice(n)));
  while (byteLength(out) > limit && n > 0) {
    n--;
    out = render(head, items.slice(0, n), cutNote(items.slice(n)));
  }
  return out;
}
