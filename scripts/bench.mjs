#!/usr/bin/env node
// Performance report for safe-render: how long a render takes next to the cheapest possible render
// (the `yaml` package alone parsing the same files), next to `kubectl kustomize`, how it grows with
// input size, how much memory it needs, and what it adds to Node's start-up. Run with `npm run bench`
// (which builds dist/ and unpacks .tools/ first).
//
//   node scripts/bench.mjs [--sizes 1000,10000,50000] [--runs N] [--kustomize-max N] [--no-engines]
//
//   --sizes          object counts to generate and time (default 1000,10000,50000)
//   --runs           timed runs per size up to 10000 objects (default 5); larger sizes take half as
//                    many (at least 1), since one 50k run already takes tens of seconds
//   --kustomize-max  time `kubectl kustomize` only up to this many objects (default 1000); it takes
//                    minutes at 10k, and the comparison is already clear at 1k
//   --no-engines     skip the engine section: a 1k-object kustomize app and a chart of about 1k
//                    objects, each through the bare tool and through safe-render (target: < 25% more)
//   --no-split       skip the one-object-per-file section: at 10k and 50k objects (those of --sizes),
//                    `render -o` and `split -o` next to kubernetes-split-yaml, each into a fresh folder
//                    (target: safe-render no slower; issue 13). kubernetes-split-yaml is the Debian
//                    package (`apt-get install kubernetes-split-yaml`); without it that row FAILS and
//                    the bench exits 1, it is never skipped silently.
//
// Inputs come from scripts/gen-manifests.mjs (deterministic: same arguments, same bytes), so a plain
// clone needs nothing beside it; they are kept in .bench/<objects>/ (and the same documents as one
// stream in .bench/<objects>.yaml) between runs, stamped with the generator's hash so a changed
// generator regenerates them; delete .bench/ to regenerate them anyway. Every run is a whole
// fresh process, so Node's start-up is inside both safe-render's and the floor's numbers and their
// ratio compares like with like. Targets are judged on wall time; the CPU time of the
// same runs (user + system, from the RSS preload) is printed beside it because on a shared machine
// wall time swings by 2x while CPU time mostly does not, so the two together tell noise from a real
// change. This is a report: it exits 0 whether or not the targets are met, and 1 only when something
// it runs fails (a refused or broken render is a bug here).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const GENERATOR = join(root, 'scripts/gen-manifests.mjs');
const SPLIT_YAML = '/usr/bin/kubernetes-split-yaml';
/** Object counts the one-object-per-file section measures (issue 13), when --sizes has them. */
const SPLIT_SIZES = [10000, 50000];
const BUNDLE = join(root, 'dist/safe-render.cjs');
const RSS_PRELOAD = join(root, 'scripts/bench-rss.cjs');
const KUBECTL = join(root, '.tools/bin/kubectl');
const BENCH_DIR = join(root, '.bench');
const FLOOR = join(BENCH_DIR, 'floor.cjs');
const NODE = process.execPath;

const TARGETS = {
  startupMs: 30, // `--version` within this many ms of bare `node -e 0`
  floorRatio: 1.3, // at FLOOR_RATIO_SIZE objects: safe-render at most this many times the floor
  growth: 5.5, // 10k -> 50k objects (5x the input): time grows at most this much
  rssPerInput: 20, // at RSS_SIZE objects: peak RSS below this many times the input bytes
  engineOverhead: 0.25, // kustomize and helm: safe-render at most 25% slower than the bare tool
};
const FLOOR_RATIO_SIZE = 10000;
const GROWTH_FROM = 10000;
const GROWTH_TO = 50000;
const RSS_SIZE = 50000;

class BenchError extends Error {}

// ---------- arguments ----------

/**
 * @param {string} [msg]
 * @returns {never}
 */
