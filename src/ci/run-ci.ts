// `safe-render ci` as a library call (issue 11): discover every app of the repository, render each
// checked one through runApp exactly as `generate` would (mode 'ci'), in a pool of `jobs`; follow
// app-of-apps and ApplicationSets to any depth, each (id, context) once; then the cross-app checks.
// One app's failure is that app's verdict, never the end of the run.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join, posix } from 'node:path';
import { generateApplications } from '../appset/generate';
import { appSetRepoAt } from './appset-repo';
import type { ArgoInstall } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import { sourceContext } from '../context/application-source';
import { emitStream } from '../emit/streams';
import { hasErrors, type Finding } from '../checks/finding';
import { asObject, type JsonObject, type ManifestObject } from '../model/object';
import type { LockChange } from '../lock/diff';
import { lockAtBase, type BaseRevision } from '../lock/base-revision';
import type { LockFile } from '../lock/lock-file';
import { objectRef } from '../lock/snapshot';
import { INDEX_FILE, parseIndex } from '../lock/store';
import type { Env } from '../pipeline/env';
import { loadPolicy } from '../pipeline/policy';
import { runApp, type AppRendered, type AppRun } from '../pipeline/run-app';
import type { ToolRunner } from '../render/run-tool';
import { renderFailedFinding } from '../report/format';
import { RenderFailure, UsageError } from '../util/errors';
import { entryExists, excerpt, isInside, readOptionalRepoFile } from '../util/repo-file';
import { byCodeUnit } from '../util/compare';
import { normalizeGitURL } from '../util/repo-url';
import { candidatesOf, type Candidate, type Origin } from './app-candidates';
import { preferredPlace } from './app-place';
import { repositoryFindings } from './cross-app';
import { reportExitCode } from './merge';
import { argoKind, discoverArgoObjects } from './discover';
import type { NativePreview } from './native-source';
import { Pool } from './pool';
import { CI_REPORT_VERSION, type CiApp, type CiReport, type NotEvaluated, type Place } from './report-model';
import type { RepositoryFacts } from './repository';
import { shardOf } from './shard';
import { CONFIG_FILE } from '../config/app-config';

/** Apps (checked or skipped) one run follows at most: app-of-apps and ApplicationSets come from
 * repository content, so the work they cause is bounded. */
export const MAX_CI_APPS = 20_000;
/** App-of-apps levels followed (a root, its children, theirs...). */
export const MAX_APP_DEPTH = 16;

export interface CiRunOptions {
  repo: RepositoryFacts;
  pluginName: string;
  /** `--include-native`: also check this repository's apps that use Argo CD's directory, kustomize or
   * helm, rendered as safe-render renders the same folder (native-source.ts). */
  includeNative?: boolean;
  controlPlaneNamespace: string;
  kubeVersion: string;
  apiVersions: readonly string[];
  policyFile?: string;
  jobs: number;
  /** 1-based. */
  shard?: { index: number; count: number };
  maxDeletions: number;
  /** The revision the pull request started from (`--base`, default the merge base with the default
   * branch): deletions each lock accepted since then count in the repository-wide budget. Undefined
   * when there is none (no git, no default branch): only pending deletions count. */
  base?: BaseRevision;
  env: Env;
  cwd: string;
  signal: AbortSignal;
  /** safe-render's version, for the report. */
  tool: string;
  runner?: ToolRunner;
  /** After each reported app is done (for --verbose). */
  onApp?: (app: CiApp) => void;
  /** After each reported app that rendered, with the context it ran in and runApp's result: what
   * `ci --init` and `ci --fix-locks` (adopt.ts) decide from. */
  onRendered?: (app: CiApp, ctx: AppContext, run: AppRun) => void;
  /** After each change of the counts (for the progress line). */
  onProgress?: (p: Progress) => void;
  now?: () => number;
}

export interface Progress {
  done: number;
  left: number;
  failures: number;
  slowest?: { id: string; ms: number };
}

export interface CiResult {
  report: CiReport;
  /** Files discovery did not read, and why (for --verbose). */
  notes: string[];
}

interface Rendered {
  run?: AppRun;
  /** A failure before or around runApp (bad parameters, a source path leaving the repository). */
  failure?: Finding;
  durationMs: number;
  sha256?: string;
  bytes?: number;
}

interface Entry {
  c: Candidate;
  ctx?: AppContext;
  reported: boolean;
  rendered?: Rendered;
}

const failed = (message: string, fix: string): Finding => renderFailedFinding({ message, fix });

/** Turns what runApp throws (a usage error of the app's own files, an unexpected error) into the
 * app's render failure: in ci every app is judged on its own. */
