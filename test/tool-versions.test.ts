// Issue 14: "the same bytes in all three places" can be checked, because `--version` and
// `render`/`generate --verbose` say which bundle ran and which kubectl/kustomize and helm, by asking the
// binaries themselves. Exact lines, with the versions the pinned binaries in .tools/bin report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRepo, manifest, ROOT, runCli, runTool, toolPath, TOOLS_BIN } from './helpers';

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

function pinned(): { kubectl: string; kustomize: string; helm: string } {
  const k = runTool('kubectl', ['version', '--client', '-o', 'json']);
  assert.equal(k.code, 0, k.stderr);
  const kv = JSON.parse(k.stdout) as { clientVersion: { gitVersion: string }; kustomizeVersion: string };
  const h = runTool('helm', ['version', '--template', '{{.Version}}']);
  assert.equal(h.code, 0, h.stderr);
  return { kubectl: kv.clientVersion.gitVersion, kustomize: kv.kustomizeVersion, helm: h.stdout.trim() };
}

const KUBECTL_LINE = () => {
  const v = pinned();
  return `kubectl ${v.kubectl}, kustomize ${v.kustomize} (${toolPath('kubectl')})`;
};
const HELM_LINE = () => `helm ${pinned().helm} (${toolPath('helm')})`;

test('--version: the bundle, its Node, and the kubectl (with its kustomize) and helm a render finds on PATH', () => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, `safe-render ${version} (node ${process.version})\n${KUBECTL_LINE()}\n${HELM_LINE()}\n`);
});

test('--version: the pinned tools are the versions the README and the Dockerfile label name', () => {
  assert.deepEqual(pinned(), { kubectl: 'v1.35.2', kustomize: 'v5.7.1', helm: 'v4.1.4' });
});

test('--version: a tool missing from PATH is said, and --version still succeeds', () => {
  const empty = mkdtempSync(join(tmpdir(), 'safe-render-nopath-'));
  const none = spawnVersion(empty);
  assert.equal(
    none,
    `safe-render ${version} (node ${process.version})\nkubectl "kubectl": not found on PATH\nhelm "helm": not found on PATH\n`,
  );
});

test('--version: a standalone kustomize on PATH is the one a render runs, and so the one named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-kustomize-'));
  const fake = join(dir, 'kustomize');
  writeFileSync(fake, '#!/bin/sh\n[ "$1" = version ] && echo v5.8.1\n');
  chmodSync(fake, 0o755);
  const out = spawnVersion(`${dir}:${TOOLS_BIN}`);
  assert.equal(out, `safe-render ${version} (node ${process.version})\nkustomize v5.8.1 (${fake})\n${HELM_LINE()}\n`);
});

/** `--version` with exactly this PATH. */
function spawnVersion(path: string): string {
  const r = runCli(['--version'], { cleanEnv: true, env: { PATH: path } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('render --verbose: names each tool the render ran, with its version and path, before the summary', () => {
  const r = runCli(['render', 'examples/helm-guestbook', '--app', 'web', '-n', 'web', '--verbose']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  assert.equal(lines[0], `safe-render: ran ${HELM_LINE()}`);
  assert.match(lines[1]!, /^safe-render: app "web" \(engine: helm\)/);

  const k = runCli(['render', 'examples/kustomize-guestbook', '--app', 'web', '-n', 'web', '-v']);
  assert.equal(k.code, 0, k.stderr);
  assert.equal(k.stderr.split('\n')[0], `safe-render: ran ${KUBECTL_LINE()}`);

  const plain = runCli(['render', 'examples/guestbook', '--namespace', 'guestbook', '--verbose']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stderr, /^safe-render: app "guestbook" \(engine: plain\)/, 'no tool ran, none is named');
  const quiet = runCli(['render', 'examples/helm-guestbook', '--app', 'web', '-n', 'web']);
  // Without --verbose no tool is asked its version: render only says which binary ran (laptop-tools.ts).
  assert.doesNotMatch(quiet.stderr, /safe-render: ran helm v/, 'without --verbose no tool is asked its version');
  assert.match(quiet.stderr, /^safe-render: ran helm: \S+\/helm/m);
});

test('render --verbose: kustomize with helmCharts names kubectl and the helm it inflated the chart with', () => {
  const repo = makeRepo({
    'app/kustomization.yaml': 'helmCharts:\n- name: c\n  releaseName: r\n',
    'app/safe-render.yaml': 'kustomize:\n  enableHelm: true\n',
    'app/charts/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'app/charts/c/values.yaml': '{}\n',
    'app/charts/c/templates/cm.yaml': manifest('ConfigMap', 'from-chart'),
  });
  const r = runCli(['render', 'app', '--app', 'a', '-n', 'a', '--verbose'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  assert.deepEqual(lines.slice(0, 2), [`safe-render: ran ${KUBECTL_LINE()}`, `safe-render: ran ${HELM_LINE()}`]);
});

test('generate --verbose: the sidecar command says the same, on stderr only; stdout stays the render', () => {
  const env = {
    ARGOCD_APP_NAME: 'web',
    ARGOCD_APP_NAMESPACE: 'web',
    ARGOCD_APP_SOURCE_PATH: 'examples/helm-guestbook',
  };
  const plain = runCli(['generate'], { cwd: join(ROOT, 'examples/helm-guestbook'), env });
  const r = runCli(['generate', '--verbose'], { cwd: join(ROOT, 'examples/helm-guestbook'), env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain.stdout);
  assert.equal(r.stderr, `safe-render: ran ${HELM_LINE()}\n`);
});
