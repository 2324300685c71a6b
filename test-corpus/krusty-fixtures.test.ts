// Corpus parity (b): every krusty fixture case (kustomize's own api/krusty tests) that kubectl's
// kustomize 5.5 renders as the test expects still renders to expected.yaml through safe-render.
// Each case's fs/ is copied to a temporary repository with a permissive safe-render.yaml (the
// checks are not under test); cases the checks refuse anyway, or whose options safe-render does not
// offer, are listed below with the reason, and the test asserts exactly that outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CORPUS,
  elapsed,
  kindsOf,
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

const FIXTURES = join(CORPUS, 'kubernetes-sigs__kustomize/krusty-fixtures');

/** Cases safe-render refuses even with a permissive safe-render.yaml, by rule, and why. */
export const FIXTURE_REFUSALS: Array<{ rule: string; cases: string[]; why: string }> = [
  {
    rule: 'invalid-object',
    cases: [
      'transformersimage/TestTransfomersImageCustomConfig',
      'transformersimage/TestTransfomersImageDefaultConfig',
    ],
    why:
      'the test objects (kind: customKind, kind: randomKind) have no apiVersion: fine for testing the image transformer, ' +
      'but no API server or Argo CD sync can take them, and no configuration makes them valid',
  },
  {
    rule: 'invalid-object',
    cases: ['namereference/TestIssue4682_NameReferencesToSelfInAnnotations'],
    why: 'the test sets namespace "newNs", which is not a valid namespace name (RFC 1123 labels are lower case); the API server would reject it',
  },
  {
    rule: 'invalid-object',
    cases: [
      'baseandoverlaysmall/TestBaseInResourceList',
      'baseandoverlaysmall/TestOrderPreserved',
      'baseandoverlaysmall/TestSmallBase',
      'baseandoverlaysmall/TestSmallOverlay',
      'baseandoverlaysmall/TestSmallOverlayJSONPatch',
      'baseandoverlaysmall/TestTinyOverlay',
      'generatoroptions/TestGeneratorOptionsOverlayDisableNameSuffixHash',
      'generatoroptions/TestGeneratorOptionsWithBases',
      'multiplepatch/TestVolumeRemoveEmptyDirInOverlay__1',
      'multiplepatch/TestVolumeRemoveEmptyDirInOverlay__2',
      'namereference/TestIssue3489Simplified',
      'namespacedgenerators/TestNamespacedGeneratorWithOverlays',
      'namespacepropagation/TestNamespacePropagationDoesNotBreakPatchWithNameSuffix',
      'openapicustomschema/TestCustomOpenApiFieldDefaultVersion',
      'openapicustomschema/TestCustomOpenApiFieldVersion',
      'originannotation/TestAnnoOriginLocalFiles',
      'originannotation/TestAnnoOriginLocalFilesWithOverlay',
      'poddisruptionbudget/TestPodDisruptionBudgetBasics',
      'resourceconflict/TestMidLevelA',
      'resourceconflict/TestMidLevelB',
      'resourceconflict/TestMultibasesNoConflict',
      'transformerannotation/TestAnnoOriginAndTransformerBuiltinLocal',
      'transformerannotation/TestAnnoTransformerBuiltinLocal',
      'transformerannotation/TestAnnoTransformerLocalFilesWithOverlay',
      'variableref/TestDeploymentAnnotations',
      'variableref/TestSimpleServicePortVarReplace',
      'variableref/TestVariableRefIngressBasic',
    ],
    why:
      'the test objects have names with upper case or "_" (myService, myDeployment, baseCm-..., suffixA, myNs, pdbLiteral, ' +
      'hoge-schedule_job_1): kustomize does not validate names, but the API server refuses them for these kinds ' +
      '(DNS-1123 subdomain or label, DNS-1035 label for a Service), so Argo CD could never apply them (issue 9 §1)',
  },
];

/** Cases that cannot render through safe-render (exit 2), with the message and why. */
export const FIXTURE_FAILURES: Array<{ message: RegExp; cases: string[]; why: string }> = [
  {
    message:
      /error\[render-failed\]: kustomize \(kubectl kustomize .* --load-restrictor[= ]LoadRestrictionsRootOnly\) failed \(exit 1\): .*security; file '[^']*\/shared\/deployment-patch\.yaml' is not in or below '[^']*\/overlay'/,
    cases: ['baseandoverlaysmall/TestSharedPatchAllowed'],
    why:
      'the test runs kustomize with LoadRestrictionsNone (a patch file in a sibling folder); safe-render always builds with LoadRestrictionsRootOnly, ' +
      'as kustomize and Argo CD do by default, and offers no way to lift it, so kustomize itself refuses the file',
  },
];