function usage(msg) {
  if (msg) console.error(`bench: ${msg}`);
  console.error(
    'usage: node scripts/bench.mjs [--sizes 1000,10000,50000] [--runs N] [--kustomize-max N] [--no-engines] [--no-split]',
  );
  process.exit(msg ? 2 : 0);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = { sizes: [1000, 10000, 50000], runs: 5, kustomizeMax: 1000, engines: true, split: true };
  /** @type {(flag: string, s: string, min: number) => number} */
  const int = (flag, s, min) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) usage(`${flag} takes an integer >= ${min}, got "${s}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    // accept both `--flag value` and `--flag=value`
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    /** @returns {string} */
    const value = () =>
      inline ?? (i + 1 < argv.length ? /** @type {string} */ (argv[++i]) : usage(`${flag} needs a value`));
    if (flag === '--sizes')
      o.sizes = value()
        .split(',')
        .map((s) => int('--sizes', s.trim(), 1));
    else if (flag === '--runs') o.runs = int('--runs', value(), 1);
    else if (flag === '--kustomize-max') o.kustomizeMax = int('--kustomize-max', value(), 0);
    else if (flag === '--no-engines') o.engines = false;
    else if (flag === '--no-split') o.split = false;
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  o.sizes = [...new Set(o.sizes)].sort((a, b) => a - b);
  return o;
}

/** Large inputs get fewer runs: at 50k one run of each program is tens of seconds. */
/** @type {(n: number, runs: number) => number} */
const runsFor = (n, runs) => (n > 10000 ? Math.max(1, Math.ceil(runs / 2)) : runs);

// ---------- inputs ----------

// The generator spreads objects over many namespaces, one folder each (plus cluster/, namespaces/
// and no-namespace/), hence `recurse: true`; and it generates exactly four cluster-scoped kinds: Namespace,
// CustomResourceDefinition, ClusterRole and ClusterRoleBinding. Its custom resources get their scope
// (Namespaced) from the CRDs in the same render, so no `scopes:` entry is needed. kustomization.yaml
// is the generator's input for `kubectl kustomize`, not a manifest.
const APP_CONFIG = `# Written by scripts/bench.mjs: lets safe-render take the whole generated set.
engine: plain
recurse: true
exclude: [kustomization.yaml]
namespaces: ["*"]
clusterScoped:
  - Namespace
  - apiextensions.k8s.io/CustomResourceDefinition
  - rbac.authorization.k8s.io/ClusterRole
  - rbac.authorization.k8s.io/ClusterRoleBinding
`;

/** @param {number} n */
function ensureInputs(n) {
  const dir = join(BENCH_DIR, String(n));
  const stream = `${dir}.yaml`;
  if (!existsSync(GENERATOR)) throw new BenchError(`generator not found: ${GENERATOR}`);
  const stamp = createHash('sha256').update(readFileSync(GENERATOR)).digest('hex');
  const stampFile = join(dir, '.generator');
  const current = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(stream);
  if (!current) {
    // Generate beside the target and rename, so an interrupted run never leaves a half-written
    // folder that a later run would take for a complete one.
    const tmp = `${dir}.tmp-${process.pid}`;
    for (const p of [tmp, `${tmp}.yaml`, dir, stream]) rmSync(p, { recursive: true, force: true });
    const files = Math.max(1, Math.round(n / 5)); // a few objects per file on average, as in real repos
    const r = spawnSync(
      NODE,
      [GENERATOR, '--objects', String(n), '--files', String(files), '--out', tmp, '--concat', `${tmp}.yaml`],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new BenchError(`gen-manifests failed for ${n} objects (exit ${r.status ?? r.signal})`);
    writeFileSync(join(tmp, '.generator'), stamp);
    renameSync(`${tmp}.yaml`, stream);
    renameSync(tmp, dir);
  }
  // Always rewritten (it is tiny) so it follows this script if the config above changes.
  writeFileSync(join(dir, 'safe-render.yaml'), APP_CONFIG);
  return dir;
}

// ---------- the floor ----------

// The floor is what any render must at least do: read the same files and turn every document into
// JS values with the `yaml` package, using safe-render's own options. It is bundled from
// src/util/k8s-yaml.ts so the options are the real ones (not a copy that could drift), and
// bundled and minified like dist/safe-render.cjs so both load their code the same way. It selects
// the files as safe-render.yaml above does (recursive, manifest extensions, no hidden entries,
// no kustomization.yaml or safe-render.yaml) and prints what it read, so the bench can check that
// both programs saw the same documents.
const FLOOR_SOURCE = `
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from './src/util/k8s-yaml';

const dir = process.argv[2];
const files = [];
const walk = (rel) => {
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = rel ? rel + '/' + e.name : e.name;
    if (e.isDirectory()) walk(p);
    else if (/\\.(ya?ml|json)$/i.test(e.name) && e.name !== 'kustomization.yaml' && p !== 'safe-render.yaml') files.push(p);
  }
};
walk('');
files.sort();
let docs = 0;
let bytes = 0;
for (const f of files) {
  const buf = readFileSync(join(dir, f));
  bytes += buf.length;
  for (const doc of parseAllDocuments(buf.toString('utf8'), K8S_YAML)) {
    if (doc.errors.length) throw new Error(f + ': ' + doc.errors[0].message);
    const v = doc.toJS(K8S_TO_JS);
    if (v !== null && v !== undefined) docs++;
  }
}
process.stdout.write(JSON.stringify({ files: files.length, docs, bytes }) + '\\n');
`;

async function buildFloor() {
  mkdirSync(BENCH_DIR, { recursive: true });
  await build({
    stdin: { contents: FLOOR_SOURCE, resolveDir: root, sourcefile: 'bench-floor.ts', loader: 'ts' },
    outfile: FLOOR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

// ---------- running and timing ----------

/** One fresh process, timed wall-clock from spawn to exit. stdout goes to /dev/null unless captured,
 * as Argo CD's pipe would drain it; stderr is kept for error messages. */
/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, captureStdout?: boolean }} [options]
 */
function run(cmd, args, { env, captureStdout = false } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd: root,
    // safe-render finds kubectl and helm on PATH: the unpacked ones, the same the bare runs time.
    env: { ...(env ?? process.env), PATH: `${join(root, '.tools/bin')}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new BenchError(`${cmd}: ${r.error.message}`);
  return { ms, status: r.status, signal: r.signal, stdout: r.stdout?.toString() ?? '', stderr: r.stderr.toString() };
}

