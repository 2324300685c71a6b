// A refusal as people read it (issue 14, "Refusals that read well where people see them"): in Argo CD's
// UI all of stderr is one ComparisonError box, so it leads with one headline, then the findings grouped
// by rule, each fix said once for the findings that share it, and each rule's list capped. Each finding
// line keeps its head (`severity[rule] object (file:line, ...): message`), so scripts still parse it;
// the fix and the runbook follow on an indented line. Design: docs/development/refusals.md.
import type { Finding } from '../model/finding';
import { findingHead, flatLine, runbookLink } from './format';

/** Finding lines shown per rule when the list is capped (the sidecar, CI logs): enough to see the
 * pattern (a renamed folder, a broken template), few enough that the box stays readable. */
export const FINDINGS_PER_RULE = 10;

export interface GroupOptions {
  /** Finding lines per rule; the rest of the rule is one "... and N more" line. Infinity: all. */
  perRule: number;
  /** Finding lines in all (a bound however many rules fire); the rest are counted by rule on one line. */
  total: number;
  /** Absolute base of runbook links (runbookLink); default the relative path. */
  runbookBase?: string;
  /** Where the whole list is, said on each "... and N more" line (e.g. "--verbose lists them all"). */
  fullList?: string;
}

/** The lines (without newlines) of `findings`: errors first, grouped by severity and rule in the order
 * they first appear; inside a rule, the findings that share a fix are followed by that fix once. */
export function groupedFindingLines(findings: readonly Finding[], opts: GroupOptions): string[] {
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const byRule = new Map<string, Finding[]>();
  for (const f of sorted) {
    const key = `${f.severity}[${f.rule}]`;
    const list = byRule.get(key);
    if (list) list.push(f);
    else byRule.set(key, [f]);
  }
  const out: string[] = [];
  const notShown = new Map<string, number>();
  let left = opts.total;
  for (const [key, list] of byRule) {
    const allowed = Math.min(opts.perRule, left);
    if (allowed <= 0) {
      notShown.set(key, list.length);
      continue;
    }
    // One fix per group of findings that share it (a protected deletion names its own object in the
    // --accept it asks for, so one rule can carry several fixes).
    const byFix = new Map<string, Finding[]>();
    for (const f of list) {
      const same = byFix.get(f.fix);
      if (same) same.push(f);
      else byFix.set(f.fix, [f]);
    }
    const shownGroups: Array<[string, Finding[]]> = [];
    let shown = 0;
    for (const [fix, group] of byFix) {
      const take = Math.min(group.length, allowed - shown);
      if (take <= 0) break;
      shownGroups.push([fix, group.slice(0, take)]);
      shown += take;
    }
    const hidden = list.length - shown;
    shownGroups.forEach(([fix, group], i) => {
      for (const f of group) out.push(findingHead(f));
      if (hidden > 0 && i === shownGroups.length - 1)
        out.push(flatLine(`  ... and ${hidden} more ${key}${opts.fullList ? ` (${opts.fullList})` : ''}`));
      out.push(fixLine(group[0]!, fix, opts.runbookBase));
    });
    left -= shown;
  }
  if (notShown.size) {
    const n = [...notShown.values()].reduce((a, b) => a + b, 0);
    const counts = [...notShown].map(([k, c]) => `${c} ${k}`).join(', ');
    out.push(`safe-render: ${n} more finding${n === 1 ? '' : 's'} not shown: ${counts}`);
  }
  return out;
}

/** The line after a rule's findings: how to fix or acknowledge them, and the runbook. */
function fixLine(f: Finding, fix: string, base: string | undefined): string {
  const runbook = `(runbook: ${runbookLink(f.rule, base)})`;
  return flatLine(fix ? `  Fix: ${fix} ${runbook}` : `  ${runbook}`);
}

/** What the headline can say beyond the findings themselves. */
export interface RefusalFacts {
  /** Objects in the app's lock, when it has one. */
  lockedCount?: number;
  /** Objects the render yielded. */
  renderedCount?: number;
}

/** The first line of a refusal: the one situation a reader must see first, in numbers. Mass deletion
 * (what the tool exists for) leads, then an empty render, a freeze, duplicates, else a count of errors
 * by rule. */
export function refusalHeadline(findings: readonly Finding[], facts: RefusalFacts = {}): string {
  const errors = findings.filter((f) => f.severity === 'error');
  const count = (rule: string) => errors.filter((f) => f.rule === rule).length;
  const s = (n: number) => (n === 1 ? '' : 's');
  const empty = count('empty-render') > 0 || facts.renderedCount === 0;
  const deleted = count('unacknowledged-deletion');
  const locked = facts.lockedCount;
  const breakHint = '; likely a path or template break';
  let lead: string;
  if (deleted > 0) {
    const all = empty || (locked !== undefined && deleted >= locked);
    lead = `${deleted}${locked !== undefined ? ` of ${locked}` : ''} object${locked === undefined ? s(deleted) : s(locked)} would be deleted${all ? breakHint : ''}`;
  } else if (empty) {
    lead = `the render has no objects${breakHint}`;
  } else if (count('deploy-freeze') > 0) {
    lead = 'deploys are frozen (deploy-freeze says by whom and why)';
  } else if (count('duplicate-object') > 0) {
    const n = count('duplicate-object');
    lead = `${n} object${s(n)} defined more than once with different content`;
  } else {
    const byRule = new Map<string, number>();
    for (const f of errors) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    const rules = [...byRule].map(([r, n]) => `${r} ${n}`);
    const shown = rules.length > 4 ? [...rules.slice(0, 4), '…'] : rules;
    lead = `${errors.length} error${s(errors.length)} of ${byRule.size} rule${s(byRule.size)} (${shown.join(', ')})`;
  }
  return flatLine(`safe-render: refused: ${lead}`);
}
