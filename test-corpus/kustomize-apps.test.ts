// Corpus parity (a): every kustomize app of apps.tsv that `kubectl kustomize` renders offline renders
// through safe-render to the same set of objects.
//
// The checks are not the subject here, and the corpus is read-only, so each corpus repository is
// copied to a temporary folder (made a repository root with .git/) and each app gets a permissive
// safe-render.yaml: every namespace, every kind it renders allowed as cluster-scoped, empty allowed.
// Rules that cannot be switched off by config still refuse some apps; those are listed below with
// the reason, the test asserts exactly those rules, and compares the engine's output one level lower
// (the render stage, before the checks) so that every app is still checked for parity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../src/config/app-config';
import { parseManifests } from '../src/parse/parse-manifests';
import { renderApp } from '../src/render/render-app';
import { TOOLS_BIN } from '../test/helpers';
import {
  CORPUS,
  copyRepos,
  elapsed,
  kindsOf,
  kubectlKustomize,
  objectSet,
  parseJsonLines,
  parseYamlStream,
  pool,
  POOL,
  readTsv,
  refusedRules,
  requireCorpusAndTools,
  safeRender,
  setDiff,
} from './corpus';

/** Apps safe-render refuses even with a permissive safe-render.yaml, by rule, and why. */
export const KUSTOMIZE_REFUSALS: Array<{ rule: string; apps: string[]; why: string }> = [
  {
    rule: 'invalid-object',
    apps: [
      'kubernetes-sigs__kustomize/examples-md/breakfast/breakfast/base',
      'kubernetes-sigs__kustomize/examples-md/breakfast/breakfast/overlays/alice',
      'kubernetes-sigs__kustomize/examples-md/breakfast/breakfast/overlays/bob',
    ],
    why:
      "the demo's toy resources (kind: Coffee, kind: Pancakes) have no apiVersion; kustomize does not care, but no API server " +
      'or Argo CD sync can take them, and no configuration makes an object without apiVersion valid',
  },
  {
    rule: 'duplicate-object',
    apps: [
      'theepicsaxguy__homelab/k8s/infrastructure/network/policies',
      'theepicsaxguy__homelab/k8s/infrastructure/network/policies/applications',
    ],
    why:
      'each sub-kustomization sets its own namespace on the same CiliumClusterwideNetworkPolicy objects; kustomize takes the kind for ' +
      'namespaced and keeps 3-4 copies, but the kind is cluster-scoped, so Argo CD clears the namespace and would keep only the ' +
      'last copy of each: a real duplicate with different content, which no configuration allows',
  },
];

/** Apps that do not render through safe-render at all (exit 2), and why. */
export const KUSTOMIZE_FAILURES: Array<{ message: RegExp; apps: string[]; why: string }> = [];

type Outcome =
  | { kind: 'match'; count: number }
  | { kind: 'refused'; rules: string[]; engineParity: boolean; detail: string }
  | { kind: 'failed'; message: string }
  | { kind: 'differs'; detail: string };

// The render stage below runs kubectl from .tools/bin, as the bundle does under test.
process.env.PATH = `${TOOLS_BIN}:${process.env.PATH ?? ''}`;

async function engineObjects(repoRoot: string, appDir: string): Promise<unknown[]> {
  const app = {
    appName: 'parity',
    namespace: 'parity',
    project: '',
    repoURL: '',
    sourcePath: '',
    revision: '',
    targetRevision: '',
    kubeVersion: '',
    apiVersions: [],
    env: {},
    parameters: [],
    appDir,
    repoRoot,
  };
  const { sources } = await renderApp(app, DEFAULT_CONFIG, undefined, {});
  return parseManifests(sources).map((d) => d.value);
}