function thrownFinding(e: unknown): Finding {
  if (e instanceof RenderFailure) return renderFailedFinding({ ...e, message: e.message, fix: e.fix ?? '' });
  const msg = excerpt(e instanceof Error ? e.message : String(e), 300);
  return failed(msg, e instanceof UsageError ? 'fix the file named in the message' : 'see the message');
}

/** The app folder the sidecar would run in: root + source path, never outside the repository. */
function appDirOf(root: string, sourcePath: string): string {
  // Argo CD joins the path under the checkout (argo-cd util/io/path `Path`): a leading `/` stays inside.
  const clean = posix.normalize(`./${sourcePath || '.'}`);
  if (clean === '..' || clean.startsWith('../'))
    throw new RenderFailure(
      `the source path "${excerpt(sourcePath, 120)}" leaves the repository`,
      undefined,
      'use a path inside the repository',
    );
  const abs = join(root, clean);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new RenderFailure(
      `the source path "${excerpt(sourcePath, 120)}" does not exist in the repository`,
      undefined,
      'fix spec.source.path',
    );
  }
  if (!isInside(root, real))
    throw new RenderFailure(
      `the source path "${excerpt(sourcePath, 120)}" leads outside the repository through a symlink`,
      undefined,
      'use a path inside the repository',
    );
  return real;
}

function manifestObjectOf(body: JsonObject, namespace: string, place: Place): ManifestObject {
  const name = String(asObject(body.metadata).name ?? '');
  return {
    body,
    source: place,
    apiVersion: String(body.apiVersion),
    kind: String(body.kind),
    group: 'argoproj.io',
    name,
    declaredNamespace: String(asObject(body.metadata).namespace ?? ''),
    namespace,
    scope: 'Namespaced',
    key: `argoproj.io/${String(body.kind)}/${namespace}/${name}`,
  };
}

