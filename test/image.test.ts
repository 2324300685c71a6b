// Issue 14: the image's promises, checked by reading the Dockerfile (no container engine and no base
// image registry are reachable here, so the image is never built in the tests): a supported Node LTS
// pinned by tag and digest, the same Node line in engines, @types/node and the bundle's esbuild
// target, no package managers in the runtime, OCI labels from build arguments, and the tool binaries
// pinned by the same sha256 in scripts/tools.mjs and the Dockerfile. test/sandbox.test.ts runs what the
// image runs the way the sidecar runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile, parseKeyValues, ROOT, type DockerInstruction } from './helpers';

type Obj = Record<string, any>;

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Obj;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Obj;
const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === finalStage);
const runs = (list: DockerInstruction[]) => list.filter((i) => i.op === 'RUN').map((i) => i.args);

/** Node release lines with long-term support and the day each ends (nodejs/Release schedule.json). */
const LTS_END: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30' };

function images(): string[] {
  return dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args.split(' ').find((w) => !w.startsWith('--'))!);
}

/** The major of `>=N` in engines.node: the oldest Node the bundle promises to run on. */
function enginesFloor(): number {
  const m = /^>=\s*(\d+)$/.exec(pkg.engines.node as string);
  assert.ok(m, `engines.node "${pkg.engines.node}" has the form >=N`);
  return Number(m[1]);
}

test('Dockerfile: every stage is one Node LTS image pinned by exact tag and by sha256 digest', () => {
  const froms = images();
  assert.ok(froms.length >= 2, 'a build stage and a runtime stage');
  assert.equal(new Set(froms).size, 1, `the bundle is built and run on the same image: ${froms.join(', ')}`);
  const m = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim@sha256:([0-9a-f]{64})$/.exec(froms[0]!);
  assert.ok(m, `${froms[0]}: pin node:X.Y.Z-bookworm-slim@sha256:<64 hex digits>`);
  const major = Number(m[1]);
  assert.ok(LTS_END[major], `Node ${major} is not a supported LTS line (${Object.keys(LTS_END).join(', ')})`);
  assert.ok(
    new Date(`${LTS_END[major]}T00:00:00Z`).getTime() > Date.now(),
    `Node ${major} reached its end of life on ${LTS_END[major]}: move the image to a supported LTS`,
  );
});

test("engines, @types/node and the bundle's esbuild target name the oldest supported Node, which the image satisfies", () => {
  const floor = enginesFloor();
  assert.ok(LTS_END[floor], `engines.node >=${floor}: the oldest Node allowed is a supported LTS line`);
  const imageMajor = Number(/^node:(\d+)\./.exec(images()[0]!)![1]);
  assert.ok(imageMajor >= floor, `the image's Node ${imageMajor} satisfies engines.node ${pkg.engines.node}`);
  // The types must not promise an API newer than the oldest Node the bundle runs on.
  const types = lock.packages['node_modules/@types/node'].version as string;
  assert.equal(Number(types.split('.')[0]), floor, `@types/node ${types} is for Node ${floor}`);
  assert.match(pkg.devDependencies['@types/node'] as string, new RegExp(`^\\^${floor}\\.`));
  // Every esbuild call targets that Node: the bundle's syntax runs on every Node engines allows.
  const build = readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8');
  const targets = [...build.matchAll(/target: '([^']+)'/g)].map((x) => x[1]);
  assert.ok(targets.length >= 1, 'scripts/build.mjs sets an esbuild target');
  assert.deepEqual([...new Set(targets)], [`node${floor}`], 'esbuild targets the engines floor');
});

test('Dockerfile: the runtime stage removes npm, npx, corepack and yarn, and checks they are gone', () => {
  const removal = runs(final).find((r) => /\brm -rf\b/.test(r) && r.includes('/usr/local/lib/node_modules'));
  assert.ok(removal, 'a RUN in the final stage removes /usr/local/lib/node_modules (npm and corepack)');
  for (const path of [
    '/usr/local/bin/npm',
    '/usr/local/bin/npx',
    '/usr/local/bin/corepack',
    '/usr/local/bin/yarn',
    '/usr/local/bin/yarnpkg',
    '/opt/yarn-v*',
  ])
    assert.ok(removal.split(' ').includes(path), `the final stage removes ${path}`);
  assert.match(removal, /for tool in npm npx corepack yarn yarnpkg; do .*command -v "\$tool".*exit 1/);
  // Nothing brings them back: no later RUN of the final stage uses a package manager.
  for (const r of runs(final).filter((x) => x !== removal))
    assert.doesNotMatch(r, /\b(npm|npx|corepack|yarn|pnpm)\b/, `the runtime stage runs a package manager: ${r}`);
});

test('Dockerfile: OCI labels for source, revision and version come from build arguments', () => {
  const args = Object.fromEntries(
    final
      .filter((i) => i.op === 'ARG')
      .map((i) => {
        const [k, v] = i.args.split('=');
        return [k!, v];
      }),
  );
  const labels = Object.assign({}, ...final.filter((i) => i.op === 'LABEL').map((i) => parseKeyValues(i.args)));
  for (const [label, arg] of [
    ['org.opencontainers.image.source', 'SOURCE'],
    ['org.opencontainers.image.revision', 'REVISION'],
    ['org.opencontainers.image.version', 'VERSION'],
  ] as const) {
    assert.equal(labels[label], `\${${arg}}`, `LABEL ${label} is the build argument ${arg}`);
    assert.ok(arg in args, `ARG ${arg} is declared in the final stage (an ARG before FROM is not visible there)`);
    const argLine = final.find((i) => i.op === 'ARG' && i.args.startsWith(`${arg}`))!;
    const labelLine = final.find((i) => i.op === 'LABEL' && i.args.includes(label))!;
    assert.ok(argLine.line < labelLine.line, `ARG ${arg} comes before the LABEL that uses it`);
  }
  assert.equal(args.VERSION, pkg.version, "the version label defaults to package.json's version");
  assert.match(args.SOURCE ?? '', /^https:\/\//, 'the source label defaults to a repository URL');
  assert.equal(labels['org.opencontainers.image.licenses'], pkg.license);
});

test('scripts/tools.mjs and the Dockerfile pin kubectl and helm by the same sha256', () => {
  const tools = readFileSync(join(ROOT, 'scripts/tools.mjs'), 'utf8');
  const inScript = Object.fromEntries(
    [...tools.matchAll(/^\s+(kubectl|helm): '([0-9a-f]{64})',$/gm)].map((m) => [m[1], m[2]]),
  );
  const inDockerfile = Object.fromEntries(
    runs(dockerfile)
      .flatMap((r) => [...r.matchAll(/\b([0-9a-f]{64}) \.tools\/bin\/(\w+)/g)])
      .map((m) => [m[2], m[1]]),
  );
  assert.deepEqual(Object.keys(inScript).sort(), ['helm', 'kubectl']);
  assert.deepEqual(inDockerfile, inScript);
});
