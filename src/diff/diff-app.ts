// `safe-render diff` as a library call (issue 12): one app, or every app `ci` finds (--all), rendered
// at two materialised revisions (revision-pair.ts) and compared (compare.ts). Values in, values out:
// the command prints them. The head render carries the verdict: its findings, and which of the
// objects the change removes the head's lock accepts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../model/finding';
import type { ManifestObject } from '../model/object';
import type { RenderFlags } from '../context/build-context';
import { contextFromFlags } from '../context/build-context';
import { hasErrors } from '../checks/finding';
import type { RunMode } from '../checks/rule';
import type { Env } from '../pipeline/env';
import { runApp, type AppRun } from '../pipeline/run-app';
import type { ToolRunner } from '../render/run-tool';
import { RenderFailure } from '../util/errors';
import type { CiReport } from '../ci/report-model';
import type { RepositoryFacts } from '../ci/repository';
import type { CiRunOptions } from '../ci/run-ci';
import { runCi } from '../ci/run-ci';
import { compareRenders, type AppDiff } from './compare';
import { deletionsOf } from './verdict';
import type { RevisionPair } from './revision-pair';
import { hasChanges } from './text';

/** Lets the event loop turn once, so a SIGTERM/SIGINT that arrived during synchronous work (git,
 * copying, a plain folder's render) reaches the CLI's handler; then stops if it did. Without it a
 * diff made only of synchronous steps would finish before the signal is seen. */
export async function signalPoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  if (signal.aborted)
    throw new RenderFailure(`safe-render received ${String(signal.reason)} and stopped`, undefined, '');
}

export interface DiffRunOptions {
  env: Env;
  cwd: string;
  signal: AbortSignal;
  policyFile?: string;
  runner?: ToolRunner;
}

export interface SingleDiff {
  app: AppDiff;
  /** The head's render: its findings decide the exit code. Undefined when the folder is gone at the head. */
  head?: AppRun;
  /** The app's folder exists at the base / at the head. */
  atBase: boolean;
  atHead: boolean;
}

/** One app (the render flags, PATH relative to the repository root) at both revisions. The two renders
 * run at once (each tool its own process); the same commit twice renders once. */
export async function diffApp(
  pair: RevisionPair,
  flags: RenderFlags & { path: string },
  mode: RunMode,
  o: DiffRunOptions,
): Promise<SingleDiff> {
  const ctxAt = (dir: string, commit: string) => {
    const appDir = join(dir, flags.path);
    if (!existsSync(appDir)) return undefined;
    return contextFromFlags({ ...flags, path: appDir, repoRoot: dir, revision: flags.revision ?? commit }, dir);
  };
  const baseCtx = ctxAt(pair.base.dir, pair.base.commit);
  const headCtx = pair.same ? baseCtx : ctxAt(pair.head.dir, pair.head.commit);
  if (!baseCtx && !headCtx)
    throw new RenderFailure(
      `the app folder ${flags.path} exists at neither revision (${pair.baseLabel}, ${pair.headLabel})`,
      undefined,
      'give the app folder relative to the repository, as it is at the head revision',
    );
  const run = async (ctx: NonNullable<typeof baseCtx>) => {
    await signalPoint(o.signal);
    return runApp(ctx, {
      mode,
      env: o.env,
      cwd: o.cwd,
      signal: o.signal,
      policyFile: o.policyFile,
      runner: o.runner,
    });
  };
  const [baseRun, headRun] = await Promise.all([
    baseCtx ? run(baseCtx) : undefined,
    pair.same ? undefined : headCtx ? run(headCtx) : undefined,
  ]);
  // Undefined when the folder is gone at the head: Argo CD fails such an app (the path does not
  // exist) and deletes nothing until its Application goes; the diff shows every object as removed.
  const head = pair.same ? baseRun : headRun;
  if (baseRun && !baseRun.ok)
    throw new RenderFailure(
      `the base revision ${pair.baseLabel} does not render, so there is nothing to compare with: ${baseRun.failure.message}`,
      baseRun.failure.where,
      'fix the render at the base, or give another --base',
    );
  if (head && !head.ok) throw head.failure;
  const name = headCtx?.appName ?? baseCtx!.appName;
  await signalPoint(o.signal);
  const diff = compareRenders(baseRun?.objects ?? [], head?.objects ?? []);
  const app: AppDiff = {
    app: name,
    diff,
    ...(!baseCtx ? { presence: 'appeared' as const } : !headCtx ? { presence: 'disappeared' as const } : {}),
    verdict: !head ? 'gone' : hasErrors(head.findings) ? 'refused' : 'passed',
    findings: head?.findings ?? [],
    deletions: head?.ok ? deletionsOf(diff, head.lockChanges, head.lockState.lock !== undefined) : [],
  };
  return { app, head, atBase: baseCtx !== undefined, atHead: headCtx !== undefined };
}