export async function runCi(o: CiRunOptions): Promise<CiResult> {
  const now = o.now ?? Date.now;
  const t0 = now();
  const root = o.repo.root;
  // The policy is read once up front: a named policy that is missing or invalid stops ci (exit 2).
  const install: ArgoInstall = loadPolicy({ appName: '', project: '' }, o.env, o.cwd, o.policyFile)?.argocd ?? {};
  const discovery = discoverArgoObjects(root);
  const classify = {
    repoURL: o.repo.url,
    pluginName: o.pluginName,
    repoRoot: root,
    controlPlaneNamespace: o.controlPlaneNamespace,
    includeNative: o.includeNative === true,
  };
  const appSetRepo = appSetRepoAt(root, o.repo.url);
  const inShard = (id: string) => !o.shard || shardOf(id, o.shard.count) === o.shard.index;
  const acceptedSince = acceptedSinceBase(root, o.base, o.env);

  const entries = new Map<string, Entry>();
  const notEvaluated = new Map<string, NotEvaluated>();
  const renders = new Map<string, Promise<Rendered>>();
  const tasks: Promise<void>[] = [];
  const pool = new Pool(Math.max(1, o.jobs));
  const progress: Progress = { done: 0, left: 0, failures: 0 };
  let overLimit = 0;

  const report = () => o.onProgress?.({ ...progress });

  const addSkipped = (c: Candidate, why: string) => {
    const key = `skip\0${c.id}\0${c.sourceIndex ?? ''}\0${why}\0${c.definedIn.file}:${c.definedIn.line}`;
    const seen = entries.get(key);
    if (seen) return mergeInto(seen, c);
    entries.set(key, { c: { ...c, skipped: why }, reported: inShard(c.id) });
  };

  const unchecked = (c: Candidate, why: string) => {
    const key = `unchecked\0${c.id}\0${c.sourceIndex ?? ''}\0${c.definedIn.file}:${c.definedIn.line}`;
    if (entries.has(key)) return;
    const fix = 'split the repository with --shard, or flatten the app-of-apps';
    entries.set(key, {
      c: { ...c, skipped: undefined },
      reported: inShard(c.id),
      rendered: { failure: failed(`not checked: ${why}`, fix), durationMs: 0 },
    });
  };

  const mayHoldApps = (ctx: AppContext): boolean => {
    const dir = posix.normalize(`./${ctx.sourcePath || '.'}`);
    if (dir === '.' && discovery.argoFiles.length) return true;
    if (discovery.argoFiles.some((f) => f.startsWith(`${dir}/`))) return true;
    // A kustomization may pull in files from anywhere in the repository. A chart's templates, and the
    // patches of safe-render.yaml, build text no file holds (`{{ printf "%s.%s" "argoproj" "io" }}`,
    // a value from the Application's parameters): reading files cannot tell, so such an app is rendered
    // in every shard, or the children of a parent in another shard would be checked by no shard.
    return ['kustomization.yaml', 'kustomization.yml', 'Kustomization', 'Chart.yaml', CONFIG_FILE].some((f) =>
      entryExists(join(ctx.appDir, f)),
    );
  };

  const renderOnce = (ctx: AppContext, key: string): Promise<Rendered> => {
    let p = renders.get(key);
    if (!p) {
      p = pool.run(() => renderApp(ctx));
      renders.set(key, p);
    }
    return p;
  };

  const renderApp = async (ctx: AppContext): Promise<Rendered> => {
    const start = now();
    // Each app its own AbortSignal, a child of the host's: a signal stops every app's tools.
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(o.signal.reason);
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const run = await runApp(ctx, {
        mode: 'ci',
        env: o.env,
        cwd: o.cwd,
        policyFile: o.policyFile,
        runner: o.runner,
        signal: ctl.signal,
      });
      const r: Rendered = { run, durationMs: now() - start };
      if (run.ok && !hasErrors(run.findings)) {
        // Exactly what `generate` prints for it (commands/generate.ts).
        const text = emitStream(run.objects, 'json');
        r.sha256 = createHash('sha256').update(text).digest('hex');
        r.bytes = Buffer.byteLength(text);
      }
      return r;
    } catch (e) {
      return { failure: thrownFinding(e), durationMs: now() - start };
    } finally {
      o.signal.removeEventListener('abort', onAbort);
    }
  };

  const addAppSet = (body: JsonObject, namespace: string, origin: Origin) => {
    const name = String(asObject(body.metadata).name ?? '');
    const appSet = `${namespace}/${name}`;
    const result = generateApplications(manifestObjectOf(body, namespace, origin.definedIn), appSetRepo, install);
    const note = (generator: string, why: string) => {
      const k = `${appSet}\0${generator}\0${why}`;
      if (!notEvaluated.has(k)) notEvaluated.set(k, { appSet, generator, why, definedIn: origin.definedIn });
    };
    for (const n of result.notEvaluated) note(n.generator, n.why);
    // An invalid ApplicationSet generates nothing in Argo CD (and deletes nothing): say why here.
    for (const err of result.errors) note('(template)', err);
    for (const g of result.apps) {
      const meta = asObject(g.body.metadata);
      const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : namespace;
      for (const c of candidatesOf(g.body, ns, { ...origin, appSet }, classify)) add(c);
    }
  };

  const addChildren = (objects: readonly ManifestObject[], parent: Candidate) => {
    for (const obj of objects) {
      if (obj.group !== 'argoproj.io' || !argoKind(obj.body)) continue;
      const origin: Origin = { definedIn: { ...obj.source }, parent: parent.id, depth: parent.depth + 1 };
      if (obj.kind === 'ApplicationSet') addAppSet(obj.body, obj.namespace, origin);
      else for (const c of candidatesOf(obj.body, obj.namespace, origin, classify)) add(c);
    }
  };

  function add(c: Candidate): void {
    // Over a bound, fail closed: an app ci could not check is a failure, never a pass.
    if (entries.size >= MAX_CI_APPS) {
      if (overLimit++ === 0)
        unchecked(c, `more than ${MAX_CI_APPS} apps in one run: this app and the ones found after it were not checked`);
      return;
    }
    if (c.depth > MAX_APP_DEPTH) return unchecked(c, `app-of-apps nested deeper than ${MAX_APP_DEPTH} levels`);
    if (c.skipped !== undefined) return addSkipped(c, c.skipped);
    let ctx: AppContext | undefined;
    let failure: Finding | undefined;
    const where = `${c.definedIn.file}:${c.definedIn.line}`;
    try {
      const sourcePath = typeof c.source.path === 'string' ? c.source.path : '';
      ctx = sourceContext({
        names: { id: c.id, appName: c.appName, namespace: '' },
        spec: c.spec,
        source: c.source,
        revision: o.repo.revision,
        kubeVersion: o.kubeVersion,
        apiVersions: o.apiVersions,
        appDir: appDirOf(root, sourcePath),
        repoRoot: root,
        where,
      });
    } catch (e) {
      failure = thrownFinding(e);
    }
    const ctxKey = ctx ? JSON.stringify(ctx) : `failed\0${where}`;
    const key = `${c.id}\0${c.sourceIndex ?? ''}\0${ctxKey}`;
    const seen = entries.get(key);
    // The same app reached twice (a file and its parent's render, two parents): run once.
    if (seen) return mergeInto(seen, c);
    const entry: Entry = { c, ctx, reported: inShard(c.id) };
    entries.set(key, entry);
    if (!ctx) {
      entry.rendered = { failure, durationMs: 0 };
      return;
    }
    // Outside the shard an app is rendered only to find the apps it renders.
    if (!entry.reported && !mayHoldApps(ctx)) return;
    if (entry.reported) progress.left++;
    report();
    const appCtx = ctx;
    tasks.push(
      renderOnce(appCtx, ctxKey).then((r) => {
        entry.rendered = r;
        if (entry.reported) {
          progress.left--;
          progress.done++;
          if (!r.run?.ok || hasErrors(r.run.findings)) progress.failures++;
          if (!progress.slowest || r.durationMs > progress.slowest.ms)
            progress.slowest = { id: c.id, ms: r.durationMs };
          o.onApp?.(ciApp(entry, acceptedSince));
          if (r.run) o.onRendered?.(ciApp(entry, acceptedSince), appCtx, r.run);
          report();
        }
        if (r.run?.ok) addChildren(r.run.objects, c);
      }),
    );
  }

  for (const f of discovery.objects) {
    const meta = asObject(f.body.metadata);
    const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : undefined;
    const origin: Origin = { definedIn: f.definedIn, depth: 0 };
    if (f.kind === 'ApplicationSet') addAppSet(f.body, ns ?? o.controlPlaneNamespace, origin);
    else for (const c of candidatesOf(f.body, ns, origin, classify)) add(c);
  }
  // Children add tasks while earlier ones finish: wait until none is left.
  while (tasks.length) await Promise.all(tasks.splice(0));

  const apps = [...entries.values()]
    .filter((e) => e.reported)
    .map((e) => ciApp(e, acceptedSince))
    .sort(compareApps);
  // The index is read in every run and carried in the report, so that `ci merge` can check it over
  // every shard's apps; a shard alone cannot tell an orphaned lock from another shard's app.
  const indexText = readOptionalRepoFile(root, join(root, INDEX_FILE), { shown: INDEX_FILE, kind: 'index' });
  const lockedApps = indexText === undefined ? [] : parseIndex(indexText);
  // Each ApplicationSet's notes go to the shard of its name, so the shards' union is the whole run's.
  const notEval = [...notEvaluated.values()]
    .filter((n) => inShard(n.appSet))
    .sort((a, b) => byCodeUnit(a.appSet, b.appSet) || byCodeUnit(a.generator, b.generator) || byCodeUnit(a.why, b.why));
  const findings = repositoryFindings(apps, {
    maxDeletions: o.maxDeletions,
    lockedApps: o.shard ? undefined : lockedApps,
    notEvaluated: [...notEvaluated.values()],
  });
  const report_: CiReport = {
    kind: 'safe-render-ci',
    version: CI_REPORT_VERSION,
    tool: o.tool,
    repo: { url: normalizeGitURL(o.repo.url), revision: o.repo.revision },
    ...(o.shard ? { shard: { ...o.shard } } : {}),
    apps,
    notEvaluated: notEval,
    lockedApps,
    maxDeletions: o.maxDeletions,
    findings,
    exitCode: reportExitCode(apps, findings),
    durationMs: now() - t0,
  };
  return { report: report_, notes: discovery.notes };
}

