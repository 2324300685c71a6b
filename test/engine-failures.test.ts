// Every way a render engine can fail ends as render-failed (exit 2, empty stdout), never as an empty
// or partial render (argo-cd#15339). The platform policy points engines.kustomizeCommand or
// engines.helmCommand at a tiny fake tool written into the test repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, parseJsonStream, processGone, requireTools, runCli, type RunResult } from './helpers';

const CM = manifest('ConfigMap', 'settings');

/** A repo with a kustomize app and a helm app, a fake tool whose body is `script`, and a policy
 * that runs the fake instead of the real binary for `tool`. */
function fakeRepo(
  tool: 'kustomize' | 'helm',
  script: string,
  engines: Record<string, unknown> = {},
): { repo: string; policy: string } {
  const repo = makeRepo({
    'kapp/kustomization.yaml': 'resources: [cm.yaml]\n',
    'kapp/cm.yaml': CM,
    'happ/Chart.yaml': 'apiVersion: v2\nname: happ\nversion: 0.1.0\n',
    'happ/templates/cm.yaml': CM,
    'fake.js': `const fs = require('node:fs');\nconst path = require('node:path');\n${script}\n`,
  });
  const policy = join(repo, 'policy.yaml');
  const cmd = [process.execPath, join(repo, 'fake.js')];
  writeFileSync(policy, `default:\n  engines: ${JSON.stringify({ [`${tool}Command`]: cmd, ...engines })}\n`);
  return { repo, policy };
}

function renderWith(tool: 'kustomize' | 'helm', repo: string, policy: string): RunResult {
  return runCli(['render', tool === 'kustomize' ? 'kapp' : 'happ', '-n', 'prod', '--policy', policy], { cwd: repo });
}

function renderFailed(r: RunResult, message: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout: Argo CD must not see an empty or partial render');
  assert.match(r.stderr, /^error\[render-failed\]/m);
  assert.match(r.stderr, message);
}

const GOOD_YAML = 'process.stdout.write("apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-fake\\n");';

test("the fake tool is really used: a good output renders (so the failures below are the tool's)", () => {
  for (const tool of ['kustomize', 'helm'] as const) {
    const { repo, policy } = fakeRepo(tool, GOOD_YAML);
    const r = renderWith(tool, repo, policy);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseJsonStream(r.stdout), [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-fake' } },
    ]);
  }
});

test('a tool that exits non-zero is render-failed with its stderr, even if it printed objects', () => {
  for (const tool of ['kustomize', 'helm'] as const) {
    const { repo, policy } = fakeRepo(
      tool,
      `${GOOD_YAML}\nprocess.stderr.write("something broke: bad input\\n");\nprocess.exit(3);`,
    );
    renderFailed(
      renderWith(tool, repo, policy),
      new RegExp(
        `^error\\[render-failed\\]: ${tool} \\(.*fake\\.js.*\\) failed \\(exit 3\\): something broke: bad input`,
        'm',
      ),
    );
  }
});

test('a tool killed by a signal is render-failed', () => {
  const { repo, policy } = fakeRepo('kustomize', `${GOOD_YAML}\nprocess.kill(process.pid, 'SIGSEGV');`);
  renderFailed(renderWith('kustomize', repo, policy), /failed \(signal SIGSEGV\)/);
});

test('a tool that prints an error on stderr but exits 0 is render-failed, not a partial render', () => {
  for (const line of [
    'Error: template: x.yaml:3: function "nope" not defined',
    'error: accumulating resources',
    'panic: runtime error: index out of range',
    'FATAL: out of memory',
  ]) {
    const { repo, policy } = fakeRepo(
      'kustomize',
      `${GOOD_YAML}\nprocess.stderr.write(${JSON.stringify(`a warning first\n${line}\n`)});`,
    );
    renderFailed(renderWith('kustomize', repo, policy), /reported an error although it exited 0/);
  }
  // Warnings alone are not errors.
  const { repo, policy } = fakeRepo(
    'helm',
    `${GOOD_YAML}\nprocess.stderr.write("walk.go:75: found symbolic link in path\\n# Warning: 'bases' is deprecated\\n");`,
  );
  assert.equal(renderWith('helm', repo, policy).code, 0);
});

test('an error line is found however much the tool prints on stderr after it', () => {
  const { repo, policy } = fakeRepo(
    'kustomize',
    `${GOOD_YAML}\nprocess.stderr.write('Error: the real problem\\n' + 'warning: noise\\n'.repeat(200000));`,
  );
  const r = renderWith('kustomize', repo, policy);
  renderFailed(r, /reported an error although it exited 0: .*warning: noise/);
  assert.ok(r.stderr.length < 100_000, `the message carries ${r.stderr.length} bytes of the tool's stderr`);
});

