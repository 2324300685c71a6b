// Issue 14, "the image's promises, tested without a container engine": the bundle and the pinned tools
// run the way the sidecar runs them, as uid 999 with a read-only root, only /tmp writable (a tmpfs, the
// sidecar's emptyDir), HOME and the tool caches in /tmp as the Dockerfile's ENV sets them, and no
// network. bubblewrap (the Debian package `bubblewrap`) builds that without a container engine. Every
// example app renders through the Argo CD harness inside it, byte for byte as outside; and the
// negative controls prove a tool that writes outside /tmp or reaches the network fails there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runGenerate, type AppSpec, type PluginSection, type RequestOptions, type Sandbox } from './harness/cmp-server';
import { BUNDLE, makeRepo, parseDockerfile, parseKeyValues, ROOT, TOOLS_BIN, requireTools } from './helpers';

const BWRAP = '/usr/bin/bwrap';

function requireBwrap(): void {
  if (!existsSync(BWRAP))
    throw new Error(`${BWRAP} is missing: install bubblewrap (apt-get install -y bubblewrap); .ci/run does on CI`);
}

/** The sandbox every command runs in: the image's promises as bwrap flags. The repository (bundle,
 * .tools) is seen through the read-only root; `writable` folders (the request's repo copy, which the
 * sidecar keeps in its /tmp) are bound at the same path inside the fresh /tmp. */
function bwrapArgs(opts: { cwd: string; writable?: string[]; readOnly?: string[] }): string[] {
  return [
    '--ro-bind',
    '/',
    '/',
    '--tmpfs',
    '/tmp',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--unshare-all',
    '--uid',
    '999',
    '--gid',
    '999',
    '--die-with-parent',
    // The checkout (bundle, .tools) as the image's read-only /usr/local: visible through / already,
    // unless it lives under /tmp, which the tmpfs above hides (a CI checkout may).
    ...[ROOT, ...(opts.readOnly ?? [])].flatMap((d) => ['--ro-bind', d, d]),
    ...(opts.writable ?? []).flatMap((d) => ['--bind', d, d]),
    '--chdir',
    opts.cwd,
    '--',
  ];
}

const sandbox: Sandbox = (run) => ({
  file: BWRAP,
  args: [...bwrapArgs({ cwd: run.cwd, writable: [run.workDir], readOnly: [run.binDir] }), run.file, ...run.args],
});

/** The runtime stage's ENV (HOME, HELM_*_HOME, XDG_CACHE_HOME), with the image's PATH: .tools/bin
 * stands for /usr/local/bin, where the image puts kubectl and helm. */
function imageEnv(): Record<string, string> {
  const docker = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const last = Math.max(...docker.map((i) => i.stage));
  const env = Object.assign(
    {},
    ...docker.filter((i) => i.stage === last && i.op === 'ENV').map((i) => parseKeyValues(i.args)),
  ) as Record<string, string>;
  assert.equal(env.HOME, '/tmp', 'the image sets HOME=/tmp');
  return { ...env, PATH: `${TOOLS_BIN}:/usr/local/bin:/usr/bin:/bin` };
}

