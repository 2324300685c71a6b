// Corpus (issue 13, "Done when"): `safe-render migrate` keeps every corpus app's render identical. Each
// corpus repository is copied to a temporary folder; every plain, kustomize and helm app of apps.tsv is
// rendered (the render stage, as test-corpus/kustomize-apps.test.ts does: the engine's output before
// the checks, which are not the subject and name files in their findings); the repository is migrated
// with the built bundle, as a person would run it; every app is rendered again. Kustomize and helm
// output must be byte-identical; a plain folder must give the same objects, each byte for byte (it is
// read in file-name order, so the order follows the new names). An app that failed to render before
// must fail after. The closing note counts repositories, apps and files split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../src/config/app-config';
import { parseManifests } from '../src/parse/parse-manifests';
import { renderApp } from '../src/render/render-app';
import { canonicalJson, TOOLS_BIN } from '../test/helpers';
import { CORPUS, copyRepos, elapsed, pool, POOL, readTsv, requireCorpusAndTools, safeRender } from './corpus';

process.env.PATH = `${TOOLS_BIN}:${process.env.PATH ?? ''}`;

type Outcome = { ok: true; engine: string; text: string; objects: string[] } | { ok: false; message: string };

async function renderStage(repoRoot: string, appDir: string): Promise<Outcome> {
  const app = {
    appName: 'migrate',
    namespace: 'migrate',
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
  try {
    const { engine, sources } = await renderApp(app, DEFAULT_CONFIG, undefined, { PATH: process.env.PATH });
    const objects = parseManifests(sources).map((d) => canonicalJson(d.value));
    return { ok: true, engine, text: sources.map((s) => s.text).join('\n---\n'), objects };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

test('corpus: migrate keeps every app render identical (plain, kustomize, helm)', async () => {
  requireCorpusAndTools();
  const started = Date.now();
  const apps = readTsv(join(CORPUS, 'apps.tsv')).filter((r) => ['plain', 'kustomize', 'helm'].includes(r.kind!));
  const repoNames = [...new Set(apps.map((a) => a.path!.split('/')[0]!))].sort();
  const repos = copyRepos(repoNames);
  try {
    const appDir = (path: string) => join(repos.root, ...path.split('/'));
    const repoOf = (path: string) => join(repos.root, path.split('/')[0]!);
    const before = await pool(apps, POOL, (a) => renderStage(repoOf(a.path!), appDir(a.path!)));
    let split = 0;
    let made = 0;
    let edited = 0;
    let leftAlone = 0;
    for (const name of repoNames) {
      const r = await safeRender(['migrate', '.'], join(repos.root, name));
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      const m = /split (\d+) files? into (\d+), edited (\d+) kustomizations?, left (\d+) paths? alone/.exec(r.stdout);
      assert.ok(m, r.stdout.slice(0, 500));
      split += Number(m[1]);
      made += Number(m[2]);
      edited += Number(m[3]);
      leftAlone += Number(m[4]);
    }
    const after = await pool(apps, POOL, (a) => renderStage(repoOf(a.path!), appDir(a.path!)));
    const problems: string[] = [];
    let rendered = 0;
    apps.forEach((a, i) => {
      const b = before[i]!;
      const c = after[i]!;
      if (!b.ok) {
        if (c.ok) problems.push(`${a.path}: failed before (${b.message}) but renders after`);
        return;
      }
      rendered++;
      if (!c.ok) return void problems.push(`${a.path}: rendered before, fails after: ${c.message}`);
      if (b.engine !== 'plain') {
        if (b.text !== c.text) problems.push(`${a.path}: ${b.engine} output differs after migrate`);
      } else if (canonicalJson([...b.objects].sort()) !== canonicalJson([...c.objects].sort())) {
        problems.push(`${a.path}: plain objects differ after migrate`);
      }
    });
    assert.deepEqual(problems, []);
    console.log(
      `# migrate corpus: ${repoNames.length} repositories, ${apps.length} apps (${rendered} rendered before and after, identical; ${apps.length - rendered} failed both times), ${split} files split into ${made}, ${edited} kustomizations edited, ${leftAlone} paths left alone, ${elapsed(started)}`,
    );
    assert.ok(split > 0, 'the corpus has multi-object files: migrate must split some');
  } finally {
    repos.cleanup();
  }
});