/**
 * @param {string} what
 * @param {ReturnType<typeof run>} r
 */
function mustSucceed(what, r) {
  if (r.status === 0) return r;
  const tail = r.stderr.trim().split('\n').slice(-15).join('\n');
  throw new BenchError(`${what} failed (exit ${r.status ?? r.signal}):\n${tail}`);
}

/** @param {number[]} ms at least one */
function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (/** @type {number} */ i) => /** @type {number} */ (s[i]);
  const mid = s.length >> 1;
  return {
    median: s.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2,
    min: at(0),
    max: at(s.length - 1),
    n: s.length,
  };
}

/** @type {(dir: string) => string[]} */
const renderArgs = (dir) => [BUNDLE, 'render', dir, '--namespace', 'bench'];
const RSS_FILE = join(BENCH_DIR, `rss-${process.pid}.json`);

/** A node process under the RSS preload: wall time plus the peak RSS and CPU time it reported. */
/**
 * @param {string} what
 * @param {string[]} args
 * @param {{ captureStdout?: boolean }} [options]
 */
function runNode(what, args, { captureStdout = false } = {}) {
  rmSync(RSS_FILE, { force: true });
  const r = mustSucceed(
    what,
    run(NODE, ['-r', RSS_PRELOAD, ...args], { env: { ...process.env, SAFE_RENDER_RSS_FILE: RSS_FILE }, captureStdout }),
  );
  const usage = JSON.parse(readFileSync(RSS_FILE, 'utf8'));
  rmSync(RSS_FILE, { force: true });
  return { ...r, rssKB: usage.maxRSS, cpuMs: usage.cpuMs };
}

/**
 * @param {number} n
 * @param {ReturnType<typeof parseArgs>} opts
 */
function measureSize(n, opts) {
  const dir = ensureInputs(n);
  const shown = relative(root, dir);
  const runs = runsFor(n, opts.runs);
  console.error(`bench: ${n} objects (${shown}): checking, then ${runs} timed run(s) each...`);
  const load = [loadavg()[0] ?? 0];

  // Check runs, untimed: the render must succeed and emit every generated object, or the timings
  // below would time a refusal; and the floor must read the same documents from the same files, or
  // the ratio would compare different work. They also warm the page cache for the timed runs.
  const check = runNode(`safe-render render ${shown}`, renderArgs(dir));
  const m = /: (\d+) objects from (\d+) files/.exec(check.stderr);
  if (!m || Number(m[1]) !== n)
    throw new BenchError(`safe-render emitted ${m?.[1] ?? '?'} objects for ${shown}, expected ${n}:\n${check.stderr}`);
  const files = Number(m[2]);
  const seen = JSON.parse(runNode(`floor ${shown}`, [FLOOR, dir], { captureStdout: true }).stdout);
  if (seen.docs !== n || seen.files !== files) {
    throw new BenchError(
      `the floor read ${seen.docs} documents from ${seen.files} files, safe-render ${n} from ${files}: they must read the same input`,
    );
  }

  // Timed runs alternate between the two programs, so a slow patch on a shared machine hits both
  // rather than skewing the ratio.
  const sr = [];
  const floor = [];
  for (let i = 0; i < runs; i++) {
    sr.push(runNode(`safe-render render ${shown}`, renderArgs(dir)));
    floor.push(runNode(`floor ${shown}`, [FLOOR, dir]));
    load.push(loadavg()[0] ?? 0);
  }

  let kustomize = null;
  if (n <= opts.kustomizeMax) {
    mustSucceed(`kubectl kustomize ${shown}`, run(KUBECTL, ['kustomize', dir])); // check and warm-up
    const k = [];
    for (let i = 0; i < runs; i++)
      k.push(mustSucceed(`kubectl kustomize ${shown}`, run(KUBECTL, ['kustomize', dir])).ms);
    kustomize = stats(k);
  }

  return {
    n,
    shown,
    files,
    bytes: seen.bytes,
    kustomize,
    maxLoad: Math.max(...load),
    sr: stats(sr.map((r) => r.ms)),
    srCpu: stats(sr.map((r) => r.cpuMs)),
    floor: stats(floor.map((r) => r.ms)),
    floorCpu: stats(floor.map((r) => r.cpuMs)),
    // The highest peak of all runs: the memory a pod must have for this render not to be killed.
    rssKB: Math.max(...sr.map((r) => r.rssKB)),
    floorRssKB: Math.max(...floor.map((r) => r.rssKB)),
  };
}