test("a tool that prints without end is killed at Argo CD's size limit, not at the timeout", () => {
  const { repo, policy } = fakeRepo(
    'helm',
    `
const chunk = 'x'.repeat(1 << 20) + '\\n';
const more = () => { while (process.stdout.write(chunk)) {} process.stdout.once('drain', more); };
more();
`,
    { timeoutSeconds: 40 },
  );
  const started = Date.now();
  const r = renderWith('helm', repo, policy);
  renderFailed(
    r,
    /helm \(.*\) printed more than 100 MiB, Argo CD's default limit for one render, and was killed\. Fix: split the app into several Applications/,
  );
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
});

test('a missing binary is render-failed and says how to install or configure it', () => {
  for (const tool of ['kustomize', 'helm'] as const) {
    const { repo } = fakeRepo(tool, '');
    const policy = join(repo, 'missing.yaml');
    writeFileSync(policy, `default:\n  engines:\n    ${tool}Command: [/nonexistent/bin/${tool}-xyz]\n`);
    renderFailed(
      renderWith(tool, repo, policy),
      new RegExp(
        `${tool} binary "/nonexistent/bin/${tool}-xyz" was not found on PATH\\. Fix: install ${tool} in the sidecar image, or set its command in the platform policy \\(engines\\.${tool}Command\\)`,
      ),
    );
  }
  // And in the sidecar: no helm on PATH at all.
  const repo = makeRepo({
    'happ/Chart.yaml': 'apiVersion: v2\nname: happ\nversion: 0.1.0\n',
    'happ/templates/cm.yaml': CM,
  });
  const r = runCli(['generate'], {
    cwd: join(repo, 'happ'),
    env: {
      PATH: '/nonexistent',
      ARGOCD_APP_NAME: 'happ',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'happ',
    },
    cleanEnv: true,
  });
  renderFailed(r, /helm binary "helm" was not found on PATH/);
});

test('a tool that does not finish in engines.timeoutSeconds is killed with every process it started', () => {
  for (const tool of ['kustomize', 'helm'] as const) {
    const { repo, policy } = fakeRepo(
      tool,
      `
const { spawn } = require('node:child_process');
// A long-lived helper in the tool's process group, with its stdio detached from ours.
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.writeFileSync(path.join(__dirname, 'child.pid'), String(child.pid));
fs.writeFileSync(path.join(__dirname, 'tool.pid'), String(process.pid));
process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: partial\\n');
setInterval(() => {}, 1000);
`,
      { timeoutSeconds: 1 },
    );
    const started = Date.now();
    const r = renderWith(tool, repo, policy);
    const elapsed = Date.now() - started;
    renderFailed(
      r,
      new RegExp(
        `${tool} \\(.*\\) did not finish within 1 s and was killed\\. Fix: make the render cheaper, or raise SAFE_RENDER_TIMEOUT_SECONDS`,
      ),
    );
    assert.doesNotMatch(r.stdout, /partial/);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
    for (const f of ['tool.pid', 'child.pid']) {
      assert.ok(existsSync(join(repo, f)), `the fake tool did not write ${f}`);
      const pid = Number(readFileSync(join(repo, f), 'utf8'));
      const deadline = Date.now() + 3000;
      while (!processGone(pid) && Date.now() < deadline)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      assert.ok(processGone(pid), `${tool}: ${f} (pid ${pid}) still runs after the timeout`);
    }
  }
});

test("a process that leaves the tool's process group cannot hold the render past the timeout", () => {
  for (const toolExits of [false, true]) {
    const { repo, policy } = fakeRepo(
      'kustomize',
      `
const { spawn } = require('node:child_process');
// setsid: out of the group the timeout kills, and still holding our stdout and stderr.
const daemon = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
fs.writeFileSync(path.join(__dirname, 'daemon.pid'), String(daemon.pid));
${GOOD_YAML}
${toolExits ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}
`,
      { timeoutSeconds: 1 },
    );
    const started = Date.now();
    const r = renderWith('kustomize', repo, policy);
    const elapsed = Date.now() - started;
    const daemon = Number(readFileSync(join(repo, 'daemon.pid'), 'utf8'));
    try {
      process.kill(daemon, 'SIGKILL'); // started by this test, through the fake tool
    } catch {
      // gone already
    }
    renderFailed(
      r,
      toolExits
        ? /exited, but a process it started outside its process group kept its output open for 1 s and was killed/
        : /did not finish within 1 s and was killed/,
    );
    assert.ok(elapsed < 10_000, `the render took ${elapsed} ms with a 1 s timeout`);
  }
});

