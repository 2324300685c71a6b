// Corpus (d): `safe-render ci --include-native` over each of the six corpus repositories (issue 11, "Done
// when": the corpus runs through ci without crashing; the parity test passes for every app it can run on).
//
// No corpus Application names this plugin, so a plain `ci` skips every app ("another tool: ..."): the
// test runs with --include-native, which renders each app of the repository that uses Argo CD's own
// kustomize/helm/directory as safe-render would render its folder. Each repository is copied to a temp
// folder and made a real Git repository (git init, one commit, `origin` = its GitHub URL, so the
// Applications and ApplicationSet git generators that name it are "this repository"). The run must exit
// 0 or 1 (never 2, never a stack trace), write a JSON report `ci merge` would accept, and give the
// counts of CI_EXPECTED; then every checked app is replayed through the sidecar harness
// (test/harness/cmp-server.ts) with the environment Argo CD would send it: for an app that passed the
// bytes must hash to the report's sha256, an app refused must be refused by the same rules, an app
// that failed must fail (stdout empty). What each finding means is in docs/development/ci-corpusci.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isToolOutput } from '../src/ci/app-place';
import { validateCiReport } from '../src/ci/report-validate';
import type { CiApp, CiReport } from '../src/ci/report-model';
import { BUNDLE, TOOLS_BIN } from '../test/helpers';
import { runGenerate } from '../test/harness/cmp-server';
import { CORPUS, elapsed, pool, refusedRules, requireCorpusAndTools, run } from './corpus';

requireCorpusAndTools();

/** Why an app failed to render, in the classes of docs/development/ci-corpusci.md. */
function failureClass(app: CiApp): string {
  const m = app.findings.find((f) => f.rule === 'render-failed')?.message ?? '';
  if (/downloads the chart|is remote; the sidecar has no network/.test(m)) return 'network';
  // A file the corpus did not copy (.sh, .py, .js, ...: SOURCES.md, not-copied-refs.tsv).
  if (/evalsymlink failure on .*no such file/.test(m)) return 'not-copied';
  if (/does not exist in the repository/.test(m)) return 'missing-path';
  return 'other';
}

interface Counts {
  /** Every app in the report, checked or skipped. */
  apps: number;
  passed: number;
  /** Refused apps by the rules of their error findings (an app counts once per rule). */
  refused: Record<string, number>;
  /** Apps with a warning, by rule (an app counts once per rule). */
  warnings: Record<string, number>;
  /** Failed apps by failureClass. */
  failed: Record<string, number>;
  skipped: number;
  /** ApplicationSet generators not evaluated offline. */
  notEvaluated: number;
  /** Repository findings (cross-app rules, repository-wide deletion budget), by rule. */
  repository: Record<string, number>;
  exitCode: 0 | 1;
}

/** The six repositories (SOURCES.md), each with what ci finds in it at the corpus commit. */
export const CI_EXPECTED: Array<{ folder: string; url: string; counts: Counts }> = [
  {
    // The app-of-apps is a Helm chart (apps/templates/applications.yaml): templates are not YAML, so
    // discovery reads no Application; nothing else in the repository is an Argo CD object.
    folder: 'argoproj__argocd-example-apps',
    url: 'https://github.com/argoproj/argocd-example-apps',
    counts: {
      apps: 0,
      passed: 0,
      refused: {},
      warnings: {},
      failed: {},
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 0,
    },
  },
  {
    folder: 'kubernetes-sigs__kustomize',
    url: 'https://github.com/kubernetes-sigs/kustomize',
    counts: {
      apps: 0,
      passed: 0,
      refused: {},
      warnings: {},
      failed: {},
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 0,
    },
  },
  {
    // One e2e Application (test/e2e/testdata/self-managed-app) whose path is relative to the e2e
    // fixture repository, not to argo-cd: Argo CD fails it too ("app path does not exist"). The other
    // e2e Applications are Go templates ({{.Name}}), not YAML.
    folder: 'argoproj__argo-cd',
    url: 'https://github.com/argoproj/argo-cd',
    counts: {
      apps: 1,
      passed: 0,
      refused: {},
      warnings: {},
      failed: { 'missing-path': 1 },
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 1,
    },
  },
  {
    folder: 'theepicsaxguy__homelab',
    url: 'https://github.com/theepicsaxguy/homelab',
    counts: {
      apps: 18,
      passed: 2,
      refused: { 'namespace-escape': 5, 'cluster-scoped': 3 },
      warnings: { 'cluster-scoped': 1 },
      failed: { network: 9, 'not-copied': 2 },
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 1,
    },
  },
  {
    folder: 'mitchross__talos-argocd-proxmox',
    url: 'https://github.com/mitchross/talos-argocd-proxmox',
    counts: {
      apps: 97,
      passed: 43,
      refused: { 'namespace-escape': 5, 'cluster-scoped': 13 },
      // Unknown scope of kinds whose CRD another app installs (kopiur, temporal.io); the VPA ones of 40
      // apps went when autoscaling.k8s.io joined the well-known CRDs (src/model/kube-scopes.ts).
      warnings: { 'cluster-scoped': 20 },
      failed: { network: 31, 'not-copied': 7 },
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 1,
    },
  },
  {
    // A kustomize catalog that other repositories' Applications point at: no Application of its own.
    folder: 'redhat-cop__gitops-catalog',
    url: 'https://github.com/redhat-cop/gitops-catalog',
    counts: {
      apps: 0,
      passed: 0,
      refused: {},
      warnings: {},
      failed: {},
      skipped: 0,
      notEvaluated: 0,
      repository: {},
      exitCode: 0,
    },
  },
];

