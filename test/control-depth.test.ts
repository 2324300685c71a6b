// review8 (issue 8 §8, leftover of the parse half): every YAML or JSON text we parse, not only
// manifests, is bounded in depth before the yaml package's composer (which recurses once per level,
// and whose manifest shape aborted V8 natively near 900 levels) or our recursive readers see it:
// safe-render.yaml, the platform policy, FREEZE, the lock, Chart.yaml, kustomizations and their inline
// generator entries, an ApplicationSet's elementsYaml, `lock --application FILE`. Each refusal is one
// clear line (exit 2, empty stdout), never "Maximum call stack size exceeded" or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, render, runCli, type RunResult } from './helpers';
import {
  applicationSet,
  assertClean,
  assertRefused,
  generate,
  lock,
  lockFile,
  renderApp,
  type App,
} from './lock-helpers';
import { MAX_NESTING_DEPTH } from '../src/parse/parse-manifests';

const NS = ['--namespace', 'prod'];
const TOO_DEEP = new RegExp(`nests deeper than ${MAX_NESTING_DEPTH} levels`);
const CRASH = /^\s+at |FATAL|Native stack|Maximum call stack|RangeError|internal error/m;
const CM = manifest('ConfigMap', 'a', { namespace: 'prod' });
const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';

/** Nested values of `depth` levels, in several encodings, each a YAML value for `key: <value>`. */
function deepValues(depth: number): Record<string, string> {
  let blockMaps = '\n'; // at most 600 levels: deeper is over the 1 MiB size limit of the file
  for (let i = 1; i <= Math.min(depth, 600); i++) blockMaps += `${' '.repeat(4 + i)}k:\n`; // under `    x:`
  return {
    'json arrays': `${'['.repeat(depth)}${']'.repeat(depth)}`,
    'json objects': `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    'flow maps, unclosed': `${'{a: '.repeat(depth)}`,
    'compact sequences': `\n      ${'- '.repeat(depth)}x`,
    'block maps': blockMaps,
  };
}

function refusedOnce(r: RunResult, what: string): string {
  assert.equal(r.code, 2, `${what}: ${r.stderr.slice(0, 1000)}`);
  assert.equal(r.stdout, '', what);
  assert.doesNotMatch(r.stderr, CRASH, `${what}: ${r.stderr.slice(0, 1000)}`);
  assert.match(r.stderr, TOO_DEEP, `${what}: ${r.stderr.slice(0, 1000)}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('safe-render: warning'));
  assert.equal(lines.length, 1, `${what}: ${r.stderr.slice(0, 1000)}`);
  assert.ok(lines[0]!.length < 600, `${what}: one short line`);
  return lines[0]!;
}

test('control depth: a deeply nested safe-render.yaml is one clear line, in every encoding, through render, generate and lock', () => {
  const app: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
  for (const depth of [MAX_NESTING_DEPTH + 1, 3000]) {
    for (const [enc, v] of Object.entries(deepValues(depth))) {
      const repo = makeRepo({ 'apps/web/cm.yaml': CM, 'apps/web/safe-render.yaml': `helm:\n  values:\n    x: ${v}\n` });
      const what = `${enc}, ${depth} levels`;
      assert.match(refusedOnce(render(repo, 'apps/web', NS), `render ${what}`), /apps\/web\/safe-render\.yaml/);
      refusedOnce(generate(repo, app), `generate ${what}`);
      refusedOnce(lock(repo, app), `lock ${what}`);
    }
  }
});

test('control depth: the platform policy, Chart.yaml, a kustomization and an inline generator entry are bounded too', () => {
  const deep = deepValues(3000)['json arrays']!;
  const policy = join(makeRepo({}), 'policy.yaml');
  writeFileSync(policy, `default: {maxDeletions: 1}\nx: ${deep}\n`);
  refusedOnce(
    runCli(['render', 'apps/web', ...NS], {
      cwd: makeRepo({ 'apps/web/cm.yaml': CM }),
      env: { SAFE_RENDER_POLICY: policy },
    }),
    'policy',
  );
  const chart = makeRepo({ 'apps/web/Chart.yaml': `${CHART}annotations: ${deep}\n`, 'apps/web/templates/cm.yaml': CM });
  assert.match(refusedOnce(render(chart, 'apps/web', NS), 'Chart.yaml'), /render-failed.*Chart\.yaml/);
  const kust = makeRepo({
    'apps/web/kustomization.yaml': `resources: [cm.yaml]\nx: ${deep}\n`,
    'apps/web/cm.yaml': CM,
  });
  assert.match(refusedOnce(render(kust, 'apps/web', NS), 'kustomization'), /render-failed.*kustomization\.yaml/);
  // An inline entry is a YAML text inside a string: too deep for us must not read as "a path" and skip
  // the helm generator check (issue 8 §1).
  const inline = `kind: HelmChartInflationGenerator\nmetadata: {name: x}\nreleaseName: ok\nx: ${deep}\n`;
  const gen = makeRepo({
    'apps/web/kustomization.yaml': `resources: [cm.yaml]\ngenerators:\n- ${JSON.stringify(inline)}\n`,
    'apps/web/cm.yaml': CM,
  });
  refusedOnce(render(gen, 'apps/web', NS), 'inline generator');
});

