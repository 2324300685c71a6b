// Laptop tools (issue 14): `render` from safe-render's own checkout uses its pinned tools in .tools/bin
// and says which binary ran; without them it says how to get them (`npm run tools`), not "install it
// in the sidecar image"; a rendered repository's own .tools/bin is never used; `generate` is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE, makeRepo, manifest, requireTools, runCli, TOOLS_BIN, type RunResult } from './helpers';

/** A PATH with neither kubectl nor helm on it (this machine may have them in /usr/bin). */
const NO_TOOLS = { PATH: '/nonexistent' };

const KAPP = { 'kapp/kustomization.yaml': 'resources:\n- cm.yaml\n', 'kapp/cm.yaml': manifest('ConfigMap', 'a') };
const HAPP = {
  'happ/Chart.yaml': 'apiVersion: v2\nname: happ\nversion: 0.1.0\n',
  'happ/templates/cm.yaml': manifest('ConfigMap', 'h'),
};

/** The bundle run from a copy outside any checkout (an npm install, a downloaded file). */
function runCopy(args: string[], cwd: string, dir: string): RunResult {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const copy = join(dir, 'dist/safe-render.cjs');
  copyFileSync(BUNDLE, copy);
  const r = spawnSync(process.execPath, [copy, ...args], { cwd, env: NO_TOOLS, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('render from the checkout runs its pinned tools when PATH has none, and says which binary ran', () => {
  requireTools();
  const repo = makeRepo({ ...KAPP, ...HAPP });
  const k = runCli(['render', 'kapp', '-n', 'prod'], { cwd: repo, cleanEnv: true, env: NO_TOOLS });
  assert.equal(k.code, 0, k.stderr);
  assert.match(k.stdout, /"name":"a"/);
  assert.deepEqual(k.stderr.split('\n'), [
    `safe-render: ran kubectl: ${join(TOOLS_BIN, 'kubectl')} (this checkout's pinned tools)`,
    'safe-render: app "kapp" (engine: kustomize): 1 objects from 1 files, 0 warnings',
    '',
  ]);
  const h = runCli(['render', 'happ', '-n', 'prod'], { cwd: repo, cleanEnv: true, env: NO_TOOLS });
  assert.equal(h.code, 0, h.stderr);
  assert.match(
    h.stderr,
    new RegExp(`^safe-render: ran helm: ${join(TOOLS_BIN, 'helm')} \\(this checkout's pinned tools\\)$`, 'm'),
  );
  // A plain folder runs no tool and says nothing about one.
  const p = runCli(['render', 'plain', '-n', 'prod'], {
    cwd: makeRepo({ 'plain/cm.yaml': manifest('ConfigMap', 'p') }),
    cleanEnv: true,
    env: NO_TOOLS,
  });
  assert.equal(p.code, 0, p.stderr);
  assert.doesNotMatch(p.stderr, /ran /);
});

test('render without the tools says how to get them; generate keeps the sidecar message', () => {
  const repo = makeRepo({ ...KAPP, ...HAPP });
  const out = makeRepo({});
  for (const [app, cmd] of [
    ['kapp', 'kubectl'],
    ['happ', 'helm'],
  ] as const) {
    const r = runCopy(['render', app, '-n', 'prod'], repo, out);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(
        `^error\\[render-failed\\]: (kustomize|helm) binary "${cmd}" was not found on PATH\\. Fix: run \`npm run tools\` in the safe-render checkout \\(it puts the pinned kubectl and helm in \\.tools/bin, which render uses\\), or install ${cmd} and put it on PATH \\(runbook: docs/rules/render-failed\\.md\\)$`,
        'm',
      ),
    );
    assert.doesNotMatch(r.stderr, /sidecar image/);
  }
  // generate is the sidecar's command: its image carries the tools, and .tools/bin is not looked at.
  const g = runCli(['generate'], {
    cwd: join(repo, 'kapp'),
    cleanEnv: true,
    env: { ...NO_TOOLS, ARGOCD_APP_NAME: 'kapp', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: 'kapp' },
  });
  assert.equal(g.code, 2, g.stderr);
  assert.match(g.stderr, /binary "kubectl" was not found on PATH\. Fix: install kustomize in the sidecar image/);
});

test("a rendered repository's own .tools/bin (or package.json) never supplies the binaries", () => {
  // A hostile repository: a fake kubectl in .tools/bin and a package.json that calls itself safe-render.
  const repo = makeRepo({
    ...KAPP,
    'package.json': '{"name":"safe-render"}\n',
    '.tools/bin/kubectl': '#!/bin/sh\necho "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pwned}"\n',
  });
  chmodSync(join(repo, '.tools/bin/kubectl'), 0o755);
  writeFileSync(join(repo, 'kapp/.keep'), '');
  // Run from inside the repository, with the bundle copied outside it.
  const r = runCopy(['render', '.', '-n', 'prod'], join(repo, 'kapp'), makeRepo({}));
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, /pwned|ran kubectl/);
  assert.match(r.stderr, /binary "kubectl" was not found on PATH\. Fix: run `npm run tools`/);
});