function measureStartup(rounds = 20) {
  const bare = [];
  const sr = [];
  // Two untimed rounds first: the first spawn pays for loading node itself from disk.
  for (let i = 0; i < rounds + 2; i++) {
    const b = mustSucceed('node -e 0', run(NODE, ['-e', '0']));
    // `--help`: loading and compiling the bundle and nothing else. `--version` also asks kubectl, kustomize
    // and helm for theirs since issue 14 (three processes), which is not start-up.
    const s = mustSucceed('safe-render --help', run(NODE, [BUNDLE, '--help']));
    if (i >= 2) {
      bare.push(b.ms);
      sr.push(s.ms);
    }
  }
  return { bare: stats(bare), sr: stats(sr), maxLoad: loadavg()[0] ?? 0 };
}

// ---------- engines: safe-render over the bare tool ----------

// Issue 5's question: what does safe-render add on top of the engine it runs? The same input goes
// through the bare tool and through `safe-render render` (which runs that tool, then parses, checks
// and emits). The kustomize app is the generated 1k set with its kustomization.yaml; the chart
// renders a similar number of objects from a few templates.
const ENGINE_OBJECTS = 1000;
const HELM = join(root, '.tools/bin/helm');

/** @type {(engine: string) => string} */
const ENGINE_CONFIG = (engine) => `# Written by scripts/bench.mjs.
engine: ${engine}
namespaces: ["*"]
clusterScoped: [Namespace, apiextensions.k8s.io/CustomResourceDefinition, rbac.authorization.k8s.io/ClusterRole, rbac.authorization.k8s.io/ClusterRoleBinding]
`;

function ensureKustomizeApp() {
  const src = ensureInputs(ENGINE_OBJECTS);
  const dir = join(BENCH_DIR, `kustomize-${ENGINE_OBJECTS}`);
  const stamp = (/** @type {string} */ d) =>
    existsSync(join(d, '.generator')) ? readFileSync(join(d, '.generator'), 'utf8') : '';
  if (!existsSync(join(dir, 'kustomization.yaml')) || stamp(dir) !== stamp(src)) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(src, dir, { recursive: true });
  }
  writeFileSync(join(dir, 'safe-render.yaml'), ENGINE_CONFIG('kustomize'));
  return dir;
}

function ensureChart() {
  const dir = join(BENCH_DIR, `chart-${ENGINE_OBJECTS}`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), `apps: ${ENGINE_OBJECTS / 4}\nimage: registry.example.com/app:1.0\n`);
  // Four objects per app: Deployment, Service, ConfigMap with multi-line data, ServiceAccount.
  writeFileSync(
    join(dir, 'templates/apps.yaml'),
    `{{- range $i := until (int .Values.apps) }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{{ $i }}
  labels: {app: app-{{ $i }}, release: {{ $.Release.Name }}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app-{{ $i }}}}
  template:
    metadata: {labels: {app: app-{{ $i }}}}
    spec:
      serviceAccountName: app-{{ $i }}
      containers:
        - name: app
          image: {{ $.Values.image }}
          ports: [{containerPort: 8080}]
          envFrom: [{configMapRef: {name: app-{{ $i }}}}]
---
apiVersion: v1
kind: Service
metadata: {name: app-{{ $i }}}
spec:
  selector: {app: app-{{ $i }}}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-{{ $i }}}
data:
  LOG_LEVEL: info
  app.properties: |
    server.port=8080
    feature.flags=a,b,c
    greeting=hello from app {{ $i }}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app-{{ $i }}}
{{- end }}
`,
  );
  writeFileSync(join(dir, 'safe-render.yaml'), ENGINE_CONFIG('helm'));
  return dir;
}

/**
 * @param {string} name
 * @param {string} dir
 * @param {string} toolCmd
 * @param {string[]} toolArgs
 * @param {number} runs
 */