test('control depth: a lock line nested past the bound cannot be read (exit 2), in render, generate and lock --check', () => {
  const app: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
  const repo = makeRepo({ 'apps/web/cm.yaml': CM });
  assert.equal(lock(repo, app).code, 0);
  const good = readFileSync(lockFile(repo, 'web'), 'utf8');
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const variants = {
    'object state': good.replace(/^(object \S+)$/m, `$1 {"x":${deep}}`),
    source: good.replace(/^source \{/m, `source {"x":${deep},`),
    'state, 100k levels': good.replace(/^(object \S+)$/m, `$1 {"x":${'['.repeat(100000)}}`),
  };
  for (const [what, text] of Object.entries(variants)) {
    assert.notEqual(text, good, what);
    writeFileSync(lockFile(repo, 'web'), text);
    assert.match(refusedOnce(renderApp(repo, app), `render ${what}`), /lock cannot be read/);
    refusedOnce(generate(repo, app), `generate ${what}`);
    refusedOnce(lock(repo, app, ['--check']), `lock --check ${what}`);
  }
});

test('control depth: a FREEZE nested past the bound still freezes (fail-closed), its text the reason', () => {
  const app: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
  const repo = makeRepo({
    'apps/web/cm.yaml': CM,
    '.safe-render/FREEZE': `reason: ${'['.repeat(3000)}${']'.repeat(3000)}\nby: x\n`,
  });
  const r = generate(repo, app);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, CRASH);
  assert.match(r.stderr, /error\[deploy-freeze\]/);
});

test('control depth: an elementsYaml nested past the bound is not known offline, and is refused without preserveResourcesOnDeletion', () => {
  const root: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const y = JSON.stringify(`[{region: ${'['.repeat(3000)}${']'.repeat(3000)}}]`);
  const repo = makeRepo({
    'apps/root/shops.yaml': applicationSet({ generators: `- list:\n    elementsYaml: ${y}\n` }),
  });
  const r = generate(repo, root);
  assert.doesNotMatch(r.stderr, CRASH);
  assert.match(
    assertRefused(r, 'appset-may-shrink')[0]!,
    /cannot be checked offline \(list generator elementsYaml nests too deeply/,
  );
});

test('control depth: lock --application with a deeply nested file is one clear line', () => {
  const repo = makeRepo({
    'apps/web/cm.yaml': CM,
    'deploy/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n  x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
  });
  refusedOnce(runCli(['lock', '--application', 'deploy/web.yaml'], { cwd: repo }), 'lock --application');
});

test('control depth: the legitimate case: nesting within the bound renders everywhere', () => {
  const app: App = { path: 'apps/web', name: 'web', namespace: 'prod' };
  const ok = `${'['.repeat(100)}1${']'.repeat(100)}`;
  const repo = makeRepo({
    'apps/web/cm.yaml': CM,
    'apps/web/safe-render.yaml': `helm:\n  values:\n    x: ${ok}\n`,
    '.safe-render/FREEZE': 'reason: maintenance\nby: ops\napps: [other]\n',
  });
  assertClean(render(repo, 'apps/web', NS));
  assert.equal(lock(repo, app).code, 0);
  assertClean(generate(repo, app));
  assert.equal(lock(repo, app, ['--check']).code, 0);
  const chart = makeRepo({
    'apps/web/Chart.yaml': `${CHART}annotations: {a: "${ok.replace(/"/g, '')}"}\n`,
    'apps/web/templates/cm.yaml': CM,
  });
  assertClean(render(chart, 'apps/web', NS));
  const kust = makeRepo({
    'apps/web/kustomization.yaml': 'resources: [cm.yaml]\ncommonLabels: {a: b}\n',
    'apps/web/cm.yaml': CM,
  });
  assertClean(render(kust, 'apps/web', NS));
  const root: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const y = JSON.stringify(`[{region: eu, x: ${'['.repeat(100)}${']'.repeat(100)}}]`);
  assertClean(
    generate(
      makeRepo({ 'apps/root/shops.yaml': applicationSet({ generators: `- list:\n    elementsYaml: ${y}\n` }) }),
      root,
    ),
  );
});
