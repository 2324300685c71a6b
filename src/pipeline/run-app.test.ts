// The pipeline as a library (issue 10): one app run many times in one process, each run with its own
// environment, at once; a render failure is a value; an abort kills the tool's whole process group.
// In-process, with the real kubectl (kustomize) from .tools/bin passed through the env's PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contextFromEnv } from '../context/build-context';
import type { ToolRunner } from '../render/run-tool';
import { runApp, type AppRun } from './run-app';
import type { Env } from './env';

const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
})();
const TOOLS_PATH = `${join(ROOT, '.tools/bin')}:/usr/local/bin:/usr/bin:/bin`;

const DEPLOY =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n';

const temps: string[] = [];
process.on('exit', () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-lib-'));
  temps.push(dir);
  mkdirSync(join(dir, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** Argo CD's build environment for app `web` in `repo/web`, plus the library's own settings. */
function sidecarEnv(repo: string, extra: Record<string, string>): Env {
  return {
    ARGOCD_APP_NAME: 'web',
    ARGOCD_APP_SOURCE_PATH: 'web',
    ARGOCD_APP_PROJECT_NAME: 'default',
    SAFE_RENDER_FREEZE_DIR: join(repo, 'no-freeze'),
    PATH: TOOLS_PATH,
    ...extra,
  };
}

async function runWeb(
  repo: string,
  env: Env,
  more: { signal?: AbortSignal; runner?: ToolRunner } = {},
): Promise<AppRun> {
  const appDir = join(repo, 'web');
  return runApp(contextFromEnv(env, appDir), { mode: 'sidecar', env, cwd: repo, ...more });
}

function deployment(run: AppRun): { namespace: string; name: string } {
  assert.ok(run.ok, run.ok ? '' : run.failure.message);
  const d = run.objects.find((o) => o.kind === 'Deployment');
  assert.ok(d, 'a Deployment was rendered');
  return { namespace: d.namespace, name: d.name };
}

function kustomizeRepo(): string {
  const repo = makeRepo({
    'web/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'web/deploy.yaml': DEPLOY,
    'policy.yaml': 'default:\n  engines:\n    timeoutSeconds: 33\n',
  });
  return repo;
}

function envA(repo: string): Env {
  return sidecarEnv(repo, {
    ARGOCD_APP_NAMESPACE: 'team-a',
    SAFE_RENDER_POLICY: 'policy.yaml',
    ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'name-prefix', string: 'a-' }]),
  });
}

function envB(repo: string): Env {
  return sidecarEnv(repo, {
    ARGOCD_APP_NAMESPACE: 'team-b',
    ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'name-prefix', string: 'b-' }]),
  });
}

/** Collects process warnings (MaxListenersExceededWarning among them) while `f` runs. */
async function noWarnings<T>(f: () => Promise<T>): Promise<T> {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const listeners = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
  try {
    const r = await f();
    // Warnings are emitted on the next tick.
    await new Promise((r2) => setImmediate(r2));
    assert.deepEqual(warnings, []);
    return r;
  } finally {
    process.off('warning', onWarning);
    assert.deepEqual(
      [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')],
      listeners,
      'the library installs no signal listener',
    );
  }
}

test('one app, twice in one process with different environments: namespace, parameters and policy of each run', async () => {
  const repo = kustomizeRepo();
  const a = await runWeb(repo, envA(repo));
  const b = await runWeb(repo, envB(repo));
  assert.deepEqual(deployment(a), { namespace: 'team-a', name: 'a-web' });
  assert.deepEqual(deployment(b), { namespace: 'team-b', name: 'b-web' });
  assert.ok(a.ok && b.ok);
  assert.equal(a.engine, 'kustomize');
  assert.equal(
    a.policy?.limits.engines?.timeoutSeconds,
    33,
    'run A read the policy its env names, relative to its cwd',
  );
  assert.equal(b.policy, undefined, 'run B has no policy: its env names none');
});

test('the same app twelve times at once (Promise.all) with one signal: every run gets its own environment, no listener warning', async () => {
  const repo = kustomizeRepo();
  const { signal } = new AbortController();
  const runs = await noWarnings(() =>
    Promise.all(Array.from({ length: 12 }, (_, i) => runWeb(repo, i % 2 ? envB(repo) : envA(repo), { signal }))),
  );
  runs.forEach((r, i) =>
    assert.deepEqual(
      deployment(r),
      i % 2 ? { namespace: 'team-b', name: 'b-web' } : { namespace: 'team-a', name: 'a-web' },
    ),
  );
});

test('a render failure is a value: the failing app gets a render-failed finding, the others in the same batch render', async () => {
  const good = kustomizeRepo();
  const bad = makeRepo({ 'web/kustomization.yaml': 'resources: [missing.yaml]\n' });
  const [x, y, z] = await Promise.all([runWeb(good, envA(good)), runWeb(bad, envB(bad)), runWeb(good, envB(good))]);
  assert.deepEqual(deployment(x!), { namespace: 'team-a', name: 'a-web' });
  assert.deepEqual(deployment(z!), { namespace: 'team-b', name: 'b-web' });
  assert.equal(y!.ok, false);
  assert.deepEqual(y!.objects, []);
  assert.equal(y!.findings.length, 1);
  const f = y!.findings[0]!;
  assert.equal(f.rule, 'render-failed');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /kustomize .* failed/);
  assert.match(f.message, /missing\.yaml/);
});

