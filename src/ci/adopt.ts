// `safe-render ci --init` and `ci --fix-locks` (issue 11, "Adoption in one command"): one `ci` run to
// see every app as the sidecar would, the decisions of adopt-config.ts / adopt-locks.ts, the writes
// (safe-render.yaml through util/safe-write, locks exactly as `safe-render lock` writes them), then a
// second, ordinary `ci` run over the result, whose verdict is the exit code: nothing is reported as
// fixed that the checks do not pass.
import { join, relative, sep } from 'node:path';
import { CONFIG_FILE } from '../config/app-config';
import type { AppContext } from '../context/app-context';
import { hasErrors, type Finding } from '../checks/finding';
import { defaultBase, type BaseRevision } from '../lock/base-revision';
import { diffLock } from '../lock/diff';
import { lockCommand as lockHint } from '../lock/lock-hint';
import { serializeLock } from '../lock/lock-file';
import { lockGateFindings, reconcileLock } from '../lock/reconcile';
import { lockPath, writeLock } from '../lock/store';
import { runApp, type AppRendered, type AppRun } from '../pipeline/run-app';
import { CATALOG } from '../model/rule-catalog';
import { formatFinding, renderFailedFinding } from '../report/format';
import { RenderFailure, UsageError } from '../util/errors';
import { byCodeUnit } from '../util/compare';
import { lstatOrUndefined, writeFileNoFollow } from '../util/safe-write';
import { planAdoption, type AdoptionPlan, type ConfigPlan } from './adopt-config';
import { lockRefresh } from './adopt-locks';
import { Pool } from './pool';
import type { CiApp } from './report-model';
import { runCi, type CiResult, type CiRunOptions } from './run-ci';

export interface AdoptFlags {
  init: boolean;
  fixLocks: boolean;
}

/** A safe-render.yaml decided by --init, and whether writing it worked. */
export interface ConfigDone extends ConfigPlan {
  /** Why it could not be written (a symlink on the way, a file that is not a regular file). */
  error?: string;
}

/** What happened to one app's lock. */
export interface LockDone {
  id: string;
  appName: string;
  file: string;
  /** `written`/`not-written`: --init, for an app without a lock. `rewritten`/`kept`: --fix-locks. */
  action: 'written' | 'not-written' | 'rewritten' | 'kept';
  /** What was written (`written`, `rewritten`), or why not. */
  detail: string[];
}

export interface Adoption {
  flags: AdoptFlags;
  plan?: AdoptionPlan;
  configs: ConfigDone[];
  locks: LockDone[];
  /** Checked apps that did not render (listed, not fixed), with their first error. */
  failed: { id: string; why: string }[];
}

interface Seen {
  app: CiApp;
  ctx: AppContext;
  run: AppRun;
}

/** Repo-relative folder, forward slashes, '' for the root. */
function repoDir(root: string, dir: string): string {
  const rel = relative(root, dir);
  return rel.split(sep).join('/');
}

/** The error findings, one line each, as the sidecar prints them. */
const reasons = (fs: readonly Finding[]) => fs.filter((f) => f.severity === 'error').map((f) => formatFinding(f));

