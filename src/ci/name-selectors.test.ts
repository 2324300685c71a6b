// ci's discovery reduced to the Applications that select files by name (issue 13, migrate): this
// repository's sources with directory.include/exclude (spec.source and spec.sources[]), ApplicationSets
// evaluated offline, and the ones that cannot be evaluated named as unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositorySelectors } from './name-selectors';

function repo(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'safe-render-selectors-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const URL = 'https://git.example.com/org/repo.git';
const app = (name: string, source: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\nspec:\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n${source}`;

test('Applications of this repository with directory include/exclude, their folder and recurse', () => {
  const dir = repo({
    'apps/web/all.yaml': 'x: 1\n',
    'argocd/web.yaml': app(
      'web',
      `  source:\n    repoURL: ${URL}\n    path: apps/web\n    directory:\n      include: all.yaml\n`,
    ),
    'argocd/multi.yaml': app(
      'multi',
      `  sources:\n  - repoURL: https://git.example.com/org/repo\n    path: /apps/\n    directory: {recurse: true, exclude: 'web/*.yml'}\n  - repoURL: https://other.example.com/x\n    path: apps/web\n    directory: {include: a.yaml}\n`,
    ),
    'argocd/plain.yaml': app('plain', `  source:\n    repoURL: ${URL}\n    path: apps/web\n`),
    'argocd/missing.yaml': app(
      'gone',
      `  source:\n    repoURL: ${URL}\n    path: apps/nowhere\n    directory: {include: a.yaml}\n`,
    ),
  });
  try {
    const r = repositorySelectors(dir, URL);
    assert.deepEqual(r.unknown, []);
    assert.equal(r.found, 4);
    assert.deepEqual(r.selectors, [
      {
        app: 'Application multi',
        dir: 'apps',
        recurse: true,
        field: 'sources[0].directory.exclude',
        glob: 'web/*.yml',
        argoGlob: true,
      },
      {
        app: 'Application web',
        dir: 'apps/web',
        recurse: false,
        field: 'directory.include',
        glob: 'all.yaml',
        argoGlob: true,
      },
    ]);
    // Without a URL, every source counts as this repository's.
    assert.equal(repositorySelectors(dir, undefined).selectors.length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ApplicationSet is evaluated offline; one that cannot be is judged by a literal template, else unknown', () => {
  const appSet = (name: string, generators: string, source: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  goTemplate: true\n  generators:\n${generators}  template:\n    metadata:\n      name: '{{.name}}'\n    spec:\n      project: default\n      destination: {server: https://kubernetes.default.svc, namespace: web}\n      source:\n${source}`;
  const dir = repo({
    'apps/web/all.yaml': 'x: 1\n',
    'argocd/list.yaml': appSet(
      'list',
      `  - list:\n      elements:\n      - {name: web, file: all.yaml}\n`,
      `        repoURL: ${URL}\n        path: apps/{{.name}}\n        directory: {include: '{{.file}}'}\n`,
    ),
    'argocd/cluster.yaml': appSet(
      'clusters',
      `  - clusters: {}\n`,
      `        repoURL: ${URL}\n        path: apps/web\n        directory: {exclude: 'x.yaml'}\n`,
    ),
    'argocd/cluster-plain.yaml': appSet(
      'plain',
      `  - clusters: {}\n`,
      `        repoURL: ${URL}\n        path: apps/web\n`,
    ),
    // A git directory entry's `exclude: true` is the generator's, not the Application's.
    'argocd/git-other.yaml': appSet(
      'git-other',
      `  - git:\n      repoURL: https://other.example.com/x.git\n      revision: HEAD\n      directories: [{path: 'a/*'}, {path: a/b, exclude: true}]\n`,
      `        repoURL: ${URL}\n        path: apps/web\n`,
    ),
    // A generator's own template (nested in a matrix) may add directory.include.
    'argocd/matrix.yaml': appSet(
      'matrix',
      `  - matrix:\n      generators:\n      - clusters: {}\n      - list:\n          elements: [{name: web}]\n          template: {spec: {source: {directory: {include: a.yaml}}}}\n`,
      `        repoURL: ${URL}\n        path: apps/web\n`,
    ),
  });
  try {
    const r = repositorySelectors(dir, URL);
    assert.deepEqual(r.selectors, [
      {
        app: 'Application web (ApplicationSet list)',
        dir: 'apps/web',
        recurse: false,
        field: 'directory.include',
        glob: 'all.yaml',
        argoGlob: true,
      },
      // Not evaluated, but its template's path and globs hold no parameter: judged as written.
      {
        app: 'ApplicationSet clusters (each Application it generates)',
        dir: 'apps/web',
        recurse: false,
        field: 'directory.exclude',
        glob: 'x.yaml',
        argoGlob: true,
      },
    ]);
    assert.deepEqual(
      r.unknown.map((u) => u.app),
      ['ApplicationSet matrix'],
    );
    assert.match(
      r.unknown[0]!.why,
      /^could not be evaluated offline \(matrix: .*\) and may generate an Application that selects files by name$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