test('corpus (a): kustomize apps render to the same objects as kubectl kustomize', async () => {
  requireCorpusAndTools();
  const started = Date.now();
  const apps = readTsv(join(CORPUS, 'apps.tsv')).filter((r) => r.kind === 'kustomize' && r.kubectl_kustomize === 'ok');
  assert.ok(apps.length > 800, `apps.tsv lists only ${apps.length} kustomize apps that kubectl renders`);
  const repos = copyRepos([...new Set(apps.map((a) => a.path!.split('/')[0]!))]);
  try {
    const outcomes = await pool(apps, POOL, async ({ path }): Promise<Outcome> => {
      const ref = await kubectlKustomize(join(CORPUS, path!));
      assert.equal(ref.code, 0, `${path}: kubectl kustomize failed although apps.tsv says ok: ${ref.stderr}`);
      const expected = parseYamlStream(ref.stdout, `${path}: kubectl kustomize output`);
      const [repo, ...rest] = path!.split('/');
      const repoRoot = join(repos.root, repo!);
      const appDir = join(repoRoot, ...rest);
      assert.ok(!existsSync(join(join(CORPUS, path!), 'safe-render.yaml')), `${path} has its own safe-render.yaml`);
      writeFileSync(
        join(appDir, 'safe-render.yaml'),
        `# permissive: the checks are not under test\nnamespaces: ["*"]\nallowEmpty: true\nclusterScoped: ${JSON.stringify(kindsOf(expected))}\n`,
      );
      // The repository's own URL, as Argo CD passes it: ApplicationSets whose git generator reads this
      // repository are then checked against its folders instead of refused as unknowable.
      const repoURL = `https://github.com/${repo!.replace('__', '/')}`;
      const r = await safeRender(
        ['render', rest.join('/') || '.', '--app', 'parity', '--namespace', 'parity', '--repo-url', repoURL],
        repoRoot,
      );
      if (r.code === 0) {
        const diff = setDiff(objectSet(expected), objectSet(parseJsonLines(r.stdout)));
        return diff.startsWith('0 missing from safe-render, 0 extra')
          ? { kind: 'match', count: expected.length }
          : { kind: 'differs', detail: diff };
      }
      if (r.code === 1) {
        const lower = setDiff(objectSet(expected), objectSet(await engineObjects(repoRoot, appDir)));
        return {
          kind: 'refused',
          rules: refusedRules(r.stderr),
          engineParity: lower.startsWith('0 missing from safe-render, 0 extra'),
          detail: `${r.stderr
            .split('\n')
            .filter((l) => l.startsWith('error['))
            .slice(0, 3)
            .join('\n')}\n${lower}`,
        };
      }
      return { kind: 'failed', message: r.stderr };
    });

    const problems: string[] = [];
    const counts = { match: 0, refused: 0, failed: 0 };
    const seen = new Set<string>();
    apps.forEach(({ path }, i) => {
      const o = outcomes[i]!;
      const refusal = KUSTOMIZE_REFUSALS.filter((e) => e.apps.includes(path!));
      const failure = KUSTOMIZE_FAILURES.find((e) => e.apps.includes(path!));
      if (refusal.length || failure) seen.add(path!);
      if (o.kind === 'differs')
        problems.push(`${path}: safe-render rendered different objects than kubectl kustomize\n${o.detail}`);
      else if (o.kind === 'match') {
        counts.match++;
        if (refusal.length || failure)
          problems.push(`${path}: listed as refused/failed but now matches; remove it from the table`);
      } else if (o.kind === 'refused') {
        counts.refused++;
        const want = refusal.map((e) => e.rule).sort();
        if (JSON.stringify(want) !== JSON.stringify(o.rules))
          problems.push(
            `${path}: refused by ${o.rules.join(', ')}, the table says ${want.join(', ') || 'nothing'}\n${o.detail}`,
          );
        if (!o.engineParity)
          problems.push(`${path}: the engine output (before the checks) differs from kubectl kustomize\n${o.detail}`);
      } else {
        counts.failed++;
        if (!failure) problems.push(`${path}: render-failed: ${o.message}`);
        else if (!failure.message.test(o.message))
          problems.push(`${path}: render-failed with an unexpected message: ${o.message}`);
      }
    });
    for (const e of [...KUSTOMIZE_REFUSALS, ...KUSTOMIZE_FAILURES])
      for (const p of e.apps)
        if (!apps.some((a) => a.path === p))
          problems.push(`table lists ${p}, which is not an ok kustomize app of apps.tsv`);
    console.log(
      `corpus (a): ${apps.length} kustomize apps: ${counts.match} match, ${counts.refused} refused (engine output matches), ${counts.failed} render-failed; ${elapsed(started)}`,
    );
    assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n\n')}`);
  } finally {
    repos.cleanup();
  }
});
