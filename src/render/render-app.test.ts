// renderApp dispatches through the engine registry with explicit inputs: the tool runner and the
// environment are arguments, so one process can render apps with different settings side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import { MAX_TOTAL_BYTES } from './limits';
import { renderApp } from './render-app';
import type { ToolRun } from './run-tool';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

function app(repoRoot: string, dir: string): AppContext {
  return {
    appName: 'web',
    namespace: 'web',
    project: 'default',
    repoURL: 'https://example.com/r.git',
    sourcePath: dir,
    revision: 'HEAD',
    targetRevision: 'HEAD',
    kubeVersion: '',
    apiVersions: [],
    env: {},
    parameters: [],
    appDir: join(repoRoot, dir),
    repoRoot,
  };
}

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sr-render-app-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  return root;
}

test('plain: files read in code-unit order, no tool run', async () => {
  const root = repo({ 'apps/web/b.yaml': CM, 'apps/web/A.yaml': CM, 'apps/web/notes.txt': 'x' });
  try {
    const never = async (): Promise<string> => assert.fail('plain must not run a tool');
    const r = await renderApp(app(root, 'apps/web'), DEFAULT_CONFIG, undefined, {}, { runner: never });
    assert.equal(r.engine, 'plain');
    assert.equal(r.fileCount, 2);
    assert.deepEqual(
      r.sources.map((s) => s.path),
      ['apps/web/A.yaml', 'apps/web/b.yaml'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('kustomize and helm run through the given tool runner, with the timeout and commands of the given policy and environment', async () => {
  const root = repo({
    'k/kustomization.yaml': 'resources: [a.yaml]\n',
    'k/a.yaml': CM,
    'h/Chart.yaml': 'apiVersion: v2\nname: h\nversion: 0.1.0\n',
    'h/templates/a.yaml': CM,
  });
  try {
    const runs: ToolRun[] = [];
    const fake = async (run: ToolRun): Promise<string> => {
      runs.push(run);
      return CM;
    };
    const policy = {
      file: 'policy.yaml',
      entry: 'default',
      limits: { engines: { timeoutSeconds: 7, helmCommand: ['/opt/helm'] } },
    } as unknown as AppliedPolicy;
    // PATH from the given environment, not the process's: no kustomize there, so `kubectl kustomize`.
    const k = await renderApp(
      app(root, 'k'),
      DEFAULT_CONFIG,
      undefined,
      { PATH: join(root, 'nothing'), SAFE_RENDER_TIMEOUT_SECONDS: '3' },
      { runner: fake },
    );
    assert.deepEqual(
      { engine: k.engine, fileCount: k.fileCount, sources: k.sources },
      { engine: 'kustomize', fileCount: 1, sources: [{ path: 'k (kustomize output)', text: CM }] },
    );
    assert.deepEqual(runs[0]!.argv.slice(0, 3), ['kubectl', 'kustomize', join(root, 'k')]);
    assert.equal(runs[0]!.timeoutMs, 3000);
    const h = await renderApp(
      app(root, 'h'),
      DEFAULT_CONFIG,
      policy,
      { SAFE_RENDER_TIMEOUT_SECONDS: '3' },
      { runner: fake },
    );
    assert.equal(h.engine, 'helm');
    assert.deepEqual(h.sources, [{ path: 'h (helm output)', text: CM }]);
    assert.deepEqual(runs[1]!.argv.slice(0, 2), ['/opt/helm', 'template']);
    assert.equal(runs[1]!.timeoutMs, 7000, 'the policy timeout wins over the environment');
    assert.equal(runs[1]!.tool, 'helm');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a tool output over the render limit is refused whatever the engine', async () => {
  const root = repo({ 'k/kustomization.yaml': 'resources: []\n' });
  try {
    const huge = async (): Promise<string> => 'x'.repeat(MAX_TOTAL_BYTES + 1);
    await assert.rejects(renderApp(app(root, 'k'), DEFAULT_CONFIG, undefined, {}, { runner: huge }), {
      message: `kustomize printed more than ${MAX_TOTAL_BYTES / 1048576} MiB, Argo CD's default limit for one render`,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