export interface AllDiff {
  /** Apps whose render changed, or that appear or disappear; sorted by id. */
  apps: AppDiff[];
  /** Apps at both revisions with the same render. */
  unchanged: number;
  /** `ci`'s report of the head: the verdict (exit code), each app's findings, the repository's. */
  head: CiReport;
  base: CiReport;
}

type CiOptions = Omit<CiRunOptions, 'repo' | 'env' | 'cwd' | 'signal' | 'onRendered' | 'base'>;

interface Collected {
  report: CiReport;
  runs: Map<string, AppRun>;
}

const keyOf = (a: { id: string; sourceIndex?: number }) =>
  `${a.id}${a.sourceIndex !== undefined ? `#${a.sourceIndex}` : ''}`;

async function ciAt(repo: RepositoryFacts, ci: CiOptions, o: DiffRunOptions): Promise<Collected> {
  const runs = new Map<string, AppRun>();
  const { report } = await runCi({
    ...ci,
    repo,
    env: o.env,
    cwd: o.cwd,
    signal: o.signal,
    runner: o.runner,
    policyFile: o.policyFile,
    onRendered: (app, _ctx, run) => runs.set(keyOf(app), run),
  });
  return { report, runs };
}

/** Every app `ci` finds at both revisions (app-of-apps and ApplicationSets followed at each), compared
 * by Argo CD's app id. The two runs share the machine's cores: each gets half of `jobs`. */
export async function diffAll(
  pair: RevisionPair,
  repoAt: (dir: string, commit: string) => RepositoryFacts,
  ci: CiOptions,
  o: DiffRunOptions,
): Promise<AllDiff> {
  const jobs = pair.same ? ci.jobs : Math.max(1, Math.ceil(ci.jobs / 2));
  const base = ciAt(repoAt(pair.base.dir, pair.base.commit), { ...ci, jobs }, o);
  const head = pair.same ? base : ciAt(repoAt(pair.head.dir, pair.head.commit), { ...ci, jobs }, o);
  const [b, h] = await Promise.all([base, head]);
  await signalPoint(o.signal);
  const byKey = (r: CiReport) => new Map(r.apps.filter((a) => a.verdict !== 'skipped').map((a) => [keyOf(a), a]));
  const bApps = byKey(b.report);
  const hApps = byKey(h.report);
  const keys = [...new Set([...bApps.keys(), ...hApps.keys()])].sort();
  const apps: AppDiff[] = [];
  let unchanged = 0;
  for (const key of keys) {
    const ba = bApps.get(key);
    const ha = hApps.get(key);
    const bRun = b.runs.get(key);
    const hRun = h.runs.get(key);
    const objects = (r: AppRun | undefined): ManifestObject[] => (r?.ok ? r.objects : []);
    const notes: string[] = [];
    if (ba && ba.verdict === 'failed') notes.push('the base revision did not render: its objects are not known');
    if (ha && ha.verdict === 'failed') notes.push('the head revision did not render: its objects are not known');
    // A side that failed is not an empty render: comparing with it would show every object removed or
    // added. Such an app is listed with its note and no object changes.
    const diff = notes.length ? compareRenders([], []) : compareRenders(objects(bRun), objects(hRun));
    const findings: Finding[] = ha?.findings ?? [];
    const app: AppDiff = {
      app: key,
      diff,
      ...(!ba ? { presence: 'appeared' as const } : !ha ? { presence: 'disappeared' as const } : {}),
      verdict: ha ? (ha.verdict === 'skipped' ? 'passed' : ha.verdict) : 'gone',
      findings,
      deletions: hRun?.ok ? deletionsOf(diff, hRun.lockChanges, hRun.lockState.lock !== undefined) : [],
      ...(notes.length ? { notes } : {}),
    };
    if (!app.presence && !hasChanges(diff) && !notes.length && ha?.verdict !== 'failed') {
      unchanged++;
      continue;
    }
    apps.push(app);
  }
  return { apps, unchanged, head: h.report, base: b.report };
}