/** An app reached twice (its file and a parent's render, or two parents) names the smallest parent id
 * and the place app-place.ts prefers (a repository file over a tool's output, then the first), so the
 * report does not depend on which render finished first. An app-of-apps that renders its own
 * Application (it manages itself) is not its own parent. */
function mergeInto(e: Entry, c: Candidate): void {
  if (c.parent !== undefined && c.parent !== e.c.id && (e.c.parent === undefined || c.parent < e.c.parent))
    e.c.parent = c.parent;
  e.c.definedIn = preferredPlace(c.definedIn, e.c.definedIn);
}

function compareApps(a: CiApp, b: CiApp): number {
  return (
    byCodeUnit(a.id, b.id) ||
    (a.sourceIndex ?? -1) - (b.sourceIndex ?? -1) ||
    byCodeUnit(a.definedIn.file, b.definedIn.file) ||
    a.definedIn.line - b.definedIn.line ||
    byCodeUnit(a.parent ?? '', b.parent ?? '') ||
    byCodeUnit(a.sha256 ?? '', b.sha256 ?? '')
  );
}

/** spec.destination's server and name as written (cross-app-collision compares per cluster). */
function destinationOf(spec: JsonObject): { destination?: { server?: string; name?: string } } {
  const d = asObject(spec.destination);
  const server = typeof d.server === 'string' && d.server !== '' ? d.server : undefined;
  const name = typeof d.name === 'string' && d.name !== '' ? d.name : undefined;
  if (server === undefined && name === undefined) return {};
  return { destination: { ...(server !== undefined ? { server } : {}), ...(name !== undefined ? { name } : {}) } };
}