const KUBE_VERSION = '1.29.3';
const API_VERSIONS = ['apps/v1', 'batch/v1', 'v1'];
const ENV = { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}` };

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=corpus', '-c', 'user.email=corpus@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function countsOf(report: CiReport): Counts {
  const inc = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
  const c: Counts = {
    apps: report.apps.length,
    passed: 0,
    refused: {},
    warnings: {},
    failed: {},
    skipped: 0,
    notEvaluated: report.notEvaluated.length,
    repository: {},
    exitCode: report.exitCode,
  };
  for (const a of report.apps) {
    for (const r of new Set(a.findings.filter((f) => f.severity === 'warning').map((f) => f.rule))) inc(c.warnings, r);
    if (a.verdict === 'passed') c.passed++;
    else if (a.verdict === 'skipped') c.skipped++;
    else if (a.verdict === 'failed') inc(c.failed, failureClass(a));
    else
      for (const r of new Set(a.findings.filter((f) => f.severity === 'error').map((f) => f.rule))) inc(c.refused, r);
  }
  for (const f of report.findings) inc(c.repository, f.rule);
  return c;
}

const sources = readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8');

for (const { folder, url, counts } of CI_EXPECTED) {
  test(`ci --include-native over ${folder}: exit 0/1, a valid report, the expected counts, the sidecar's bytes and verdict for every app`, async () => {
    const t0 = Date.now();
    assert.ok(
      sources.includes(`| \`${folder}/\` | ${url.replace('https://github.com/', '')} |`),
      `${folder} in SOURCES.md`,
    );
    const tmp = mkdtempSync(join(tmpdir(), 'safe-render-corpus-ci-'));
    try {
      const dir = join(tmp, folder);
      cpSync(join(CORPUS, folder), dir, { recursive: true });
      git(dir, ['init', '-q', '-b', 'main']);
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'corpus snapshot']);
      git(dir, ['remote', 'add', 'origin', url]);
      const head = git(dir, ['rev-parse', 'HEAD']);
      const file = join(tmp, 'report.json');
      const r = await run(
        process.execPath,
        [
          BUNDLE,
          'ci',
          '--include-native',
          '--jobs',
          '2',
          '--kube-version',
          KUBE_VERSION,
          '--api-versions',
          API_VERSIONS.join(','),
          '--report',
          `json=${file}`,
        ],
        { cwd: dir, env: ENV, timeoutMs: 300_000 },
      );
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr.slice(0, 2000)}`);
      assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace on stderr');
      assert.equal(r.stdout, '', 'stdout stays empty without --report FORMAT=-');
      const parsed = validateCiReport(JSON.parse(readFileSync(file, 'utf8')));
      assert.ok(!('error' in parsed), `invalid report: ${'error' in parsed ? parsed.error : ''}`);
      const report = parsed as CiReport;
      assert.equal(report.exitCode, r.code);
      assert.equal(report.repo.revision, head);
      // Every app checked here is a preview of an Argo CD tool: none of the corpus names the plugin.
      for (const a of report.apps) if (a.verdict !== 'skipped') assert.ok(a.native, `${a.id} is not native`);
      assert.deepEqual(countsOf(report), counts);
      // Every corpus Application and ApplicationSet is also in a file of its own: the report points
      // there, not at the parent's `... (kustomize output)` (app-place.ts).
      for (const a of report.apps) assert.ok(!isToolOutput(a.definedIn), `${a.id}: ${a.definedIn.file}`);

      // Parity: the sidecar, given what Argo CD sends for the app, prints the bytes ci hashed for an app
      // that passed, and refuses (the same rules) or fails every other one.
      const checked = report.apps.filter((a) => a.verdict !== 'skipped');
      await pool(checked, 2, async (a) => {
        const slash = a.id.indexOf('/');
        const g = await runGenerate({
          repoDir: dir,
          name: slash < 0 ? a.id : a.id.slice(slash + 1),
          ...(slash < 0 ? {} : { appNamespace: a.id.slice(0, slash) }),
          project: a.native!.project,
          repoURL: url,
          path: a.sourcePath ?? '',
          revision: head,
          targetRevision: a.native!.targetRevision,
          destinationNamespace: a.native!.namespace,
          kubeVersion: `v${KUBE_VERSION}`,
          apiVersions: API_VERSIONS,
          plugin: { name: 'safe-render', parameters: a.native!.parameters },
        });
        if (a.verdict === 'passed') {
          assert.ok(g.ok, `${a.id}: ${g.error ?? ''} ${g.stderr.slice(0, 1000)}`);
          const sha = createHash('sha256').update(g.stdout).digest('hex');
          assert.equal(sha, a.sha256, `${a.id}: ci and the sidecar rendered different bytes`);
          return;
        }
        assert.ok(!g.ok, `${a.id}: ${a.verdict} in ci, rendered by the sidecar`);
        assert.equal(g.stdout, '', `${a.id}: the sidecar printed objects for a ${a.verdict} app`);
        if (a.verdict === 'refused') {
          const rules = [...new Set(a.findings.filter((f) => f.severity === 'error').map((f) => f.rule))].sort();
          assert.deepEqual(refusedRules(g.stderr), rules, `${a.id}: the sidecar refused with other rules`);
        }
      });
      console.log(`ci ${folder}: ${JSON.stringify(counts)}; ${checked.length} replayed; ${elapsed(t0)}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
