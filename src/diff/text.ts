// The terminal writer of `safe-render diff` (issue 12): per app a summary line, then removals (what
// prune deletes), additions and changes, each change a unified diff of the YAML; ANSI colour when asked.
import { flatLine } from '../report/format';
import type { AppDiff, RenderDiff } from './compare';
import { IGNORED_FIELD_NAMES } from './normalize';

export type ColorMode = 'auto' | 'always' | 'never';

/** Whether to colour: `always`/`never` as said; `auto` on a terminal unless NO_COLOR is set to anything
 * non-empty (https://no-color.org). The CLI passes what it reads of the process. */
export function colorEnabled(mode: ColorMode, isTTY: boolean, noColor: string | undefined): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return isTTY && !noColor;
}

export interface TextOptions {
  color?: boolean;
  /** `--all`: apps at both revisions whose render did not change, said in one line. */
  unchangedApps?: number;
}

/** `3 other apps unchanged`. */
export function unchangedAppsLine(n: number): string {
  return `${n} other app${n === 1 ? '' : 's'} unchanged`;
}

/** `+3 -1 ~2 objects`. */
export function summaryLine(d: RenderDiff): string {
  return `+${d.added.length} -${d.removed.length} ~${d.changed.length} objects`;
}

/** What an app's header says besides the counts: whether it appears or disappears, the head's
 * verdict when refused, failed or gone. */
export function appTags(a: AppDiff): string[] {
  const tags: string[] = [];
  if (a.presence === 'appeared') tags.push('new app: not at the base');
  if (a.presence === 'disappeared') tags.push('app removed: not at the head');
  if (a.verdict === 'refused') tags.push('head refused');
  if (a.verdict === 'failed') tags.push('head render failed');
  return tags;
}

/** `removes 2 objects: 1 accepted by the lock, 1 not accepted (unacknowledged-deletion)`, or ''. */
export function deletionLine(a: AppDiff): string {
  const d = a.deletions ?? [];
  if (!d.length) return '';
  const n = d.length;
  const what = `removes ${n} object${n === 1 ? '' : 's'}`;
  if (d.some((x) => x.accepted === undefined)) return `${what}: the app has no lock, nothing guards these deletions`;
  const ok = d.filter((x) => x.accepted).length;
  if (ok === n) return `${what}: ${n === 1 ? 'its deletion is' : 'all deletions are'} accepted by the lock`;
  return `${what}: ${ok} accepted by the lock, ${n - ok} not accepted (unacknowledged-deletion)`;
}

export function hasChanges(d: RenderDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length > 0;
}

/** A line from a hostile render, safe for a terminal: control characters (ESC starts a terminal
 * control sequence) and bidirectional overrides shown as `\u{...}` escapes. */
export function terminalSafe(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

const ANSI = { red: '\u001b[31m', green: '\u001b[32m', cyan: '\u001b[36m', bold: '\u001b[1m', reset: '\u001b[0m' };

export function textReport(apps: readonly AppDiff[], opts: TextOptions = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${ANSI.reset}` : s);
  const line = (s: string) => {
    const t = terminalSafe(s);
    if (t.startsWith('@@')) return paint(ANSI.cyan, t);
    if (t.startsWith('-')) return paint(ANSI.red, t);
    if (t.startsWith('+')) return paint(ANSI.green, t);
    return t;
  };
  const name = (s: string) => terminalSafe(flatLine(s));
  let out = '';
  for (const a of apps) {
    const { app, diff } = a;
    const tags = appTags(a);
    out += paint(ANSI.bold, `${name(app)}: ${summaryLine(diff)}${tags.length ? ` (${tags.join('; ')})` : ''}`) + '\n';
    for (const n of a.notes ?? []) out += `  note: ${name(n)}\n`;
    const del = deletionLine(a);
    if (del) out += `  ${del}\n`;
    for (const o of diff.removed) {
      out += paint(ANSI.red, `- removed ${name(o.display)}`) + '\n';
      for (const l of o.yaml.split('\n').filter((x) => x !== '')) out += `${line(`-${l}`)}\n`;
    }
    for (const o of diff.added) {
      out += paint(ANSI.green, `+ added ${name(o.display)}`) + '\n';
      for (const l of o.yaml.split('\n').filter((x) => x !== '')) out += `${line(`+${l}`)}\n`;
    }
    for (const o of diff.changed) {
      out += paint(ANSI.bold, `~ changed ${name(o.display)}`) + '\n';
      for (const l of o.unified.split('\n').filter((x) => x !== '')) out += `${line(l)}\n`;
    }
  }
  if (opts.unchangedApps !== undefined) out += `${unchangedAppsLine(opts.unchangedApps)}\n`;
  const ignored = IGNORED_FIELD_NAMES;
  if (ignored.length)
    out += `Not compared (the API server owns them, or they change on every render): ${ignored.join(', ')}\n`;
  return out;
}
