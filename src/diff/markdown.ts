// The Markdown writer of `safe-render diff` (issue 12), for a pull-request comment: a summary line per
// app, then every removal (what prune deletes), every addition, then each change as a diff block. Cut
// to GitHub's comment limit from the least important end, with a note of what was cut.
import { byteLength, MARKDOWN_MAX_BYTES, md } from '../ci/reports/markdown';
import type { AppDiff } from './compare';
import { hasChanges, summaryLine } from './text';
import { IGNORED_FIELD_NAMES } from './normalize';

export interface DiffMarkdownOptions {
  maxBytes?: number;
}

type Kind = 'removed' | 'added' | 'changed';

/** A fence longer than any run of backticks in the text, so a hostile value cannot close the block. */
function fence(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function markdownDiff(apps: readonly AppDiff[], opts: DiffMarkdownOptions = {}): string {
  const max = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const head = '### safe-render diff\n\n';
  const summary = apps.map(({ app, diff }) => `- **${md(app, 200)}**: ${summaryLine(diff)}\n`).join('');
  const ignored = IGNORED_FIELD_NAMES;
  const foot = ignored.length
    ? `\nNot compared (the API server owns them, or they change on every render): ${ignored.map((f) => `\`${f}\``).join(', ')}\n`
    : '';
  const items: { kind: Kind; text: string }[] = [];
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
    removed: '\n#### Removed (prune deletes these)\n\n',
    added: '\n#### Added\n\n',
    changed: '\n#### Changed\n\n',
  };
  // Room kept for the note of what was cut.
  const reserve = 400;
  let out = head + summary;
  let used = byteLength(out) + byteLength(foot) + reserve;
  const cut: Record<Kind, number> = { removed: 0, added: 0, changed: 0 };
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