/** Runs argv in the sandbox (no harness), with the image's environment. */
function inSandbox(argv: string[], opts: { cwd?: string; env?: Record<string, string>; readOnly?: string[] } = {}) {
  requireBwrap();
  const r = spawnSync(BWRAP, [...bwrapArgs({ cwd: opts.cwd ?? '/tmp', readOnly: opts.readOnly }), ...argv], {
    env: { ...imageEnv(), ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The example apps: every folder of examples/ but the installation (argocd) and the CI files (ci). */
const EXAMPLES: Record<string, Partial<RequestOptions>> = {
  guestbook: { destinationNamespace: 'guestbook' },
  'helm-guestbook': { destinationNamespace: 'guestbook' },
  'kustomize-guestbook': { destinationNamespace: 'guestbook' },
};

test('every example app is listed here, so none escapes the sandbox run', () => {
  const apps = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !['argocd', 'ci'].includes(d.name))
    .map((d) => d.name)
    .sort();
  assert.deepEqual(apps, Object.keys(EXAMPLES).sort());
});

test('the sandbox is what the image promises: uid 999, HOME=/tmp, only /tmp writable, no network', () => {
  const probe = join(ROOT, 'build', 'sandbox-probe');
  const r = inSandbox([
    '/bin/sh',
    '-c',
    `id -u; id -g; echo "HOME=$HOME"; echo x > /tmp/ok && echo tmp-writable; ` +
      `(echo x > ${probe}) 2>/dev/null && echo ROOT-WRITABLE; (echo x > /etc/probe) 2>/dev/null && echo ETC-WRITABLE; ` +
      // The network namespace's own interfaces (/sys would show the host's: it is the host's sysfs).
      "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '999\n999\nHOME=/tmp\ntmp-writable\nlo\n');
  assert.ok(!existsSync(probe));
});

test('safe-render --version in the sandbox names the pinned tools, as outside it', () => {
  requireTools();
  const node = process.execPath;
  const r = inSandbox([node, BUNDLE, '--version']);
  assert.equal(r.code, 0, r.stderr);
  const outside = spawnSync(node, [BUNDLE, '--version'], { env: imageEnv(), encoding: 'utf8' });
  assert.equal(r.stdout, outside.stdout);
  assert.match(
    r.stdout,
    /^safe-render .*\nkubectl v1\.35\.\d+, kustomize v5\.7\.\d+ \(.*\)\nhelm v4\.\d+\.\d+ \(.*\)\n$/,
  );
});

for (const [name, spec] of Object.entries(EXAMPLES)) {
  test(`examples/${name} renders through the harness in the sandbox, byte for byte as outside it`, async () => {
    requireTools();
    requireBwrap();
    // A loaded machine (two cores, many test processes) must not turn a slow render into a difference.
    const opts: RequestOptions = {
      name,
      path: `examples/${name}`,
      repoDir: ROOT,
      sidecarEnv: imageEnv(),
      deadlineMs: 120_000,
      ...spec,
    };
    const outside = await runGenerate(opts);
    assert.equal(outside.ok, true, `outside the sandbox: ${outside.error}`);
    assert.ok(outside.objects.length > 0);
    const inside = await runGenerate({ ...opts, sandbox });
    assert.equal(inside.ok, true, `in the sandbox: ${inside.error}`);
    assert.equal(inside.stdout, outside.stdout);
    assert.equal(inside.stderr, outside.stderr);
  });
}

test('examples/argocd: the example Application renders in the sandbox under the example policy, as outside', async () => {
  requireTools();
  requireBwrap();
  const app = parse(readFileSync(join(ROOT, 'examples/argocd/application-team-a-guestbook.yaml'), 'utf8')) as {
    metadata: { name: string };
    spec: { project: string; source: AppSpec & { plugin: PluginSection }; destination: { namespace: string } };
  };
  const opts: RequestOptions = {
    name: app.metadata.name,
    project: app.spec.project,
    repoURL: app.spec.source.repoURL,
    targetRevision: app.spec.source.targetRevision,
    path: app.spec.source.path,
    destinationNamespace: app.spec.destination.namespace,
    plugin: app.spec.source.plugin,
    kubeVersion: 'v1.35.2',
    apiVersions: ['v1', 'apps/v1'],
    repoDir: ROOT,
    // The policy ConfigMap as the sidecar mounts it: read-only, outside /tmp.
    sidecarEnv: { ...imageEnv(), SAFE_RENDER_POLICY: join(ROOT, 'examples/argocd/policy.yaml') },
  };
  const outside = await runGenerate(opts);
  assert.equal(outside.ok, true, `outside the sandbox: ${outside.error}`);
  assert.ok(outside.objects.length > 0);
  const inside = await runGenerate({ ...opts, sandbox });
  assert.equal(inside.ok, true, `in the sandbox: ${inside.error}`);
  assert.equal(inside.stdout, outside.stdout);
  assert.equal(inside.stderr, outside.stderr);
});

/** A repo with a chart, and a policy whose helmCommand is `script` (a tool that misbehaves). */
function misbehavingHelm(script: string): { repo: string; env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(ROOT, 'build', 'sandbox-'));
  const helm = join(dir, 'helm');
  writeFileSync(helm, `#!/bin/sh\n${script}\nexec ${join(TOOLS_BIN, 'helm')} "$@"\n`);
  chmodSync(helm, 0o755);
  writeFileSync(join(dir, 'policy.yaml'), `default:\n  engines:\n    helmCommand: [${helm}]\n`);
  const repo = makeRepo({
    'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'app/values.yaml': '{}\n',
    'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
  });
  return { repo, dir, env: { ...imageEnv(), SAFE_RENDER_POLICY: join(dir, 'policy.yaml') } };
}

test('negative control: a tool that writes outside /tmp renders outside the sandbox and fails in it', async () => {
  requireTools();
  requireBwrap();
  const marker = join(ROOT, 'build', 'sandbox-written');
  rmSync(marker, { force: true });
  const m = misbehavingHelm(`echo written > ${marker} || exit 3`);
  try {
    const opts: RequestOptions = {
      name: 'app',
      path: 'app',
      repoDir: m.repo,
      destinationNamespace: 'prod',
      sidecarEnv: m.env,
    };
    const outside = await runGenerate(opts);
    assert.equal(outside.ok, true, `outside: ${outside.error}`);
    assert.equal(readFileSync(marker, 'utf8'), 'written\n', 'outside the sandbox the write happens');
    rmSync(marker);
    const inside = await runGenerate({ ...opts, sandbox });
    assert.equal(inside.ok, false, 'the write outside /tmp must fail the render');
    assert.equal(inside.exitCode, 2);
    assert.equal(inside.stdout, '');
    assert.match(inside.stderr, /^error\[render-failed\]: helm .*Read-only file system/m);
    assert.ok(!existsSync(marker));
  } finally {
    rmSync(m.dir, { recursive: true, force: true });
  }
});

test('negative control: a tool that reaches the network renders outside the sandbox and fails in it', async () => {
  requireTools();
  requireBwrap();
  // A server on the host's loopback: reachable from the host, not from the sandbox's own network.
  const server = createServer((s) => s.end('hello\n'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  const connect = `require('net').connect(${port}, '127.0.0.1').on('data', () => process.exit(0)).on('error', (e) => { console.error('network: ' + e.code); process.exit(4); })`;
  const m = misbehavingHelm(`${process.execPath} -e "${connect}" || exit 4`);
  try {
    const opts: RequestOptions = {
      name: 'app',
      path: 'app',
      repoDir: m.repo,
      destinationNamespace: 'prod',
      sidecarEnv: m.env,
    };
    const outside = await runGenerate(opts);
    assert.equal(outside.ok, true, `outside: ${outside.error}`);
    const inside = await runGenerate({ ...opts, sandbox });
    assert.equal(inside.ok, false, 'the network access must fail the render');
    assert.equal(inside.exitCode, 2);
    assert.match(inside.stderr, /^error\[render-failed\]: helm .*network: ECONNREFUSED/m);
  } finally {
    server.close();
    rmSync(m.dir, { recursive: true, force: true });
  }
});

test('the pinned helm cannot fetch a chart from the network in the sandbox', () => {
  requireTools();
  const r = inSandbox([
    join(TOOLS_BIN, 'helm'),
    'pull',
    'https://charts.example.com/app-0.1.0.tgz',
    '--destination',
    '/tmp',
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /dial tcp|no such host|lookup charts\.example\.com|network is unreachable/i);
});
