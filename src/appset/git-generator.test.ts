import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgoInstall } from '../config/platform-policy';
import { newEvalCtx } from './eval-ctx';
import { gitParams } from './git-generator';
import { generateApplications } from './generate';
import { NotEvaluable } from './limits';
import { appSetObject, appSetYaml, REPO, repoOf } from './test-fixtures';

/** A repository whose folders are these (each holds a file, so git records it). */
const withDirs = (dirs: string[], extra: Record<string, string> = {}) =>
  repoOf({ ...Object.fromEntries(dirs.map((d) => [`${d}/f.yaml`, 'a: 1\n'])), ...extra });

const dirsParams = (
  dirs: string[],
  directories: { path: string; exclude?: boolean }[],
  opts: { goTemplate?: boolean; values?: Record<string, string>; pathParamPrefix?: string; install?: ArgoInstall } = {},
) =>
  gitParams(
    { repoURL: REPO, revision: 'HEAD', directories, values: opts.values, pathParamPrefix: opts.pathParamPrefix },
    newEvalCtx(opts.goTemplate ?? false, [], withDirs(dirs), opts.install ?? {}),
  );

// argo-cd applicationset/generators/git_test.go TestGitGenerateParamsFromDirectories
test('git directories: happy flow (git_test.go)', () => {
  assert.deepEqual(dirsParams(['app1', 'app2', 'app_3', 'p1/app4'], [{ path: '*' }]), [
    { path: 'app1', 'path.basename': 'app1', 'path.basenameNormalized': 'app1', 'path[0]': 'app1' },
    { path: 'app2', 'path.basename': 'app2', 'path.basenameNormalized': 'app2', 'path[0]': 'app2' },
    { path: 'app_3', 'path.basename': 'app_3', 'path.basenameNormalized': 'app-3', 'path[0]': 'app_3' },
    // p1 holds only a folder, but that folder holds a file, so git has it and "*" matches it.
    { path: 'p1', 'path.basename': 'p1', 'path.basenameNormalized': 'p1', 'path[0]': 'p1' },
  ]);
});

test('git directories: PathParamPrefix (git_test.go)', () => {
  assert.deepEqual(dirsParams(['app_3'], [{ path: '*' }], { pathParamPrefix: 'myRepo' }), [
    {
      'myRepo.path': 'app_3',
      'myRepo.path.basename': 'app_3',
      'myRepo.path.basenameNormalized': 'app-3',
      'myRepo.path[0]': 'app_3',
    },
  ]);
});

test('git directories: filters by the paths, exclude wins whatever the order (git_test.go)', () => {
  const names = (ps: Record<string, unknown>[]) => ps.map((p) => p.path);
  assert.deepEqual(
    names(dirsParams(['app1', 'p1/app2', 'p1/p2/app3', 'p1/p2/p3/app4'], [{ path: 'p1/*' }, { path: 'p1/*/*' }])),
    ['p1/app2', 'p1/p2', 'p1/p2/app3', 'p1/p2/p3'],
  );
  const repo = ['app1', 'app2', 'p1/app2', 'p1/app3', 'p2/app3'];
  const expected = ['app1', 'app2', 'p2', 'p2/app3'];
  assert.deepEqual(
    names(dirsParams(repo, [{ path: 'p1/*', exclude: true }, { path: '*' }, { path: '*/*' }])).filter(
      (p) => p !== 'p1',
    ),
    expected,
  );
  assert.deepEqual(
    names(dirsParams(repo, [{ path: '*' }, { path: '*/*' }, { path: 'p1/*', exclude: true }])).filter(
      (p) => p !== 'p1',
    ),
    expected,
  );
});

test('git directories: values are interpolated with the path params (git_test.go "Value variable interpolation")', () => {
  const values = { foo: 'bar', aaa: '{{ path[0] }}', 'no-op': '{{ this-does-not-exist }}' };
  assert.deepEqual(dirsParams(['app1'], [{ path: '*' }], { values }), [
    {
      'values.foo': 'bar',
      'values.no-op': '{{ this-does-not-exist }}',
      'values.aaa': 'app1',
      path: 'app1',
      'path.basename': 'app1',
      'path[0]': 'app1',
      'path.basenameNormalized': 'app1',
    },
  ]);
});

test('git directories with goTemplate: nested path params with segments (TestGitGenerateParamsFromDirectoriesGoTemplate)', () => {
  assert.deepEqual(dirsParams(['p1/app_2'], [{ path: 'p1/*' }], { goTemplate: true }), [
    { path: { path: 'p1/app_2', basename: 'app_2', basenameNormalized: 'app-2', segments: ['p1', 'app_2'] } },
  ]);
  assert.deepEqual(dirsParams(['a'], [{ path: '*' }], { goTemplate: true, pathParamPrefix: 'r' }), [
    { r: { path: { path: 'a', basename: 'a', basenameNormalized: 'a', segments: ['a'] } } },
  ]);
});

test('git directories: hidden folders per includeHiddenDirectories, empty folders never, malformed patterns skipped', () => {
  const repo = repoOf({ '.hidden/app/f': 'x', 'apps/a/f': 'x' });
  const tree = repo.tree();
  const emptyDirRepo = { ...repo, tree: () => ({ dirs: [...tree.dirs, 'apps/empty'], files: tree.files }) };
  const run = (install: ArgoInstall) =>
    gitParams(
      { repoURL: REPO, directories: [{ path: '*/*' }, { path: '[' }] },
      newEvalCtx(false, [], emptyDirRepo, install),
    ).map((p) => p.path);
  assert.deepEqual(run({}), ['apps/a']);
  assert.deepEqual(run({ applicationSet: { includeHiddenDirectories: true } }), ['.hidden/app', 'apps/a']);
});

