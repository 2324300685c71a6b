// What `migrate` tells the person who will review and commit the change (issue 13): counts first,
// then every file split (into what), every kustomization edited, and every file left alone with the
// reason. Repository names can carry anything: every line goes through flatLine.
import { flatLine } from '../report/format';
import type { MigratePlan } from './plan';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function migrateSummary(plan: MigratePlan, folder: string, dryRun: boolean): string {
  const made = plan.splits.reduce((n, s) => n + s.into.length, 0);
  const lines: string[] = [];
  const verb = dryRun ? 'would split' : 'split';
  lines.push(
    `safe-render migrate${dryRun ? ' --dry-run' : ''} ${folder}: ${verb} ${plural(plan.splits.length, 'file')} into ${made}, ${dryRun ? 'would edit' : 'edited'} ${plural(plan.edits.length, 'kustomization')}, left ${plural(plan.leftAlone.length, 'path')} alone; ${plural(plan.single, 'file')} already held one object or none`,
  );
  if (plan.splits.length) {
    lines.push('', dryRun ? 'files to split:' : 'files split:');
    for (const s of plan.splits) {
      lines.push(`  ${s.path} -> ${plural(s.into.length, 'file')}`);
      // The new files sit beside the old one: their names alone.
      for (const n of s.into) lines.push(`    ${n.path.slice(n.path.lastIndexOf('/') + 1)}  (${n.what})`);
    }
  }
  if (plan.edits.length) {
    lines.push(
      '',
      dryRun
        ? 'kustomizations to edit (resources entries replaced in place):'
        : 'kustomizations edited (resources entries replaced in place):',
    );
    for (const k of plan.edits) {
      lines.push(`  ${k.path}`);
      for (const r of k.replaced) lines.push(`    ${r.from} -> ${r.to.join(', ')}`);
    }
  }
  if (plan.leftAlone.length) {
    lines.push('', 'left alone:');
    for (const l of plan.leftAlone) lines.push(`  ${l.path}: ${l.why}`);
  }
  if (plan.notes.length) {
    lines.push('', 'note:');
    for (const n of plan.notes) lines.push(`  ${n}`);
  }
  if (!dryRun && plan.splits.length) lines.push('', 'review with `git status` and `git diff`, then commit');
  if (dryRun) lines.push('', 'nothing was written (--dry-run)');
  return `${lines.map((l) => flatLine(l)).join('\n')}\n`;
}