test('SAFE_RENDER_TIMEOUT_SECONDS sets the timeout when the policy does not', () => {
  const { repo, policy } = fakeRepo('kustomize', 'setInterval(() => {}, 1000);');
  const r = runCli(['render', 'kapp', '-n', 'prod', '--policy', policy], {
    cwd: repo,
    env: { SAFE_RENDER_TIMEOUT_SECONDS: '1' },
  });
  renderFailed(r, /did not finish within 1 s and was killed/);
});

test('a tool that prints nothing and exits 0 is an empty render, which is refused, not emitted', () => {
  const { repo, policy } = fakeRepo('kustomize', '');
  const r = renderWith('kustomize', repo, policy);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error\[empty-render\]/m);
});

test("the tool runs without the sidecar's environment: no secrets, no kubeconfig, a scratch HOME", () => {
  for (const tool of ['kustomize', 'helm'] as const) {
    const { repo, policy } = fakeRepo(
      tool,
      `fs.writeFileSync(path.join(__dirname, 'env.json'), JSON.stringify({ env: process.env, cwd: process.cwd(), argv: process.argv.slice(2) }));\n${GOOD_YAML}`,
    );
    const app = tool === 'kustomize' ? 'kapp' : 'happ';
    const r = runCli(['generate'], {
      cwd: join(repo, app),
      env: {
        ARGOCD_APP_NAME: 'shop',
        ARGOCD_APP_NAMESPACE: 'prod',
        ARGOCD_APP_SOURCE_PATH: app,
        SAFE_RENDER_POLICY: policy,
        ARGOCD_ENV_SECRET: 'plugin-env-secret',
        AWS_SECRET_ACCESS_KEY: 'aws-secret',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        GITHUB_TOKEN: 'ghp_example',
        KUBECONFIG: '/home/argocd/.kube/config',
        HELM_REGISTRY_CONFIG: '/secrets/registry.json',
        ARGOCD_GIT_ASKPASS_NONCE: 'nonce',
        HOME: '/home/argocd',
        ARGOCD_APP_PARAMETERS: '[]',
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const { env, cwd, argv } = JSON.parse(readFileSync(join(repo, 'env.json'), 'utf8')) as {
      env: Record<string, string>;
      cwd: string;
      argv: string[];
    };
    for (const leaked of [
      'ARGOCD_ENV_SECRET',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'GITHUB_TOKEN',
      'ARGOCD_GIT_ASKPASS_NONCE',
      'ARGOCD_APP_PARAMETERS',
      'ARGOCD_APP_NAME',
      'SAFE_RENDER_POLICY',
    ]) {
      assert.equal(env[leaked], undefined, `${tool}: ${leaked} reached the tool`);
    }
    const values = Object.values(env).join('\n');
    for (const secret of ['plugin-env-secret', 'aws-secret', 'ghp_example', '/home/argocd', '/secrets/registry.json'])
      assert.ok(!values.includes(secret), `${tool}: "${secret}" reached the tool`);
    assert.notEqual(env.HOME, '/home/argocd');
    assert.ok(env.KUBECONFIG?.startsWith(env.HOME!), 'KUBECONFIG points into the scratch home, at nothing');
    assert.ok(!existsSync(env.HOME!), 'the scratch HOME is removed after the run');
    assert.ok(cwd.startsWith(repo), `${tool} ran in ${cwd}`);
    if (tool === 'helm')
      assert.deepEqual([...argv.slice(0, 2), ...argv.slice(-3)], ['template', '--include-crds', '--', 'shop', '.']);
    else assert.deepEqual(argv.slice(1), ['--load-restrictor=LoadRestrictionsRootOnly']);
  }
});

test("real tools: a broken kustomization and a broken template are render-failed with the tool's words", () => {
  requireTools();
  const repo = makeRepo({
    'kapp/kustomization.yaml': 'resources: [missing.yaml]\n',
    'happ/Chart.yaml': 'apiVersion: v2\nname: happ\nversion: 0.1.0\n',
    'happ/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "happ.fullname" . }}\n',
  });
  renderFailed(
    runCli(['render', 'kapp', '-n', 'prod'], { cwd: repo }),
    /kustomize \(kubectl kustomize .*\) failed \(exit 1\): error: accumulating resources.*missing\.yaml/,
  );
  renderFailed(
    runCli(['render', 'happ', '-n', 'prod'], { cwd: repo }),
    /helm \(helm template --include-crds --namespace=prod -- happ \.\) failed \(exit 1\): Error: .*no template "happ\.fullname"/,
  );
});
