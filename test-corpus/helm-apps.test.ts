// Corpus parity (c): every helm app of apps.tsv. A chart that renders offline with `helm template`
// gives the same objects through safe-render with the same arguments (release name, namespace, kube
// version, API versions, --include-crds as Argo CD passes it). A chart that needs the network
// (dependencies not vendored in charts/) must fail in safe-render with the vendoring message. A chart
// that helm cannot render for another reason (the corpus did not copy its _helpers.tpl) must fail
// in safe-render too, with helm's own error, never as an empty render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CORPUS,
  copyRepos,
  elapsed,
  helmTemplate,
  kindsOf,
  objectSet,
  parseJsonLines,
  parseYamlStream,
  pool,
  POOL,
  readTsv,
  requireCorpusAndTools,
  safeRender,
  setDiff,
} from './corpus';

const RELEASE = 'parity';
const NAMESPACE = 'parity';
const KUBE_VERSION = '1.31.4';
const API_VERSIONS = [
  'v1',
  'apps/v1',
  'apps/v1/Deployment',
  'argoproj.io/v1alpha1',
  'argoproj.io/v1alpha1/Rollout',
  'policy/v1',
];

/** Charts helm itself cannot render offline for a reason other than dependencies, and why. */
export const HELM_EXCLUDED: Array<{ apps: string[]; helmError: RegExp; why: string }> = [
  {
    apps: ['argoproj__argocd-example-apps/helm-guestbook', 'argoproj__argocd-example-apps/blue-green'],
    helmError: /template "helm-guestbook\.fullname" not defined/,
    why: 'the templates call helpers from templates/_helpers.tpl, which the corpus did not copy (only YAML files were copied, see SOURCES.md)',
  },
  {
    apps: ['kubernetes-sigs__kustomize/api/krusty/testdata/helmcharts/test-chart'],
    helmError: /template "apiversion" not defined/,
    why: 'the test pod template calls a helper from templates/_helpers.tpl, which the corpus did not copy',
  },
];

type Outcome = 'match' | 'vendoring' | 'excluded';

test('corpus (c): helm charts render like helm template; unvendored dependencies fail with how to vendor them', async () => {
  requireCorpusAndTools();
  const started = Date.now();
  const apps = readTsv(join(CORPUS, 'apps.tsv')).filter((r) => r.kind === 'helm');
  assert.ok(apps.length >= 20, `apps.tsv lists only ${apps.length} helm apps`);
  const repos = copyRepos([...new Set(apps.map((a) => a.path!.split('/')[0]!))]);
  const home = mkdtempSync(join(tmpdir(), 'safe-render-helm-home-'));
  const problems: string[] = [];
  try {
    const outcomes = await pool(apps, POOL, async ({ path }): Promise<Outcome | undefined> => {
      const original = join(CORPUS, path!);
      const ref = await helmTemplate(
        [
          RELEASE,
          '.',
          '--namespace',
          NAMESPACE,
          '--include-crds',
          '--kube-version',
          KUBE_VERSION,
          ...API_VERSIONS.flatMap((v) => ['--api-versions', v]),
        ],
        original,
        home,
      );
      const [repo, ...rest] = path!.split('/');
      const repoRoot = join(repos.root, repo!);
      const chartDir = join(repoRoot, ...rest);
      const expected = ref.code === 0 ? parseYamlStream(ref.stdout, `${path}: helm template output`) : [];
      // A folder with a kustomization too (argocd-example-apps/plugins/kustomized-helm) is ambiguous
      // to safe-render until it says engine: helm; this corpus row is about the chart.
      const both = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) =>
        existsSync(join(original, f)),
      );
      if (both) {
        const ambiguous = await safeRender(
          ['render', rest.join('/'), '--app', RELEASE, '--namespace', NAMESPACE],
          repoRoot,
        );
        if (
          ambiguous.code !== 2 ||
          !/has both kustomization\.yaml and Chart\.yaml; set `engine: kustomize` or `engine: helm`/.test(
            ambiguous.stderr,
          )
        ) {
          problems.push(
            `${path}: a folder with a kustomization and Chart.yaml should be a usage error without engine:, got exit ${ambiguous.code}: ${ambiguous.stderr}`,
          );
        }
      }
      writeFileSync(
        join(chartDir, 'safe-render.yaml'),
        `namespaces: ["*"]\nallowEmpty: true\nclusterScoped: ${JSON.stringify(kindsOf(expected))}\n${both ? 'engine: helm\n' : ''}`,
      );
      const r = await safeRender(
        [
          'render',
          rest.join('/'),
          '--app',
          RELEASE,
          '--namespace',
          NAMESPACE,
          '--kube-version',
          KUBE_VERSION,
          '--api-versions',
          API_VERSIONS.join(','),
        ],
        repoRoot,
      );
      const excluded = HELM_EXCLUDED.find((e) => e.apps.includes(path!));
      if (ref.code === 0) {
        if (excluded) problems.push(`${path}: listed in HELM_EXCLUDED but helm renders it; remove it from the table`);
        if (r.code !== 0)
          return void problems.push(`${path}: helm template renders it, safe-render exits ${r.code}: ${r.stderr}`);
        const diff = setDiff(objectSet(expected), objectSet(parseJsonLines(r.stdout)));
        if (!diff.startsWith('0 missing from safe-render, 0 extra'))
          return void problems.push(`${path}: safe-render differs from helm template\n${diff}`);
        return 'match';
      }
      if (r.code !== 2 || r.stdout !== '' || !/^error\[render-failed\]/m.test(r.stderr))
        return void problems.push(
          `${path}: helm template fails, safe-render should be render-failed (exit 2, empty stdout); got exit ${r.code}: ${r.stderr}`,
        );
      if (/missing in charts\/ directory/.test(ref.stderr)) {
        if (
          !/which is not vendored in charts\/; the sidecar has no network\. Fix: run `helm dependency build [^`]+` and commit the charts\/ folder/.test(
            r.stderr,
          )
        ) {
          return void problems.push(
            `${path}: unvendored dependencies should fail with the vendoring message, got: ${r.stderr}`,
          );
        }
        return 'vendoring';
      }
      if (!excluded)
        return void problems.push(`${path}: helm template fails and the chart is not in HELM_EXCLUDED: ${ref.stderr}`);
      if (!excluded.helmError.test(ref.stderr))
        problems.push(`${path}: helm fails differently than HELM_EXCLUDED says: ${ref.stderr}`);
      if (!excluded.helmError.test(r.stderr))
        problems.push(`${path}: safe-render should fail with helm's error (${excluded.helmError}), got: ${r.stderr}`);
      return 'excluded';
    });
    for (const e of HELM_EXCLUDED)
      for (const p of e.apps)
        if (!apps.some((a) => a.path === p))
          problems.push(`HELM_EXCLUDED lists ${p}, which is not a helm app of apps.tsv`);
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    console.log(
      `corpus (c): ${apps.length} helm apps: ${count('match')} match helm template, ${count('vendoring')} refused for unvendored dependencies, ${count('excluded')} excluded (helm cannot render them offline either); ${elapsed(started)}`,
    );
    assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n\n')}`);
  } finally {
    repos.cleanup();
    rmSync(home, { recursive: true, force: true });
  }
});