function measureEngine(name, dir, toolCmd, toolArgs, runs) {
  const shown = relative(root, dir);
  console.error(`bench: ${name} engine (${shown}): ${runs} timed run(s) each...`);
  const check = runNode(`safe-render render ${shown}`, renderArgs(dir));
  const m = /\(engine: (\w+)\): (\d+) objects/.exec(check.stderr);
  if (!m || m[1] !== name)
    throw new BenchError(`safe-render did not render ${shown} with the ${name} engine:\n${check.stderr}`);
  // The tool's output, parsed by the yaml floor: the least any Node program must add to the bare tool
  // to read what it printed. It explains most of the overhead, so it is reported beside it.
  const outDir = join(BENCH_DIR, `${name}-output`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'output.yaml'),
    mustSucceed(`${name} ${shown}`, run(toolCmd, toolArgs, { captureStdout: true })).stdout,
  );
  const sr = [];
  const tool = [];
  const floor = [];
  for (let i = 0; i < runs; i++) {
    sr.push(runNode(`safe-render render ${shown}`, renderArgs(dir)).ms);
    tool.push(mustSucceed(`${name} ${shown}`, run(toolCmd, toolArgs)).ms);
    floor.push(runNode(`floor ${relative(root, outDir)}`, [FLOOR, outDir]).ms);
  }
  return {
    name,
    shown,
    objects: Number(m[2]),
    sr: stats(sr),
    tool: stats(tool),
    floor: stats(floor),
    maxLoad: loadavg()[0] ?? 0,
  };
}

/** @param {ReturnType<typeof parseArgs>} opts */
function measureEngines(opts) {
  for (const bin of [KUBECTL, HELM])
    if (!existsSync(bin)) throw new BenchError(`${relative(root, bin)} is missing: run \`npm run tools\``);
  const runs = Math.max(3, opts.runs);
  const kdir = ensureKustomizeApp();
  const cdir = ensureChart();
  return [
    measureEngine(
      'kustomize',
      kdir,
      KUBECTL,
      ['kustomize', kdir, '--load-restrictor', 'LoadRestrictionsRootOnly'],
      runs,
    ),
    measureEngine(
      'helm',
      cdir,
      HELM,
      ['template', basename(cdir), cdir, '--include-crds', '--namespace', 'bench'],
      runs,
    ),
  ];
}

// ---------- one object per file: safe-render next to kubernetes-split-yaml (issue 13) ----------

// Each program splits the same N objects into a fresh folder per run (created by the program, removed
// untimed afterwards). kubernetes-split-yaml reads the one-file stream .bench/<n>.yaml; `render -o`
// reads the generated folder (safe-render's per-file limit, 16 MiB, is below the 50k stream's size, and
// the folder is what `render` is for); `split` reads the same stream as kubernetes-split-yaml. Each run
// is checked to have written N files.

/** CPU time (user + system, ms) of this process's finished children, from /proc/self/stat (cutime,
 * cstime): the one way to get a Go program's CPU time too. Wall time on a shared 2-core machine swings
 * by 2x; CPU time mostly does not. undefined where there is no /proc. */
function childCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Whether this build has the `split` command (issue 13's split helper adds it). */
function hasSplitCommand() {
  const r = run(NODE, [BUNDLE, '--help'], { captureStdout: true });
  return /^\s+split\s/m.test(r.stdout);
}

/** @type {(dir: string) => number} */
function countYamlFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml') n++;
  return n;
}

/**
 * @param {number} n
 * @param {ReturnType<typeof parseArgs>} opts
 */