test("the tool runner is the caller's: a fake runner gets the env's PATH and its output is what is checked", async () => {
  const repo = kustomizeRepo();
  const seen: string[] = [];
  const runner: ToolRunner = async (run) => {
    seen.push(`${run.tool} PATH=${run.path}`);
    return DEPLOY.replace('name: web', 'name: from-runner');
  };
  const r = await runWeb(repo, { ...envB(repo), PATH: '/opt/tools/bin' }, { runner });
  assert.deepEqual(deployment(r), { namespace: 'team-b', name: 'from-runner' });
  assert.deepEqual(seen, ['kustomize PATH=/opt/tools/bin']);
});

/** A `kustomize` on the env's PATH that records its process group, starts a child that also sleeps
 * (in the same group), and sleeps itself: only killing the whole group ends both. */
function fakeSlowKustomize(): { bin: string; pidFile: string } {
  const bin = mkdtempSync(join(tmpdir(), 'safe-render-fake-tool-'));
  temps.push(bin);
  const pidFile = join(bin, 'pgid');
  writeFileSync(
    join(bin, 'kustomize'),
    `#!/bin/sh\nsleep 300 &\necho $$ > ${pidFile}.tmp\nmv ${pidFile}.tmp ${pidFile}\nsleep 300\n`,
  );
  chmodSync(join(bin, 'kustomize'), 0o755);
  return { bin, pidFile };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    assert.equal((e as NodeJS.ErrnoException).code, 'ESRCH');
    return false;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

for (const reason of ['SIGTERM', undefined] as const) {
  test(`aborting a running tool (${reason ?? 'no reason'}): the run ends as render-failed and no process of the tool's group is left`, async () => {
    const repo = kustomizeRepo();
    const { bin, pidFile } = fakeSlowKustomize();
    const controller = new AbortController();
    const started = Date.now();
    const run = noWarnings(() =>
      runWeb(repo, { ...envB(repo), PATH: `${bin}:/usr/bin:/bin` }, { signal: controller.signal }),
    );
    assert.ok(await until(() => existsSync(pidFile), 20_000), 'the fake tool started');
    const pgid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(pgid > 1 && groupAlive(pgid), 'the tool and its child are running');
    controller.abort(reason);
    const r = await run;
    assert.ok(Date.now() - started < 20_000, 'the run ended on the abort, not on a timeout');
    assert.equal(r.ok, false);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.rule, 'render-failed');
    assert.equal(
      r.findings[0]!.message,
      reason
        ? 'safe-render received SIGTERM while kustomize was running; both were stopped'
        : 'safe-render was cancelled while kustomize was running; both were stopped',
    );
    // SIGKILL to the group: the sleeping child goes too (reaped by init once its shell is gone).
    assert.ok(await until(() => !groupAlive(pgid), 5_000), `process group ${pgid} is gone`);
  });
}

test('a signal aborted before the run starts: no tool is started, render-failed', async () => {
  const repo = kustomizeRepo();
  const r = await runWeb(repo, envB(repo), { signal: AbortSignal.abort('SIGINT') });
  assert.equal(r.ok, false);
  assert.equal(r.findings[0]!.rule, 'render-failed');
  assert.equal(r.findings[0]!.message, 'safe-render received SIGINT before kustomize started; it was not run');
});
