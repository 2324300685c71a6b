#!/usr/bin/env node
// `safe-render ci` next to one `safe-render render` process per app (issue 11, "Done when"): a
// generated Git repository of N small plugin apps (default 200: plain folders, every tenth a
// kustomization) checked by one `ci` run, and the same apps rendered by N separate `render` processes
// one after another, as a CI job without `ci` would. Target: `ci` takes at most half their total time.
// Prints the time per app both ways. A report: exits 0 whether or not the target is met, 1 only when a
// run fails.
//
//   node scripts/bench-ci.mjs [--apps N] [--jobs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(root, 'dist/safe-render.cjs');
const PATH = `${join(root, '.tools/bin')}:${process.env.PATH ?? ''}`;
const URL_ = 'https://github.com/acme/bench.git';
const TARGET = 0.5;

/** @param {string} name @param {number} dflt */
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const APPS = arg('apps', 200);
const JOBS = arg('jobs', availableParallelism());

/** @param {string} cmd @param {string[]} args @param {string} cwd */
function run(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, PATH }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
    process.exit(1);
  }
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'safe-render-bench-ci-'));
try {
  for (let i = 0; i < APPS; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    const app = join(dir, 'apps', name);
    mkdirSync(app, { recursive: true });
    for (let k = 0; k < 5; k++)
      writeFileSync(
        join(app, `cm-${k}.yaml`),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-${k}\ndata:\n  key: value-${k}\n`,
      );
    if (i % 10 === 0)
      writeFileSync(
        join(app, 'kustomization.yaml'),
        `resources: [${[0, 1, 2, 3, 4].map((k) => `cm-${k}.yaml`).join(', ')}]\n`,
      );
  }
  mkdirSync(join(dir, 'argocd'), { recursive: true });
  for (let i = 0; i < APPS; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    writeFileSync(
      join(dir, 'argocd', `${name}.yaml`),
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    namespace: ${name}\n  source:\n    repoURL: ${URL_}\n    targetRevision: HEAD\n    path: apps/${name}\n    plugin:\n      name: safe-render\n`,
    );
  }
  /** @param {string[]} a */
  const git = (...a) => run('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', ...a], dir);
  git('init', '-q');
  git('remote', 'add', 'origin', URL_);
  git('add', '-A');
  git('commit', '-q', '-m', 'bench');

  const ci = run(process.execPath, [BUNDLE, 'ci', '--jobs', String(JOBS), '--quiet'], dir);
  let renders = 0;
  for (let i = 0; i < APPS; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    renders += run(process.execPath, [BUNDLE, 'render', `apps/${name}`, '--app', name, '-n', name], dir);
  }
  const ratio = ci / renders;
  /** @param {number} ms */
  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`safe-render ci over ${APPS} apps (--jobs ${JOBS}, every tenth kustomize)`);
  console.log(`  ci, one process:        ${fmt(ci)}  (${(ci / APPS).toFixed(1)} ms per app)`);
  console.log(`  render, ${APPS} processes: ${fmt(renders)}  (${(renders / APPS).toFixed(1)} ms per app)`);
  console.log(`  ratio ${ratio.toFixed(2)} (target <= ${TARGET}): ${ratio <= TARGET ? 'PASS' : 'FAIL'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
