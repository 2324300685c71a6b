#!/usr/bin/env node
// Issue 12's bench: `safe-render diff` of a 10k-object app between two commits, next to one `render`
// of it (target: diff at most 2.5 times the render). The app is generated here (deterministic: the
// same bytes every run, no ../shared needed) into a throw-away Git repository with two commits: the
// second bumps 100 image tags, removes 20 ConfigMaps and adds 20. Both commands run as whole fresh
// processes, as a person runs them; the median of --runs runs is compared.
//
//   node scripts/bench-diff.mjs [--objects N] [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(root, 'dist/safe-render.cjs');
const TARGET_RATIO = 2.5;

const args = process.argv.slice(2);
/** @type {(name: string, dflt: number) => number} */
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench-diff: --${name} takes a positive integer`);
    process.exit(2);
  }
  return n;
};
const OBJECTS = opt('objects', 10000);
const RUNS = opt('runs', 5);

const FILES = 100;

/** Object i of the app at a revision: Deployments, Services and ConfigMaps in turn. */
/** @param {number} i @param {number} rev */
function object(i, rev) {
  const name = `svc-${String(i).padStart(5, '0')}`;
  switch (i % 3) {
    case 0: {
      const tag = rev === 2 && i % 100 === 0 ? '1.1.0' : '1.0.0';
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}, team: t${i % 17}}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: main
          image: registry.example.com/${name}:${tag}
          ports: [{containerPort: 8080}]
          env:
            - {name: MODE, value: production}
            - {name: SHARD, value: "${i % 11}"}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
`;
    }
    case 1:
      return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
`;
    default:
      return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  config.yaml: |
    name: ${name}
    shard: ${i % 11}
`;
  }
}

/** The app at revision 1 or 2: 2 removes 20 ConfigMaps (i % 3 == 2, the first 20) and adds 20 new ones. */
/** @param {string} dir @param {number} rev */
function writeApp(dir, rev) {
  /** @type {string[][]} */
  const byFile = Array.from({ length: FILES }, () => []);
  let removed = 0;
  for (let i = 0; i < OBJECTS; i++) {
    if (rev === 2 && i % 3 === 2 && removed < 20) {
      removed++;
      continue;
    }
    byFile[i % FILES]?.push(object(i, rev));
  }
  if (rev === 2) for (let j = 0; j < 20; j++) byFile[j]?.push(object(OBJECTS + 3 * j + 2, rev));
  mkdirSync(dir, { recursive: true });
  byFile.forEach((docs, f) => writeFileSync(join(dir, `part-${String(f).padStart(3, '0')}.yaml`), docs.join('---\n')));
}

/** @param {string} cwd @param {string[]} a */
function git(cwd, ...a) {
  const r = spawnSync('git', a, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@example.com',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@example.com',
    },
  });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** @param {string[]} argv @param {string} cwd */
function time(argv, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BUNDLE, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`safe-render ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { ms, stdout: r.stdout };
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const repo = mkdtempSync(join(tmpdir(), 'safe-render-bench-diff-'));
try {
  git(repo, 'init', '-q', '-b', 'main');
  writeApp(join(repo, 'apps/big'), 1);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'one');
  const c1 = git(repo, 'rev-parse', 'HEAD');
  rmSync(join(repo, 'apps/big'), { recursive: true });
  writeApp(join(repo, 'apps/big'), 2);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'two');
  const c2 = git(repo, 'rev-parse', 'HEAD');

  const render = [];
  const diff = [];
  let summary = '';
  // Warm the file cache once, then alternate, so load on a shared machine hits both alike.
  time(['render', 'apps/big', '--namespace', 'bench'], repo);
  for (let i = 0; i < RUNS; i++) {
    render.push(time(['render', 'apps/big', '--namespace', 'bench'], repo).ms);
    const d = time(['diff', 'apps/big', '--namespace', 'bench', '--base', c1, '--head', c2], repo);
    diff.push(d.ms);
    summary = d.stdout.split('\n')[0] ?? '';
  }
  const r = median(render);
  const d = median(diff);
  const ratio = d / r;
  console.log(`diff bench: ${OBJECTS} objects, ${RUNS} runs (median); change: ${summary}`);
  console.log(`  render            ${r.toFixed(0)} ms`);
  console.log(`  diff (2 commits)  ${d.toFixed(0)} ms`);
  console.log(
    `  ratio             ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER'}`,
  );
} finally {
  rmSync(repo, { recursive: true, force: true });
}