/** Error findings by rule and object only: ci's own outcome prints them in full. */
const briefly = (fs: readonly Finding[]) =>
  fs
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule}${f.object ? ` ${f.object}` : ''}`)
    .join(', ');

const refusedBy = (fs: readonly Finding[]) => `the render is refused (${briefly(fs)})`;

/** reconcileLock as `safe-render lock` calls it (no --accept, no --check), with what each ApplicationSet
 * of the render generates, so an app-of-apps' lock records the generated names. */
function reconcile(ctx: AppContext, run: AppRendered, base: BaseRevision | undefined, env: CiRunOptions['env']) {
  return reconcileLock({
    app: ctx,
    objects: run.objects,
    generated: run.generated,
    protectedKinds: run.protectedKinds,
    lockState: run.lockState,
    limits: run.policy?.limits,
    accepts: [],
    declaredEmpty: false,
    check: false,
    base,
    env,
  }).outcome;
}

/** --init for apps without a lock: written exactly as `safe-render lock` writes it, when the render
 * passes every check that does not compare with a lock. */
function initLock(
  s: Seen & { run: AppRendered },
  root: string,
  base: BaseRevision | undefined,
  o: CiRunOptions,
): LockDone {
  const done = (action: LockDone['action'], detail: string[]): LockDone => ({
    id: s.app.id,
    appName: s.ctx.appName,
    file: lockPath(s.ctx.appName),
    action,
    detail,
  });
  const gate = lockGateFindings(s.run.findings, false);
  if (hasErrors(gate)) return done('not-written', [refusedBy(gate)]);
  const outcome = reconcile(s.ctx, s.run, base, o.env);
  if (outcome.kind === 'usage') return done('not-written', [outcome.error.message]);
  if (outcome.kind === 'refused') return done('not-written', reasons(outcome.findings));
  if (outcome.kind !== 'write') return done('not-written', [`unexpected outcome ${outcome.kind}`]);
  try {
    writeLock(root, outcome.lock);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return done('not-written', [e.message]);
  }
  return done('written', [outcome.summary]);
}

/** --fix-locks for apps with a lock: rewritten when the change only adds (adopt-locks.ts) and the render
 * passes every other check; otherwise left as it is, with what it would take away. */
function fixLock(s: Seen & { run: AppRendered }, root: string, base: BaseRevision | undefined, o: CiRunOptions) {
  const old = s.run.lockState.lock!;
  const done = (action: LockDone['action'], detail: string[]): LockDone => ({
    id: s.app.id,
    appName: s.ctx.appName,
    file: s.run.lockState.file,
    action,
    detail,
  });
  const howTo = `a change that takes something away needs a person: run ${lockHint(s.ctx)} (with --accept where it asks) and commit the lock`;
  // What the checks already refuse against the lock (a deletion, a lost protection, a source change):
  // only `lock` with a person's --accept may take it into the lock.
  const away = s.run.findings.filter(
    (f) => f.severity === 'error' && CATALOG[f.rule].comparesWithLock && f.rule !== 'lock-stale',
  );
  if (away.length) return done('kept', [`the change takes something away (${briefly(away)})`, howTo]);
  const outcome = reconcile(s.ctx, s.run, base, o.env);
  if (outcome.kind === 'usage') return done('kept', [outcome.error.message]);
  if (outcome.kind === 'refused') return done('kept', [...reasons(outcome.findings), howTo]);
  if (outcome.kind !== 'write') return done('kept', [`unexpected outcome ${outcome.kind}`]);
  if (serializeLock(outcome.lock) === serializeLock(old)) return undefined;
  const verdict = lockRefresh(diffLock(old, outcome.lock));
  if (verdict.kind === 'keep') return done('kept', [...verdict.why, howTo]);
  const gate = lockGateFindings(s.run.findings, false);
  if (hasErrors(gate)) return done('kept', [refusedBy(gate)]);
  try {
    writeLock(root, outcome.lock);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return done('kept', [e.message]);
  }
  return done('rewritten', [outcome.summary]);
}

/** Runs --init and/or --fix-locks, then an ordinary `ci` run for the verdict. `o.onApp` and the final
 * report belong to that last run. */
export async function runAdoption(
  o: CiRunOptions,
  flags: AdoptFlags,
): Promise<{ adoption: Adoption; result: CiResult }> {
  const root = o.repo.root;
  const seen: Seen[] = [];
  const first = await runCi({ ...o, onApp: undefined, onRendered: (app, ctx, run) => seen.push({ app, ctx, run }) });
  const adoption: Adoption = { flags, configs: [], locks: [], failed: [] };
  for (const app of first.report.apps)
    if (app.verdict === 'failed')
      adoption.failed.push({ id: app.id, why: reasons(app.findings)[0] ?? 'the render failed' });

  const rendered = () => seen.filter((s): s is Seen & { run: AppRendered } => s.run.ok);
  if (flags.init) {
    const inputs = rendered().map((s) => ({
      id: s.app.id,
      app: s.ctx,
      dir: repoDir(root, s.ctx.appDir),
      // Anything by that name (a file, a link, a folder) is the team's: never replaced.
      hasConfigFile: lstatOrUndefined(join(s.ctx.appDir, CONFIG_FILE), CONFIG_FILE) !== undefined,
      objects: s.run.objects,
      config: s.run.config,
      policy: s.run.policy,
      findings: s.run.findings,
    }));
    const plan = planAdoption(inputs);
    adoption.plan = plan;
    const written = new Set<string>();
    for (const c of plan.configs) {
      if (c.action !== 'write') {
        adoption.configs.push(c);
        continue;
      }
      try {
        writeFileNoFollow(root, c.file, c.text!);
        written.add(c.dir);
        adoption.configs.push(c);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        adoption.configs.push({ ...c, error: e.message });
      }
    }
    // The apps that read a new file render again, so their locks are written from what they render
    // under it (the lock itself does not depend on these two lists, but the checks that gate it do).
    const pool = new Pool(Math.max(1, o.jobs));
    await Promise.all(
      seen
        .filter((s) => written.has(repoDir(root, s.ctx.appDir)))
        .map((s) =>
          pool.run(async () => {
            try {
              s.run = await runApp(s.ctx, {
                mode: 'ci',
                env: o.env,
                cwd: o.cwd,
                policyFile: o.policyFile,
                runner: o.runner,
                signal: o.signal,
              });
            } catch (e) {
              // What runCi makes of a throw: that app's failure (no lock is written for it).
              const failure = new RenderFailure(e instanceof Error ? e.message : String(e));
              s.run = { ok: false, objects: [], findings: [renderFailedFinding(failure)], failure };
            }
          }),
        ),
    );
  }
  if (flags.init || flags.fixLocks) {
    const found = defaultBase(root, o.env);
    const base = 'commit' in found ? found : undefined;
    // An app name with several sources of this repository has one lock for all of them: `lock` writes
    // it from one source, so neither flag guesses which.
    const names = new Map<string, number>();
    const firstOf = new Map<string, Seen>();
    for (const s of seen) {
      names.set(s.ctx.appName, (names.get(s.ctx.appName) ?? 0) + 1);
      if (!firstOf.has(s.ctx.appName)) firstOf.set(s.ctx.appName, s);
    }
    for (const s of rendered()) {
      const hasLock = s.run.lockState.lock !== undefined;
      if ((hasLock ? !flags.fixLocks : !flags.init) || names.get(s.ctx.appName)! > 1) continue;
      const done = hasLock ? fixLock(s, root, base, o) : initLock(s, root, base, o);
      if (done) adoption.locks.push(done);
    }
    for (const [appName, n] of names) {
      const s = firstOf.get(appName)!;
      if (n > 1 && (s.run.ok && s.run.lockState.lock ? flags.fixLocks : flags.init))
        adoption.locks.push({
          id: s.app.id,
          appName,
          file: lockPath(appName),
          action: s.run.ok && s.run.lockState.lock ? 'kept' : 'not-written',
          detail: [
            `the app has ${n} sources of this repository, which share one lock: write it with ${lockHint(s.ctx)}`,
          ],
        });
    }
  }
  adoption.locks.sort((a, b) => byCodeUnit(a.id, b.id));
  // The verdict: an ordinary ci run over the repository as it is now.
  const result = await runCi(o);
  return { adoption, result };
}
