// The command line a person and Argo CD see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, ROOT, runCli } from './helpers';

test('--version prints the package version (first line; the tools follow, test/tool-versions.test.ts)', () => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout.split('\n')[0],
    `safe-render ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version} (node ${process.version})`,
  );
});

test('--help lists the commands and exit codes; every command has --help', () => {
  const r = runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /generate/);
  assert.match(r.stdout, /render/);
  assert.match(r.stdout, /exit codes: 0 rendered, 1 refused by a rule, 2 could not run/);
  for (const cmd of ['generate', 'render']) {
    const h = runCli([cmd, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^usage: safe-render ${cmd}`));
  }
});

test('unknown commands and flags say what was meant, exit 2, empty stdout', () => {
  const c = runCli(['rendr']);
  assert.equal(c.code, 2);
  assert.equal(c.stdout, '');
  assert.match(c.stderr, /unknown command "rendr"; did you mean "render"\?/);
  const f = runCli(['render', '--namepsace', 'x']);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /unknown flag --namepsace for "render"; did you mean --namespace\?/);
  const v = runCli(['render', '--output', 'xml']);
  assert.equal(v.code, 2);
  assert.match(v.stderr, /--output must be json or yaml/);
});

test('generate outside Argo CD says how to run a preview instead', () => {
  const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
  const r = runCli(['generate'], { cwd: repo, cleanEnv: true });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /ARGOCD_APP_NAME is not set.*safe-render render/);
});

test('generate reads the Argo CD environment and renders the working directory', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  const r = runCli(['generate'], {
    cwd: join(repo, 'apps/web'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'apps/web',
      ARGOCD_ENV_EMPTY: '',
    },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n');
  assert.equal(r.stderr, '', 'a clean render writes nothing on stderr');
});

test('generate and render print the same bytes for the same inputs', () => {
  const repo = makeRepo({
    'apps/web/a.yaml': [manifest('ConfigMap', 'a', { body: 'data:\n  k: "v"\n' }), manifest('Deployment', 'web')].join(
      '---\n',
    ),
    'apps/web/b.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }),
  });
  const gen = runCli(['generate'], {
    cwd: join(repo, 'apps/web'),
    cleanEnv: true,
    env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: 'apps/web' },
  });
  const ren = runCli(['render', 'apps/web', '--app', 'web', '--namespace', 'prod'], { cwd: repo });
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal(ren.code, 0, ren.stderr);
  assert.equal(gen.stdout, ren.stdout);
  assert.equal(gen.stdout.split('\n').length, 4);
});

test('ARGOCD_APP_PARAMETERS that is not valid JSON is refused with exit 2', () => {
  const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
  const r = runCli(['generate'], {
    cwd: repo,
    cleanEnv: true,
    env: { ARGOCD_APP_NAME: 'a', ARGOCD_APP_NAMESPACE: 'ns', ARGOCD_APP_PARAMETERS: '[{' },
  });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /ARGOCD_APP_PARAMETERS is not valid JSON/);
});