function measureSplit(n, opts) {
  const dir = ensureInputs(n);
  const stream = `${dir}.yaml`;
  const runs = runsFor(n, opts.runs);
  // A fresh folder per run, all removed after the last run: removing N files just before a timed run
  // made that run pay for it (this disk is mounted with `discard`: the freed blocks are discarded at
  // the next journal commit, and file creation waited on it: 20 us a file on a quiet journal, over
  // 200 us after a removal, whichever program ran next).
  const outs = /** @type {string[]} */ ([]);
  let out = '';
  console.error(`bench: one object per file, ${n} objects: ${runs} timed run(s) each...`);
  /** @type {{ name: string, args: () => [string, string[]], ms: number[], cpu: number[], error?: string }[]} */
  const programs = [
    {
      name: 'safe-render render -o DIR (the folder)',
      args: () => [NODE, [...renderArgs(dir), '-o', out]],
      ms: [],
      cpu: [],
    },
    {
      name: `kubernetes-split-yaml --outdir DIR (${relative(root, stream)})`,
      args: () => [SPLIT_YAML, ['--outdir', out, stream]],
      ms: [],
      cpu: [],
    },
    {
      name: `safe-render split ${relative(root, stream)} -o DIR`,
      // HOOK (issue 13, split helper): the arguments of `split` once the command exists in this build;
      // adjust here if its flags differ.
      args: () => [NODE, [BUNDLE, 'split', stream, '-o', out]],
      ms: [],
      cpu: [],
    },
  ];
  const [render, tool, split] = /** @type {[typeof programs[0], typeof programs[0], typeof programs[0]]} */ (programs);
  if (!existsSync(SPLIT_YAML))
    tool.error = `${SPLIT_YAML} not found: install the Debian package (apt-get install kubernetes-split-yaml)`;
  if (!hasSplitCommand()) split.error = 'not measured: this build has no `split` command yet (hook in measureSplit)';
  const load = [loadavg()[0] ?? 0];
  for (let i = 0; i <= runs; i++) {
    for (const p of programs) {
      if (p.error) continue;
      out = join(BENCH_DIR, `split-out-${process.pid}-${outs.length}`);
      outs.push(out);
      // The previous run's files are still being written back: flush them, untimed, so that no run
      // pays for another's.
      spawnSync('sync');
      const [cmd, args] = p.args();
      const cpu0 = childCpuMs();
      const r = run(cmd, args);
      const cpu1 = childCpuMs();
      if (r.status !== 0) {
        p.error = `failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
        continue;
      }
      const files = countYamlFiles(out);
      if (files !== n) p.error = `wrote ${files} files for ${n} objects`;
      else if (i > 0) {
        // the first round checks and warms the page cache
        p.ms.push(r.ms);
        if (cpu0 !== undefined && cpu1 !== undefined) p.cpu.push(cpu1 - cpu0);
      }
    }
    load.push(loadavg()[0] ?? 0);
  }
  for (const o of outs) rmSync(o, { recursive: true, force: true });
  spawnSync('sync');
  /** @type {(p: typeof render) => { name: string, error?: string, stat?: ReturnType<typeof stats>, cpu?: ReturnType<typeof stats> }} */
  const row = (p) => ({
    name: p.name,
    error: p.error,
    stat: p.ms.length ? stats(p.ms) : undefined,
    cpu: p.cpu.length ? stats(p.cpu) : undefined,
  });
  return { n, runs, maxLoad: Math.max(...load), render: row(render), tool: row(tool), split: row(split) };
}

// ---------- report ----------

/** @type {(ms: number) => string} */
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);
/** @type {(s: ReturnType<typeof stats>) => string} */
const fmtStat = (s) => (s.n > 1 ? `${fmtMs(s.median)}  [${fmtMs(s.min)} .. ${fmtMs(s.max)}]` : fmtMs(s.median));
/** @type {(bytes: number) => string} */
const fmtMB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
/** @type {(x: number) => string} */
const fmtX = (x) => `${x.toFixed(2)}x`;
/** @type {(ok: boolean) => string} */
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/**
 * @param {string} title
 * @param {[string, string, string?, string?][]} rows [measure, value, target?, result?]
 */
function printTable(title, rows) {
  const head = ['measure', 'value', 'target', 'result'];
  const all = [head, ...rows.map((r) => [r[0], r[1], r[2] ?? '', r[3] ?? ''])];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  console.log(`\n${title}`);
  for (const [i, r] of all.entries()) {
    console.log(
      `  ${r
        .map((cell, c) => (cell ?? '').padEnd(widths[c] ?? 0))
        .join('   ')
        .trimEnd()}`,
    );
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  }
}

/**
 * @param {ReturnType<typeof measureSize>[]} results
 * @param {ReturnType<typeof measureStartup>} startup
 * @param {ReturnType<typeof measureEngine>[]} engines
 * @param {ReturnType<typeof measureSplit>[]} splits
 * @param {ReturnType<typeof parseArgs>} opts
 */
function report(results, startup, engines, splits, opts) {
  /** @type {[string, string, string][]} */
  const summary = []; // [target description, figure, PASS/FAIL]
  const byN = new Map(results.map((r) => [r.n, r]));

  for (const r of results) {
    const ratio = r.sr.median / r.floor.median;
    const ratioText = `${fmtX(ratio)} (CPU ${fmtX(r.srCpu.median / r.floorCpu.median)})`;
    const rssBytes = r.rssKB * 1024;
    /** @type {[string, string, string?, string?][]} */
    const rows = [
      ['safe-render render: wall (median [min .. max])', fmtStat(r.sr)],
      ['safe-render render: CPU user+sys', fmtStat(r.srCpu)],
      ['yaml floor (parse + toJS, same files): wall', fmtStat(r.floor)],
      ['yaml floor: CPU user+sys', fmtStat(r.floorCpu)],
    ];
    if (r.n === FLOOR_RATIO_SIZE) {
      const ok = ratio <= TARGETS.floorRatio;
      rows.push(['safe-render / floor, wall (CPU)', ratioText, `<= ${fmtX(TARGETS.floorRatio)}`, verdict(ok)]);
      summary.push([`render at ${r.n} objects <= ${fmtX(TARGETS.floorRatio)} floor`, ratioText, verdict(ok)]);
    } else {
      rows.push(['safe-render / floor, wall (CPU)', ratioText, `(target applies at ${FLOOR_RATIO_SIZE})`]);
    }
    if (r.kustomize) {
      rows.push(['kubectl kustomize: wall', fmtStat(r.kustomize)]);
      rows.push(['safe-render / kustomize, wall', fmtX(r.sr.median / r.kustomize.median)]);
    } else {
      rows.push(['kubectl kustomize', `not run (over --kustomize-max ${opts.kustomizeMax})`]);
    }
    rows.push(['peak RSS safe-render (floor), max of runs', `${fmtMB(rssBytes)} (${fmtMB(r.floorRssKB * 1024)})`]);
    const perInput = rssBytes / r.bytes;
    if (r.n === RSS_SIZE) {
      const ok = perInput < TARGETS.rssPerInput;
      rows.push(['peak RSS / input bytes', fmtX(perInput), `< ${TARGETS.rssPerInput}x`, verdict(ok)]);
      summary.push([`peak RSS at ${r.n} objects < ${TARGETS.rssPerInput}x input`, fmtX(perInput), verdict(ok)]);
    } else {
      rows.push(['peak RSS / input bytes', fmtX(perInput), `(target applies at ${RSS_SIZE})`]);
    }
    const from = r.n === GROWTH_TO ? byN.get(GROWTH_FROM) : undefined;
    if (from) {
      const growth = r.sr.median / from.sr.median;
      const ok = growth <= TARGETS.growth;
      const growthText = `${fmtX(growth)} (CPU ${fmtX(r.srCpu.median / from.srCpu.median)})`;
      rows.push([`growth ${GROWTH_FROM} -> ${r.n}, wall (CPU)`, growthText, `<= ${fmtX(TARGETS.growth)}`, verdict(ok)]);
      rows.push([
        `floor's own growth, wall (CPU)`,
        `${fmtX(r.floor.median / from.floor.median)} (CPU ${fmtX(r.floorCpu.median / from.floorCpu.median)})`,
      ]);
      summary.push([
        `time growth ${GROWTH_FROM} -> ${GROWTH_TO} objects <= ${fmtX(TARGETS.growth)}`,
        growthText,
        verdict(ok),
      ]);
    }
    printTable(
      `${r.n} objects: ${r.files} files, ${fmtMB(r.bytes)} in ${r.shown} (${r.sr.n} run${r.sr.n === 1 ? '' : 's'} each; load average up to ${r.maxLoad.toFixed(1)})`,
      rows,
    );
  }

  const diff = startup.sr.median - startup.bare.median;
  const ok = diff <= TARGETS.startupMs;
  printTable(`start-up (${startup.sr.n} runs each)`, [
    ['node -e 0 (median [min .. max])', fmtStat(startup.bare)],
    ['node dist/safe-render.cjs --help', fmtStat(startup.sr)],
    ['difference of medians', `${diff.toFixed(1)} ms`, `<= ${TARGETS.startupMs} ms`, verdict(ok)],
  ]);
  summary.push([`start-up within ${TARGETS.startupMs} ms of bare node`, `${diff.toFixed(1)} ms`, verdict(ok)]);

  for (const e of engines) {
    const overhead = e.sr.median / e.tool.median - 1;
    const okE = overhead < TARGETS.engineOverhead;
    const pct = `${(overhead * 100).toFixed(1)}%`;
    printTable(
      `${e.name} engine: ${e.objects} objects in ${e.shown} (${e.sr.n} runs each; load average up to ${e.maxLoad.toFixed(1)})`,
      [
        [`bare ${e.name}: wall`, fmtStat(e.tool)],
        ['safe-render render (runs it, then parses, checks, emits): wall', fmtStat(e.sr)],
        ['overhead over the bare tool', pct, `< ${TARGETS.engineOverhead * 100}%`, verdict(okE)],
        [`yaml floor on ${e.name}'s output alone (node start + parse): wall`, fmtStat(e.floor)],
        [
          'safe-render - bare tool - that floor (what safe-render adds beyond reading)',
          fmtMs(e.sr.median - e.tool.median - e.floor.median),
        ],
      ],
    );
    summary.push([`${e.name} engine overhead < ${TARGETS.engineOverhead * 100}%`, pct, verdict(okE)]);
  }

  for (const sp of splits) {
    /** @type {[string, string, string?, string?][]} */
    const rows = [sp.render, sp.tool, sp.split].flatMap((p) => [
      /** @type {[string, string]} */ ([`${p.name}: wall`, p.stat ? fmtStat(p.stat) : (p.error ?? 'not measured')]),
      ...(p.cpu ? [/** @type {[string, string]} */ ([`  CPU user+sys`, fmtStat(p.cpu)])] : []),
    ]);
    for (const [label, p] of /** @type {const} */ ([
      ['render -o', sp.render],
      ['split', sp.split],
    ])) {
      const what = `${label} at ${sp.n} objects no slower than kubernetes-split-yaml`;
      if (p.stat && sp.tool.stat) {
        const ratio = p.stat.median / sp.tool.stat.median;
        const ok = ratio <= 1;
        const cpu = p.cpu && sp.tool.cpu ? ` (CPU ${fmtX(p.cpu.median / sp.tool.cpu.median)})` : '';
        rows.push([`${label} / kubernetes-split-yaml, wall (CPU)`, `${fmtX(ratio)}${cpu}`, '<= 1.00x', verdict(ok)]);
        summary.push([what, `${fmtX(ratio)}${cpu}`, verdict(ok)]);
      } else if (!sp.tool.stat || p === sp.render) {
        // The comparison could not run: kubernetes-split-yaml missing or failing, or render -o failing.
        rows.push([`${label} / kubernetes-split-yaml, wall`, 'not measured', '<= 1.00x', 'FAIL']);
        summary.push([what, (p.stat ? sp.tool.error : p.error) ?? 'not measured', 'FAIL']);
        process.exitCode = 1;
      } else {
        rows.push([`${label} / kubernetes-split-yaml, wall`, p.error ?? 'not measured', '<= 1.00x', 'n/a']);
        summary.push([what, p.error ?? 'not measured', 'n/a']);
      }
    }
    printTable(
      `one object per file, ${sp.n} objects, each into a fresh folder (${sp.runs} run${sp.runs === 1 ? '' : 's'} each; load average up to ${sp.maxLoad.toFixed(1)})`,
      rows,
    );
  }
  if (opts.split && splits.length === 0)
    summary.push([
      `render -o no slower than kubernetes-split-yaml (at ${SPLIT_SIZES.join(', ')})`,
      'not measured',
      'n/a',
    ]);

  // Targets whose size was not in --sizes are reported as not measured rather than silently dropped.
  const have = (/** @type {number} */ n) => byN.has(n);
  if (!have(FLOOR_RATIO_SIZE))
    summary.push([`render at ${FLOOR_RATIO_SIZE} objects <= ${fmtX(TARGETS.floorRatio)} floor`, 'not measured', 'n/a']);
  if (!have(GROWTH_FROM) || !have(GROWTH_TO))
    summary.push([
      `time growth ${GROWTH_FROM} -> ${GROWTH_TO} objects <= ${fmtX(TARGETS.growth)}`,
      'not measured',
      'n/a',
    ]);
  if (!have(RSS_SIZE))
    summary.push([`peak RSS at ${RSS_SIZE} objects < ${TARGETS.rssPerInput}x input`, 'not measured', 'n/a']);

  const w = Math.max(...summary.map((s) => s[0].length));
  console.log('\ntargets');
  for (const [what, fig, res] of summary) console.log(`  ${res.padEnd(4)}  ${what.padEnd(w)}  ${fig}`);
}

