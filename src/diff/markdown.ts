// The Markdown writer of `safe-render diff` (issue 12), for a pull-request comment: a summary line per
// app, then every removal (what prune deletes), every addition, then each change as a diff block. Cut
// to GitHub's comment limit from the least important end, with a note of what was cut.
import { byteLength, MARKDOWN_MAX_BYTES, md } from '../ci/reports/markdown';
import type { AppDiff } from './compare';
import { appTags, deletionLine, hasChanges, summaryLine, unchangedAppsLine } from './text';
import { IGNORED_FIELD_NAMES } from './normalize';

export interface DiffMarkdownOptions {
  maxBytes?: number;
  /** `--all`: apps at both revisions whose render did not change, said in one line. */
  unchangedApps?: number;
}

type Kind = 'refused' | 'removed' | 'added' | 'changed';

/** Error findings shown per refused app; the rest counted (the full list is on stderr). */
const MAX_FINDINGS_PER_APP = 20;

/** A fence longer than any run of backticks in the text, so a hostile value cannot close the block. */
function fence(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function markdownDiff(apps: readonly AppDiff[], opts: DiffMarkdownOptions = {}): string {
  const max = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const head = '### safe-render diff\n\n';
  const summary =
    apps
      .map((a) => {
        const tags = appTags(a);
        const del = deletionLine(a);
        return `- **${md(a.app, 200)}**: ${summaryLine(a.diff)}${tags.length ? ` (${md(tags.join('; '))})` : ''}${del ? `; ${md(del)}` : ''}\n`;
      })
      .join('') + (opts.unchangedApps !== undefined ? `- ${unchangedAppsLine(opts.unchangedApps)}\n` : '');
  const ignored = IGNORED_FIELD_NAMES;
  const foot = ignored.length
    ? `\nNot compared (the API server owns them, or they change on every render): ${ignored.map((f) => `\`${f}\``).join(', ')}\n`
    : '';
  const items: { kind: Kind; text: string }[] = [];
  // Refusals first (issue 12): what would stop the sidecar, per app, before any object.
  for (const a of apps) {
    if (a.verdict !== 'refused' && a.verdict !== 'failed') continue;
    const errors = (a.findings ?? []).filter((f) => f.severity === 'error');
    const lines = errors
      .slice(0, MAX_FINDINGS_PER_APP)
      .map((f) => `  - \`${f.rule}\`${f.object ? ` ${md(f.object, 400)}` : ''}: ${md(f.message, 600)}\n`);
    const more = errors.length > MAX_FINDINGS_PER_APP ? `  - and ${errors.length - MAX_FINDINGS_PER_APP} more\n` : '';
    items.push({ kind: 'refused', text: `- **${md(a.app, 200)}**\n${lines.join('')}${more}` });
  }
  const changedApps = apps.filter((a) => hasChanges(a.diff));
  for (const { app, diff } of changedApps)
    for (const o of diff.removed) items.push({ kind: 'removed', text: `- ${md(app, 200)}: ${md(o.display, 400)}\n` });
  for (const { app, diff } of changedApps)
    for (const o of diff.added) items.push({ kind: 'added', text: `- ${md(app, 200)}: ${md(o.display, 400)}\n` });
  for (const { app, diff } of changedApps)
    for (const o of diff.changed) {
      const f = fence(o.unified);
      items.push({
        kind: 'changed',
        text: `<details><summary>${md(app, 200)}: ${md(o.display, 400)}</summary>\n\n${f}diff\n${o.unified}${f}\n\n</details>\n`,
      });
    }
  const headers: Record<Kind, string> = {
    refused: '\n#### Refused (the sidecar would not render the head)\n\n',
    removed: '\n#### Removed (prune deletes these)\n\n',
    added: '\n#### Added\n\n',
    changed: '\n#### Changed\n\n',
  };
  // Room kept for the note of what was cut.
  const reserve = 400;
  let out = head + summary;
  let used = byteLength(out) + byteLength(foot) + reserve;
  const cut: Record<Kind, number> = { refused: 0, removed: 0, added: 0, changed: 0 };
  let section: Kind | undefined;
  for (const item of items) {
    const header = section === item.kind ? '' : headers[item.kind];
    const size = byteLength(header) + byteLength(item.text);
    if (used + size > max) {
      cut[item.kind]++;
      continue;
    }
    out += header + item.text;
    used += size;
    section = item.kind;
  }
  const cuts = (Object.keys(cut) as Kind[]).filter((k) => cut[k] > 0).map((k) => `${cut[k]} ${k}`);
  if (cuts.length)
    out += `\n> Cut to fit a pull-request comment: ${cuts.join(', ')} not shown. Run \`safe-render diff\` locally for all of it.\n`;
  return out + foot;
}
