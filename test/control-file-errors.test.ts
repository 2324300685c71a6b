// A user's mistake is never a stack trace (issue 8 §8): a folder where a control file should be, in
// every command, ends with one clear line, exit 2 and an empty stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, requireTools, runCli, type RunResult } from './helpers';
import { generate, lock, type App } from './lock-helpers';

const APP: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
const NO_FREEZE = { SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-test-freeze' };

function assertOneLine(r: RunResult, what: string): void {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.doesNotMatch(r.stderr, /^\s+at |node:internal|FATAL ERROR|internal error/m, `${what}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
  assert.match(lines[0]!, /^(error\[render-failed\][: ]|safe-render: error: ).*\S/, what);
}

function renderApp(repo: string): RunResult {
  return runCli(['render', APP.path, '--app', APP.name, '-n', APP.namespace], { cwd: repo, env: NO_FREEZE });
}

const FOLDERS: Record<string, string> = {
  'safe-render.yaml': 'apps/web/safe-render.yaml',
  FREEZE: '.safe-render/FREEZE',
  lock: '.safe-render/locks/web.lock',
  index: '.safe-render/index',
};

for (const [name, folder] of Object.entries(FOLDERS)) {
  test(`a folder named ${name} where the file should be: one line, exit 2, in render, generate and lock`, () => {
    const repo = makeRepo({ 'apps/web/cm.yaml': manifest('ConfigMap', 'settings') });
    mkdirSync(join(repo, folder), { recursive: true });
    writeFileSync(join(repo, folder, 'inside'), 'x\n');
    assertOneLine(renderApp(repo), `render (${name})`);
    assertOneLine(generate(repo, APP), `generate (${name})`);
    assertOneLine(lock(repo, APP), `lock (${name})`);
  });
}

test('a folder where a helm value file should be: one line, exit 2', () => {
  requireTools();
  const repo = makeRepo({
    'apps/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'apps/web/templates/cm.yaml': manifest('ConfigMap', 'settings'),
    'apps/web/safe-render.yaml': 'helm:\n  valueFiles: [values-prod.yaml]\n',
  });
  mkdirSync(join(repo, 'apps/web/values-prod.yaml'));
  assertOneLine(renderApp(repo), 'render (values file)');
});

test('a file where the .safe-render folder should be: lock ends with one line, exit 2', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': manifest('ConfigMap', 'settings'), '.safe-render': 'not a folder\n' });
  assertOneLine(lock(repo, APP), 'lock (.safe-render file)');
});

test('the same repository with the control files in place renders', () => {
  const repo = makeRepo({
    'apps/web/cm.yaml': manifest('ConfigMap', 'settings'),
    'apps/web/safe-render.yaml': 'recurse: false\n',
  });
  const r = renderApp(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"name":"settings"/);
});

test('SAFE_RENDER_DEBUG=1 adds the stack trace of an unexpected error after its one line', () => {
  const repo = makeRepo({ 'apps/web/cm.yaml': manifest('ConfigMap', 'settings') });
  mkdirSync(join(repo, 'apps/web/safe-render.yaml'));
  const r = runCli(['render', APP.path, '--app', APP.name, '-n', APP.namespace], {
    cwd: repo,
    env: { ...NO_FREEZE, SAFE_RENDER_DEBUG: '1' },
  });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  // Whichever reader refuses the folder: a RenderFailure/UsageError stays one line even when debugging.
  assert.match(r.stderr.split('\n')[0]!, /^(error\[render-failed\][: ]|safe-render: error: )/);
  assert.doesNotMatch(r.stderr.split('\n')[0]!, /^\s+at /);
});