/** What the render takes away from the lock: objects, and Applications an ApplicationSet no longer
 * generates under a policy that deletes them (each deletes everything it deployed). */
function pendingDeletions(changes: readonly LockChange[]): number {
  return changes.filter((ch) => ch.kind === 'deleted' || (ch.kind === 'generated-removed' && ch.kept === undefined))
    .length;
}

/** What a native app's preview ran with (report-model.ts CiApp.native): the same fields
 * sourceContext reads, also when the context could not be built (a missing path). */
function nativeOf(c: Candidate, ctx: AppContext | undefined): { native?: NativePreview } {
  if (!c.native) return {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    native: {
      ...c.native,
      namespace: ctx?.namespace ?? str(asObject(c.spec.destination).namespace),
      project: ctx?.project ?? (str(c.spec.project) || 'default'),
      targetRevision: ctx?.targetRevision ?? str(c.source.targetRevision),
    },
  };
}

/** Objects a lock gave up since the base revision, each accepted with `lock --accept` in this change:
 * what the base's lock records that neither the lock now nor the render has (issue 11: a shared
 * template change that shrinks many apps, each within its own budget and accepted app by app, is
 * caught by the repository-wide budget). A base lock that cannot be read counts nothing here; `lock
 * --check` reports it. */
function acceptedSinceBase(root: string, base: BaseRevision | undefined, env: Env): (run: AppRendered) => number {
  if (!base) return () => 0;
  // ciApp runs for an app up to three times (onApp, onRendered, the report): git is asked once.
  const counted = new WeakMap<AppRendered, number>();
  const count = (run: AppRendered): number => {
    const now = run.lockState.lock;
    if (!now) return 0;
    let was: LockFile | undefined;
    try {
      was = lockAtBase(root, base, run.lockState.file, env);
    } catch {
      return 0;
    }
    if (!was) return 0;
    const rendered = new Set(run.objects.map(objectRef));
    let n = 0;
    for (const ref of was.objects.keys()) if (!now.objects.has(ref) && !rendered.has(ref)) n++;
    return n;
  };
  return (run) => {
    let n = counted.get(run);
    if (n === undefined) counted.set(run, (n = count(run)));
    return n;
  };
}

function ciApp(e: Entry, acceptedSince: (run: AppRendered) => number): CiApp {
  const { c, ctx, rendered: r } = e;
  const base = {
    id: c.id,
    appName: c.appName,
    definedIn: c.definedIn,
    ...(c.parent !== undefined ? { parent: c.parent } : {}),
    ...(c.appSet !== undefined ? { appSet: c.appSet } : {}),
    ...(c.sourceIndex !== undefined ? { sourceIndex: c.sourceIndex } : {}),
    ...destinationOf(c.spec),
  };
  if (c.skipped !== undefined)
    return {
      ...base,
      verdict: 'skipped',
      skipped: c.skipped,
      objects: [],
      deletions: { pending: 0, accepted: 0 },
      findings: [],
      durationMs: 0,
    };
  const sourcePath = typeof c.source.path === 'string' ? c.source.path : '';
  const run = r?.run;
  if (!run || !run.ok) {
    const findings = run ? run.findings : [r?.failure ?? failed('not rendered', '')];
    return {
      ...base,
      verdict: 'failed',
      sourcePath,
      ...nativeOf(c, ctx),
      objects: [],
      deletions: { pending: 0, accepted: 0 },
      findings,
      durationMs: r?.durationMs ?? 0,
    };
  }
  return {
    ...base,
    ...nativeOf(c, ctx),
    verdict: hasErrors(run.findings) ? 'refused' : 'passed',
    sourcePath,
    engine: run.engine,
    objects: run.objects.map((obj) => ({ ref: objectRef(obj), file: obj.source.file, line: obj.source.line })),
    deletions: { pending: pendingDeletions(run.lockChanges), accepted: acceptedSince(run) },
    findings: run.findings,
    ...(r.sha256 !== undefined ? { sha256: r.sha256, bytes: r.bytes } : {}),
    durationMs: r.durationMs,
  };
}