test('git generator of another repository is not evaluated; the same one under another spelling is', () => {
  const ctx = newEvalCtx(false, [], withDirs(['a']), {});
  assert.throws(
    () => gitParams({ repoURL: 'https://github.com/other/repo.git', directories: [{ path: '*' }] }, ctx),
    (e) => e instanceof NotEvaluable && /another repository/.test(e.why),
  );
  assert.equal(
    gitParams({ repoURL: 'https://GitHub.com/example/deploy', directories: [{ path: '*' }] }, ctx).length,
    1,
  );
});

// argo-cd applicationset/generators/git_test.go Test_generateParamsFromGitFile
test('git files: flattened keys and path params (Test_generateParamsFromGitFile)', () => {
  const repo = repoOf({ 'path/dir/file_name.yaml': 'foo:\n  bar: baz\n', 'path/dir/empty.yaml': '' });
  const params = gitParams(
    { repoURL: REPO, files: [{ path: 'path/dir/file_name.yaml' }] },
    newEvalCtx(false, [], repo, {}),
  );
  assert.deepEqual(params, [
    {
      'foo.bar': 'baz',
      path: 'path/dir',
      'path.basename': 'dir',
      'path.filename': 'file_name.yaml',
      'path.basenameNormalized': 'dir',
      'path.filenameNormalized': 'file-name.yaml',
      'path[0]': 'path',
      'path[1]': 'dir',
    },
  ]);
  const empty = gitParams({ repoURL: REPO, files: [{ path: 'path/dir/empty.yaml' }] }, newEvalCtx(false, [], repo, {}));
  assert.equal(empty.length, 1);
  assert.equal(empty[0]!['path.filename'], 'empty.yaml');
});

test('git files: a list yields several sets, numbers printed as Go prints float64', () => {
  const repo = repoOf({
    'path/dir/file_name.yaml': 'foo:\n  bar: baz\n',
    'c/list.json': '[{"name": "a", "n": 1000000}, {"name": "b"}]',
  });
  const list = gitParams({ repoURL: REPO, files: [{ path: 'c/*.json' }] }, newEvalCtx(false, [], repo, {}));
  assert.deepEqual(
    list.map((p) => [p.name, p.n]),
    [
      ['a', '1e+06'],
      ['b', undefined],
    ],
  );
});

test('git files: excludes, sorted order, unparseable file is an error, an unreadable one not evaluated', () => {
  const repo = repoOf({
    'c/b.yaml': 'x: b',
    'c/a.yaml': 'x: a',
    'c/skip.yaml': 'x: s',
    'bad/f.yaml': 'this is not json or yaml',
  });
  const ctx = newEvalCtx(false, [], repo, {});
  assert.deepEqual(
    gitParams({ repoURL: REPO, files: [{ path: 'c/*.yaml' }, { path: 'c/skip.yaml', exclude: true }] }, ctx).map(
      (p) => p.x,
    ),
    ['a', 'b'],
  );
  assert.throws(() => gitParams({ repoURL: REPO, files: [{ path: 'bad/*' }] }, ctx), /unable to process file/);
  const unreadable = { ...repo, readFile: () => undefined };
  assert.throws(
    () => gitParams({ repoURL: REPO, files: [{ path: 'c/*' }] }, newEvalCtx(false, [], unreadable, {})),
    NotEvaluable,
  );
});

test('git files: too large, too deep or too many documents is not evaluated', () => {
  const repo = repoOf({
    'big/f.yaml': `x: ${'a'.repeat(2 << 20)}`,
    'deep/f.yaml': '['.repeat(2000),
    'multi/f.yaml': 'a: 1\n---\na: 2\n',
  });
  for (const p of ['big/*', 'deep/*', 'multi/*'])
    assert.throws(
      () => gitParams({ repoURL: REPO, files: [{ path: p }] }, newEvalCtx(false, [], repo, {})),
      NotEvaluable,
      p,
    );
});

test('an ApplicationSet with a git directory generator yields one Application per folder', () => {
  const appSet = appSetObject(
    appSetYaml(`  generators:
  - git:
      repoURL: ${REPO}
      revision: HEAD
      directories: [{path: 'apps/*'}, {path: apps/skip, exclude: true}]
  template:
    metadata: {name: '{{path.basename}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, path: '{{path}}', targetRevision: HEAD, plugin: {name: safe-render}}
      destination: {server: https://kubernetes.default.svc, namespace: '{{path.basename}}'}
`),
  );
  const r = generateApplications(appSet, withDirs(['apps/a', 'apps/b', 'apps/skip']), {});
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.apps.map((a) => [
      (a.body.metadata as { name: string }).name,
      (a.body.spec as { source: { path: string } }).source.path,
    ]),
    [
      ['a', 'apps/a'],
      ['b', 'apps/b'],
    ],
  );
});

test('git files with goTemplate: nested values and values rendered with the path (Test_generateParamsFromGitFile)', () => {
  const repo = repoOf({ 'path/dir/file_name.yaml': 'foo:\n  bar: baz\n' });
  const params = gitParams(
    { repoURL: REPO, files: [{ path: 'path/dir/file_name.yaml' }], values: { somekey: '{{.path.basename}}' } },
    newEvalCtx(true, [], repo, {}),
  );
  assert.deepEqual(params, [
    {
      values: { somekey: 'dir' },
      foo: { bar: 'baz' },
      path: {
        path: 'path/dir',
        basename: 'dir',
        filename: 'file_name.yaml',
        basenameNormalized: 'dir',
        filenameNormalized: 'file-name.yaml',
        segments: ['path', 'dir'],
      },
    },
  ]);
});