// ---------- main ----------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(BUNDLE))
    throw new BenchError(`${relative(root, BUNDLE)} is missing: run \`npm run build\` (or \`npm run bench\`)`);
  if (opts.sizes.some((n) => n <= opts.kustomizeMax) && !existsSync(KUBECTL)) {
    throw new BenchError(`${relative(root, KUBECTL)} is missing: run \`npm run tools\` (or \`npm run bench\`)`);
  }
  await buildFloor();
  const results = [];
  for (const n of opts.sizes) results.push(measureSize(n, opts));
  console.error('bench: start-up...');
  const startup = measureStartup();
  const engines = opts.engines ? measureEngines(opts) : [];
  const splits = opts.split ? SPLIT_SIZES.filter((n) => opts.sizes.includes(n)).map((n) => measureSplit(n, opts)) : [];
  const nCpu = cpus().length;
  console.log(
    `safe-render bench: node ${process.version}, ${process.platform}/${process.arch}, ${nCpu} CPUs; whole processes, median of runs`,
  );
  const busiest = Math.max(startup.maxLoad, ...results.map((r) => r.maxLoad));
  if (busiest > nCpu * 0.75) {
    console.log(
      `note: the machine was busy (1-minute load average up to ${busiest.toFixed(1)} on ${nCpu} CPUs): wall times are inflated and`,
    );
    console.log('      noisy, and wall-time verdicts may flip between runs; the CPU figures are the steadier guide.');
  }
  report(results, startup, engines, splits, opts);
}

main().catch((e) => {
  console.error(e instanceof BenchError ? `bench: error: ${e.message}` : e);
  process.exit(1);
});
