import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, parseJsonStream, writeFiles } from '../../../test/helpers';
import { applicationSet, assertClean, assertLocked, assertRefused, generate, lock, REPO_URL, type App } from '../../../test/lock-helpers';

const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };

const appset = (generators: string, preserve?: boolean) => applicationSet({ generators, preserve });

const LIST = (elements: string) => `- list:\n    elements: ${elements}\n`;

test('an ApplicationSet whose list generator is empty is refused, with the deliberate way to retire it', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[]')) });
  const lines = assertRefused(generate(repo, ROOT), 'appset-may-shrink');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^error\[appset-may-shrink\] argoproj\.io\/ApplicationSet argocd\/shops \(apps\/root\/shops\.yaml:1\): yields no Applications: list generator has no elements; the controller would delete the Applications it made/);
  assert.match(lines[0]!, /kubectl delete appset NAME --cascade=orphan/);
});

test('a list generator with elements passes', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[{name: eu}, {name: us}]')) });
  const r = generate(repo, ROOT);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('a same-repository git generator is evaluated against the repository', () => {
  const git = (path: string) => `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories:\n      - path: '${path}'\n`;
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(git('shops/*')), 'shops/eu/cm.yaml': 'x: 1\n' });
  assertClean(generate(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(git('shop/*')) });
  assert.match(assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!, /git directories \["shop\/\*"\] match no folder in the repository/);
});

test('a generator that cannot be checked offline needs preserveResourcesOnDeletion', () => {
  const clusters = '- clusters:\n    selector: {matchLabels: {env: prod}}\n';
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(clusters) });
  assert.match(assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!, /cannot be checked offline \(clusters generator depends on the live cluster or an external service\) and syncPolicy\.preserveResourcesOnDeletion is not true/);
  writeFiles(repo, { 'apps/root/shops.yaml': appset(clusters, true) });
  assertClean(generate(repo, ROOT));
});

test('a matrix with an empty child is empty; preserveResourcesOnDeletion does not excuse an empty generator', () => {
  const matrix = `- matrix:\n    generators:\n      - list:\n          elements: [{name: eu}]\n      - list:\n          elements: []\n`;
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(matrix, true) });
  assert.match(assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!, /yields no Applications: matrix: list generator has no elements/);
});

test('lock will not record an ApplicationSet that may shrink', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[{name: eu}]')) });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(LIST('[]')) });
  const r = lock(repo, ROOT);
  assertRefused(r, 'appset-may-shrink');
  assert.match(r.stderr, /the lock was not written/);
});
