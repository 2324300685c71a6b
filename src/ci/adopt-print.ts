// What `ci --init` / `ci --fix-locks` say on stderr (issue 11: "prints what it allowed so a reviewer sees
// every exception in one diff"): every file written with the entries it allows, every file listed and
// not rewritten with what it would need, every app still refused and why, every lock written, rewritten
// or kept and why. One line each (flattened: names come from the repository), before `ci`'s own outcome.
import { flatLine } from '../report/format';
import type { Adoption } from './adopt';
import type { AppAdoption } from './adopt-config';

const list = (xs: readonly string[]) => `[${xs.join(', ')}]`;

function entries(x: { namespaces: readonly string[]; clusterScoped: readonly string[] }): string {
  return [
    x.namespaces.length ? `namespaces: ${list(x.namespaces)}` : '',
    x.clusterScoped.length ? `clusterScoped: ${list(x.clusterScoped)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function appLines(a: AppAdoption): string[] {
  const out: string[] = [];
  if (a.blocking.length) {
    out.push(
      `init: app ${a.id} not fixed: it fails for other reasons, so nothing is written for it${entries(a) ? ` (it would also need ${entries(a)})` : ''}:`,
    );
    for (const f of a.blocking) out.push(`init:   ${f.rule} ${f.object ?? ''}: ${f.message}`);
  }
  for (const r of a.refused) out.push(`init: app ${a.id} still refused: ${r.object}: ${r.why}`);
  return out;
}

/** The lines, without the `safe-render: ` prefix and the newline. */
export function adoptionLines(a: Adoption): string[] {
  const out: string[] = [];
  const plan = a.plan;
  if (a.flags.init && plan) {
    for (const c of a.configs) {
      if (c.action === 'exists')
        out.push(`init: ${c.file} exists and is not rewritten; ${c.apps.join(', ')} would need ${entries(c)} in it`);
      else if (c.error) out.push(`init: ${c.file} not written: ${c.error}`);
      else out.push(`init: wrote ${c.file} for ${c.apps.join(', ')}: ${entries(c)}`);
    }
    for (const app of plan.apps) out.push(...appLines(app));
  }
  for (const f of a.failed) out.push(`${a.flags.init ? 'init' : 'fix-locks'}: app ${f.id} not fixed: ${f.why}`);
  for (const l of a.locks) {
    const tag = l.action === 'written' || l.action === 'not-written' ? 'init' : 'fix-locks';
    const head = {
      written: `wrote lock ${l.file} for ${l.id}`,
      'not-written': `no lock written for ${l.id} (${l.file})`,
      rewritten: `rewrote lock ${l.file} for ${l.id} (additions only)`,
      kept: `lock ${l.file} of ${l.id} not rewritten`,
    }[l.action];
    out.push(`${tag}: ${head}: ${l.detail[0] ?? ''}`);
    for (const d of l.detail.slice(1)) out.push(`${tag}:   ${d}`);
  }
  const n = (k: string) => a.locks.filter((l) => l.action === k).length;
  const parts = [
    a.flags.init &&
      `${a.configs.filter((c) => c.action === 'write' && !c.error).length} safe-render.yaml written, ${a.configs.filter((c) => c.action === 'exists').length} listed (file exists), ${n('written')} locks written, ${n('not-written')} not`,
    a.flags.fixLocks && `${n('rewritten')} locks rewritten, ${n('kept')} kept`,
  ].filter(Boolean);
  out.push(
    `${[a.flags.init && 'init', a.flags.fixLocks && 'fix-locks'].filter(Boolean).join(' + ')}: ${parts.join('; ')}`,
  );
  return out.map(flatLine);
}
