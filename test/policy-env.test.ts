// Issue 14, "a blast radius that stays inside safe-render apps": the sidecar mounts the policy
// ConfigMap with `optional: true` and names the file in SAFE_RENDER_POLICY. A deleted ConfigMap leaves
// an empty folder at the mount; every safe-render render then refuses with one line that names the
// variable, the path and how to restore it, and renders again once the ConfigMap is back. Without the
// variable nothing changes: an absent file at the default path still means "no policy".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY_PATH, POLICY_ENV } from '../src/config/platform-policy';
import { runGenerate } from './harness/cmp-server';
import { makeRepo, readYaml, runCli, type RunResult } from './helpers';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: prod\n`;
const POLICY = 'default:\n  namespaces: [prod]\n  clusterScoped: []\n';

/** `safe-render generate` as the sidecar runs it for app/ of `repo`, with SAFE_RENDER_POLICY as given
 * (undefined: not set at all). */
function generate(repo: string, policy: string | undefined): RunResult {
  return runCli(['generate'], {
    cwd: join(repo, 'app'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'app',
      SAFE_RENDER_FREEZE_DIR: join(repo, 'no-freeze'),
      ...(policy === undefined ? {} : { [POLICY_ENV]: policy }),
    },
  });
}

/** A ConfigMap volume as the kubelet writes it (atomic writer): the key is a link through `..data`
 * to a timestamped folder, so the file is reached through two symbolic links. */
function mountConfigMap(dir: string, data: Record<string, string>): void {
  const stamp = '..2026_11_30_17_00_00.000000001';
  mkdirSync(join(dir, stamp), { recursive: true });
  for (const [k, v] of Object.entries(data)) writeFileSync(join(dir, stamp, k), v);
  symlinkSync(stamp, join(dir, '..data'));
  for (const k of Object.keys(data)) symlinkSync(join('..data', k), join(dir, k));
}

function assertCouldNotRun(r: RunResult, ...parts: RegExp[]): string {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  for (const p of parts) assert.match(lines[0]!, p);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return lines[0]!;
}

test('SAFE_RENDER_POLICY set, ConfigMap deleted (an empty mount): every render refuses, naming the variable, the path and the fix', () => {
  const repo = makeRepo({ 'app/cm.yaml': CM('a') });
  const mount = join(repo, 'mnt/policy');
  mkdirSync(mount, { recursive: true }); // what an optional ConfigMap volume is when the ConfigMap is gone
  const file = join(mount, 'policy.yaml');
  const line = assertCouldNotRun(generate(repo, file));
  assert.equal(
    line,
    `safe-render: error: the platform policy ${file} does not exist (named by SAFE_RENDER_POLICY); refusing to render without it: restore the ConfigMap mounted at ${mount} (in the documented install: safe-render-policy, key policy.yaml; docs/installation.md), then hard-refresh the app`,
  );
});

test('SAFE_RENDER_POLICY set, the ConfigMap comes back (kubelet layout, links through ..data): renders under it', () => {
  const repo = makeRepo({ 'app/cm.yaml': CM('a') });
  const mount = join(repo, 'mnt/policy');
  mkdirSync(mount, { recursive: true });
  const file = join(mount, 'policy.yaml');
  assert.equal(generate(repo, file).code, 2);
  mountConfigMap(mount, { 'policy.yaml': POLICY });
  const ok = generate(repo, file);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /"name":"a"/);
  // The policy is applied, not merely found: an object outside its namespaces is refused.
  writeFileSync(join(repo, 'app/other.yaml'), CM('b').replace('namespace: prod', 'namespace: kube-system'));
  const refused = generate(repo, file);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /^error\[namespace-escape\]/m);
});

test('SAFE_RENDER_POLICY set to an empty, invalid or non-regular file: could not run, with the file named', () => {
  const repo = makeRepo({
    'app/cm.yaml': CM('a'),
    'pol/empty.yaml': '',
    'pol/comments.yaml': '# nothing but a comment\n',
    'pol/broken.yaml': 'default: [\n',
    'pol/wrong.yaml': 'default:\n  namespaces: [prod]\n  namespace: [prod]\n',
  });
  const pol = (f: string) => join(repo, 'pol', f);
  assertCouldNotRun(generate(repo, pol('empty.yaml')), /empty\.yaml:1: "default" is required/);
  assertCouldNotRun(generate(repo, pol('comments.yaml')), /comments\.yaml:1: "default" is required/);
  assertCouldNotRun(generate(repo, pol('broken.yaml')), /broken\.yaml:\d+: invalid YAML/);
  assertCouldNotRun(generate(repo, pol('wrong.yaml')), /wrong\.yaml:3: unknown key "default\.namespace"/);
  // The ConfigMap mounted where the file was expected (a folder), instead of EISDIR.
  assertCouldNotRun(
    generate(repo, join(repo, 'pol')),
    /the platform policy .*pol \(named by SAFE_RENDER_POLICY\) is not a regular file$/,
  );
});

test('SAFE_RENDER_POLICY unset: as before, no policy unless the default path holds one', (t) => {
  // The default path is the sidecar's mount; on a test machine it is absent, which means "no policy".
  const repo = makeRepo({ 'app/cm.yaml': CM('a') });
  t.diagnostic(`default path ${DEFAULT_POLICY_PATH}`);
  const r = generate(repo, undefined);
  assert.equal(r.code, 0, r.stderr);
  // An empty value is the same as unset (a Deployment env entry with value: "").
  assert.equal(generate(repo, '').code, 0);
});

test('render --policy naming a missing file: could not run, and the fix is about the path, not a ConfigMap', () => {
  const repo = makeRepo({ 'app/cm.yaml': CM('a') });
  const r = runCli(['render', 'app', '-n', 'prod', '--policy', 'nowhere.yaml'], { cwd: repo });
  const line = assertCouldNotRun(r);
  assert.equal(
    line,
    'safe-render: error: the platform policy nowhere.yaml does not exist (named by --policy); refusing to render without it: check the path',
  );
  rmSync(repo, { recursive: true, force: true });
});

test("through the Argo CD harness, with the sidecar container's env from the patch: the ComparisonError, then renders once restored", async () => {
  // The container's env as examples/argocd/repo-server-patch.yaml writes it (NODE_OPTIONS included), the
  // policy path moved under a temporary mount: /home/argocd does not exist on a test machine.
  const patch = readYaml('examples/argocd/repo-server-patch.yaml') as Record<string, any>;
  const containerEnv = patch.spec.template.spec.containers[0].env as { name: string; value: string }[];
  assert.ok(containerEnv.some((e) => e.name === POLICY_ENV && e.value === DEFAULT_POLICY_PATH));
  const repo = makeRepo({ 'app/cm.yaml': CM('a') });
  const mount = join(repo, '..', `${repo.split('/').pop()}-policy`);
  mkdirSync(mount);
  try {
    const file = join(mount, 'policy.yaml');
    const sidecarEnv = Object.fromEntries(
      containerEnv.map((e) => [e.name, e.name === POLICY_ENV ? file : e.value] as [string, string]),
    );
    const request = () =>
      runGenerate({ repoDir: repo, name: 'web', path: 'app', destinationNamespace: 'prod', sidecarEnv });
    const missing = await request();
    assert.equal(missing.ok, false);
    assert.equal(missing.exitCode, 2);
    // What Argo CD shows as the app's ComparisonError (contract §3d): the command, its exit, the line.
    const line = `safe-render: error: the platform policy ${file} does not exist (named by SAFE_RENDER_POLICY); refusing to render without it: restore the ConfigMap mounted at ${mount} `;
    assert.ok(missing.error!.includes(`failed exit status 2: ${line}`), missing.error);
    mountConfigMap(mount, { 'policy.yaml': POLICY });
    const restored = await request();
    assert.ok(restored.ok, `${restored.error ?? ''} ${restored.stderr}`);
    assert.deepEqual(
      restored.objects.map((o) => (o.metadata as { name: string }).name),
      ['a'],
    );
  } finally {
    rmSync(mount, { recursive: true, force: true });
  }
});