interface CaseJson {
  options: { loadRestrictionsNone: boolean; pluginsEnabled: boolean; helm: boolean };
  expectError: boolean;
}

test('corpus (b): krusty fixtures that kubectl kustomize matches still match expected.yaml through safe-render', async () => {
  requireCorpusAndTools();
  assert.ok(existsSync(join(FIXTURES, 'index.tsv')), `${FIXTURES}/index.tsv is missing`);
  const started = Date.now();
  const cases = readTsv(join(FIXTURES, 'index.tsv')).filter(
    (r) => r['kubectl_kustomize_v5.5'] === 'match' || r['kubectl_kustomize_v5.5'] === 'match-unordered',
  );
  assert.ok(cases.length >= 160, `index.tsv lists only ${cases.length} matching cases`);
  const tmp = mkdtempSync(join(tmpdir(), 'safe-render-krusty-'));
  try {
    const problems: string[] = [];
    const counts = { match: 0, refused: 0, failed: 0 };
    await pool(cases, POOL, async (c, i) => {
      const name = c.case!;
      const dir = join(FIXTURES, name);
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson;
      assert.equal(meta.expectError, false, `${name}: a matching case that expects an error`);
      const expected = parseYamlStream(readFileSync(join(dir, 'expected.yaml'), 'utf8'), `${name}/expected.yaml`);
      const repo = join(tmp, String(i));
      cpSync(join(dir, 'fs'), repo, { recursive: true });
      mkdirSync(join(repo, '.git'));
      const runDir = c.run_dir === '.' ? repo : join(repo, c.run_dir!);
      assert.ok(!existsSync(join(runDir, 'safe-render.yaml')), `${name} has its own safe-render.yaml`);
      // kustomize.enableHelm is what safe-render offers for krusty's helm option; no matching case uses it today.
      writeFileSync(
        join(runDir, 'safe-render.yaml'),
        `namespaces: ["*"]\nallowEmpty: true\nclusterScoped: ${JSON.stringify(kindsOf(expected))}\n${meta.options.helm ? 'kustomize: {enableHelm: true}\n' : ''}`,
      );
      const r = await safeRender(['render', c.run_dir!, '--app', 'parity', '--namespace', 'parity'], repo);
      const refusal = FIXTURE_REFUSALS.filter((e) => e.cases.includes(name));
      const failure = FIXTURE_FAILURES.find((e) => e.cases.includes(name));
      if (r.code === 0) {
        const diff = setDiff(objectSet(expected), objectSet(parseJsonLines(r.stdout)));
        if (!diff.startsWith('0 missing from safe-render, 0 extra'))
          problems.push(`${name}: safe-render differs from expected.yaml\n${diff}`);
        else counts.match++;
        if (refusal.length || failure)
          problems.push(`${name}: listed as refused/failed but renders; remove it from the table`);
      } else if (r.code === 1) {
        counts.refused++;
        const want = refusal.map((e) => e.rule).sort();
        const got = refusedRules(r.stderr);
        if (JSON.stringify(want) !== JSON.stringify(got))
          problems.push(
            `${name}: refused by ${got.join(', ')}, the table says ${want.join(', ') || 'nothing'}\n${r.stderr.split('\n').slice(0, 3).join('\n')}`,
          );
      } else {
        counts.failed++;
        if (r.stdout !== '') problems.push(`${name}: exit ${r.code} with output on stdout`);
        if (!failure) problems.push(`${name}: exit ${r.code}: ${r.stderr}`);
        else if (!failure.message.test(r.stderr))
          problems.push(`${name}: failed with an unexpected message: ${r.stderr}`);
      }
      if (meta.options.loadRestrictionsNone && !failure)
        problems.push(`${name}: uses LoadRestrictionsNone but is not in FIXTURE_FAILURES`);
      if (meta.options.pluginsEnabled)
        problems.push(
          `${name}: needs kustomize plugins, which safe-render runs only when the platform policy allows exec; add it to a table`,
        );
    });
    for (const e of [...FIXTURE_REFUSALS, ...FIXTURE_FAILURES])
      for (const n of e.cases)
        if (!cases.some((c) => c.case === n))
          problems.push(`table lists ${n}, which is not a matching case of index.tsv`);
    console.log(
      `corpus (b): ${cases.length} krusty fixture cases: ${counts.match} match expected.yaml, ${counts.refused} refused, ${counts.failed} render-failed (listed with reasons); ${elapsed(started)}`,
    );
    assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n\n')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
