// `ci merge` (issue 11, "Fast, and past one machine"): the JSON reports of the shards of one CI matrix
// joined into one verdict and one report, with the repository findings computed again over every app
// (a shard cannot see a collision with another shard's app, nor the whole deletion sum, nor which
// locked app no shard has). A merge must never pass because a shard is missing, ran another commit or
// another bundle, or was fed twice: each of those is an error naming the file.
import type { Finding } from '../model/finding';
import { byCodeUnit } from '../util/compare';
import { DEFAULT_MAX_DELETIONS, repositoryFindings } from './cross-app';
import { CI_REPORT_VERSION, type CiApp, type CiReport, type NotEvaluated } from './report-model';
import { validateCiReport } from './report-validate';
import { MAX_SHARDS, shardOf } from './shard';

/** 1 when any app is refused or failed or carries an error finding, or any repository finding is an
 * error; else 0. The verdict of a whole report, sharded or not. */
export function reportExitCode(apps: readonly CiApp[], findings: readonly Finding[]): 0 | 1 {
  const bad =
    apps.some(
      (a) => a.verdict === 'refused' || a.verdict === 'failed' || a.findings.some((f) => f.severity === 'error'),
    ) || findings.some((f) => f.severity === 'error');
  return bad ? 1 : 0;
}

const appKey = (a: CiApp) => `${a.id}\u0000${a.sourceIndex ?? ''}`;
const q = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Joins shard reports read from JSON (`unknown`, validated here); a report that is not a shard of the
 * same run is an Error value with a message for the user. */
export function mergeReports(reports: readonly { file: string; value: unknown }[]): CiReport | { error: string } {
  if (reports.length === 0) return { error: 'ci merge: no report to merge' };
  if (reports.length > MAX_SHARDS) return { error: `ci merge: more than ${MAX_SHARDS} reports` };
  const shards: Array<{ file: string; r: CiReport }> = [];
  for (const { file, value } of reports) {
    const r = validateCiReport(value);
    if ('error' in r)
      return { error: `${file}: not a safe-render ci report of version ${CI_REPORT_VERSION}: ${r.error}` };
    if (!r.shard) return { error: `${file}: not a shard's report (no shard: it was not written by ci --shard K/N)` };
    shards.push({ file, r });
  }
  const first = shards[0]!;
  const count = first.r.shard!.count;
  const byIndex = new Map<number, string>();
  for (const { file, r } of shards) {
    const differs = (what: string, a: string, b: string) => ({
      error: `${file}: ${what} ${q(b)}, but ${first.file} has ${q(a)}: the reports are not shards of one run`,
    });
    if (r.tool !== first.r.tool) return differs('written by safe-render', first.r.tool, r.tool);
    if (r.repo.url !== first.r.repo.url) return differs('repository', first.r.repo.url, r.repo.url);
    if (r.repo.revision !== first.r.repo.revision) return differs('revision', first.r.repo.revision, r.repo.revision);
    const { index, count: n } = r.shard!;
    if (n !== count) return differs('shard count', String(count), String(n));
    if (index < 1 || index > n) return { error: `${file}: shard ${index}/${n} is out of range` };
    const twice = byIndex.get(index);
    if (twice !== undefined) return { error: `${file}: shard ${index}/${count} is also ${twice}; each shard once` };
    byIndex.set(index, file);
    if (!sameSet(r.lockedApps, first.r.lockedApps))
      return {
        error: `${file}: its locked apps (.safe-render/index) differ from ${first.file}'s: the reports are not shards of one run`,
      };
    if (r.maxDeletions !== first.r.maxDeletions)
      return differs('deletion budget', String(first.r.maxDeletions ?? 'default'), String(r.maxDeletions ?? 'default'));
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    return {
      error:
        `ci merge: shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''} ` +
        `of ${count} missing (did ${missing.length > 1 ? 'their jobs' : 'its job'} fail or not upload the report?)`,
    };

  const apps: CiApp[] = [];
  const seen = new Map<string, string>();
  for (const { file, r } of shards) {
    for (const app of r.apps) {
      const k = appKey(app);
      const other = seen.get(k);
      if (other !== undefined)
        return { error: `${file}: app ${q(app.id)} is also in ${other}; an app belongs to one shard` };
      seen.set(k, file);
      // The shard key is the app id (shard.ts): an app in another shard than shardOf says means the job
      // ran another N or another selection, and the partition cannot be trusted.
      const want = shardOf(app.id, count);
      if (want !== r.shard!.index)
        return { error: `${file}: app ${q(app.id)} belongs to shard ${want}/${count}, not ${r.shard!.index}/${count}` };
      apps.push(app);
    }
  }
  apps.sort((a, b) => byCodeUnit(appKey(a), appKey(b)));

  const ne = new Map<string, NotEvaluated>();
  for (const { r } of shards)
    for (const n of r.notEvaluated) {
      const k = JSON.stringify([n.appSet, n.generator, n.definedIn.file, n.definedIn.line, n.why]);
      if (!ne.has(k)) ne.set(k, n);
    }
  const notEvaluated = [...ne.entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([, n]) => n);

  const lockedApps = first.r.lockedApps;
  const maxDeletions = first.r.maxDeletions;
  // The shards' own repository findings are dropped: each saw part of the repository.
  const findings = repositoryFindings(apps, {
    maxDeletions: maxDeletions ?? DEFAULT_MAX_DELETIONS,
    ...(lockedApps ? { lockedApps } : {}),
    notEvaluated,
  });
  // Fail closed: a shard that exited 1 with no repository error to explain it failed for a reason this
  // merge cannot see again (every app-level reason is in its apps, and recomputed below).
  const unexplained = shards.some(({ r }) => r.exitCode === 1 && !r.findings.some((f) => f.severity === 'error'));
  const exitCode = unexplained ? 1 : reportExitCode(apps, findings);
  return {
    kind: 'safe-render-ci',
    version: CI_REPORT_VERSION,
    tool: first.r.tool,
    repo: { ...first.r.repo },
    apps,
    notEvaluated,
    ...(lockedApps ? { lockedApps: [...lockedApps] } : {}),
    ...(maxDeletions !== undefined ? { maxDeletions } : {}),
    findings,
    exitCode,
    // The shards run side by side: the merged run took as long as its slowest shard (each app keeps its own time).
    durationMs: Math.max(...shards.map(({ r }) => r.durationMs)),
  };
}
