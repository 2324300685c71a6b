// The `ci` section of `npm run bench` (issue 11): `safe-render ci` over a generated repository of many
// small apps, next to one `safe-render render` process per app, the way a CI job without `ci` would
// check them. Target: `ci` takes at most half the total time of the separate processes. The repository
// is generated here (deterministic: same count, same bytes), so the section needs nothing outside the
// project; it is kept in .bench/ci-<apps>/ between runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CI_TARGET_RATIO = 0.5;
const REPO_URL = 'https://git.example.com/platform/bench-apps.git';

/** One small app: a Deployment, a Service and a ConfigMap, each in its own file (the layout we advise).
 * @param {number} i
 * @returns {{ name: string, files: Record<string, string> }} */
function appFiles(i) {
  const name = `app-${String(i).padStart(3, '0')}`;
  const labels = `  labels:\n    app.kubernetes.io/name: ${name}\n`;
  return {
    name,
    files: {
      [`apps/${name}/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${labels}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ${name}\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/${name}:1.${i}.0\n          ports:\n            - containerPort: 8080\n`,
      [`apps/${name}/service.yaml`]: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${labels}spec:\n  selector:\n    app.kubernetes.io/name: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
      [`apps/${name}/configmap.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n${labels}data:\n  LOG_LEVEL: info\n  INDEX: "${i}"\n`,
      [`argocd/${name}.yaml`]: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n  source:\n    repoURL: ${REPO_URL}\n    path: apps/${name}\n    targetRevision: HEAD\n    plugin:\n      name: safe-render\n`,
    },
  };
}

/** @param {string} cwd @param {string[]} args */
function git(cwd, args) {
  const r = spawnSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** The repository of `count` apps, with its commit and origin remote, as a CI job checks it out.
 * @param {string} benchDir @param {number} count */
export function ensureCiRepo(benchDir, count) {
  const dir = join(benchDir, `ci-${count}`);
  if (existsSync(join(dir, '.git', 'HEAD'))) return { dir, apps: Array.from({ length: count }, (_, i) => appFiles(i)) };
  rmSync(dir, { recursive: true, force: true });
  const apps = [];
  for (let i = 0; i < count; i++) {
    const app = appFiles(i);
    apps.push(app);
    for (const [rel, text] of Object.entries(app.files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['remote', 'add', 'origin', REPO_URL]);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench apps']);
  return { dir, apps };
}

/**
 * `ci` over the repository (best of `runs`) next to one `render` process per app (all of them, once:
 * the sum of their wall times, as a CI loop over apps would spend it).
 * @typedef {{ ms: number, status: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }} RunResult
 * @param {{ benchDir: string, bundle: string, count: number, runs: number,
 *   run: (cmd: string, args: string[]) => RunResult, mustSucceed: (what: string, r: RunResult) => RunResult }} o
 */
export function measureCi({ benchDir, bundle, count, runs, run, mustSucceed }) {
  const { dir, apps } = ensureCiRepo(benchDir, count);
  const node = process.execPath;
  const ciArgs = [bundle, 'ci', dir, '--quiet'];
  mustSucceed(`safe-render ci (${count} apps)`, run(node, ciArgs)); // check and warm-up
  const ci = [];
  for (let i = 0; i < runs; i++) ci.push(mustSucceed(`safe-render ci (${count} apps)`, run(node, ciArgs)).ms);
  let separate = 0;
  for (const app of apps) {
    const args = [bundle, 'render', join(dir, 'apps', app.name), '--app', app.name, '--namespace', app.name];
    args.push('--repo-url', REPO_URL);
    separate += mustSucceed(`safe-render render ${app.name}`, run(node, args)).ms;
  }
  const best = Math.min(...ci);
  return { count, ciMs: best, ciRuns: ci, separateMs: separate, perAppMs: best / count, ratio: best / separate };
}
