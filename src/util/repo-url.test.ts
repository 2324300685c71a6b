import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSSHURL, normalizeGitURL, sameRepoURL, sameRepository } from './repo-url';

test('isSSHURL: the table of argo-cd util/git/git_test.go TestIsSSHURL', () => {
  const data: Record<string, boolean> = {
    'git://github.com/argoproj/test.git': false,
    'git@GITHUB.com:argoproj/test.git': true,
    'git@github.com:test': true,
    'git@github.com:test.git': true,
    'https://github.com/argoproj/test': false,
    'https://github.com/argoproj/test.git': false,
    'ssh://git@GITHUB.com:argoproj/test': true,
    'ssh://git@GITHUB.com:argoproj/test.git': true,
    'ssh://git@github.com:test.git': true,
  };
  for (const [k, v] of Object.entries(data)) assert.equal(isSSHURL(k), v, k);
});

test('sameRepoURL: the table of argo-cd util/git/git_test.go TestSameURL', () => {
  const data: Record<string, string> = {
    'git@GITHUB.com:argoproj/test': 'git@github.com:argoproj/test.git',
    'git@GITHUB.com:argoproj/test.git': 'git@github.com:argoproj/test.git',
    'git@GITHUB.com:test': 'git@github.com:test.git',
    'git@GITHUB.com:test.git': 'git@github.com:test.git',
    'https://GITHUB.com/argoproj/test': 'https://github.com/argoproj/test.git',
    'https://GITHUB.com/argoproj/test.git': 'https://github.com/argoproj/test.git',
    'https://github.com/FOO': 'https://github.com/foo',
    'https://github.com/TEST': 'https://github.com/TEST.git',
    'https://github.com/TEST.git': 'https://github.com/TEST.git',
    'https://github.com:4443/TEST': 'https://github.com:4443/TEST.git',
    'https://github.com:4443/TEST.git': 'https://github.com:4443/TEST',
    'ssh://git@GITHUB.com/argoproj/test': 'git@github.com:argoproj/test.git',
    'ssh://git@GITHUB.com/argoproj/test.git': 'git@github.com:argoproj/test.git',
    'ssh://git@GITHUB.com/test.git': 'git@github.com:test.git',
    'ssh://git@github.com/test': 'git@github.com:test.git',
    ' https://github.com/argoproj/test ': 'https://github.com/argoproj/test.git',
    '\thttps://github.com/argoproj/test\n': 'https://github.com/argoproj/test.git',
    'https://1234.visualstudio.com/myproj/_git/myrepo': 'https://1234.visualstudio.com/myproj/_git/myrepo',
    'https://dev.azure.com/1234/myproj/_git/myrepo': 'https://dev.azure.com/1234/myproj/_git/myrepo',
  };
  for (const [k, v] of Object.entries(data)) assert.ok(sameRepoURL(k, v), `${k} ~ ${v}`);
});

test('sameRepoURL: different repositories, a trailing slash and empty URLs differ', () => {
  assert.equal(sameRepoURL('https://github.com/a/b', 'https://github.com/a/c'), false);
  assert.equal(sameRepoURL('https://github.com/a/b', 'https://gitlab.com/a/b'), false);
  // NormalizeGitURL keeps a trailing slash.
  assert.equal(sameRepoURL('https://github.com/a/b/', 'https://github.com/a/b'), false);
  assert.equal(sameRepoURL('', ''), false);
  assert.equal(sameRepoURL('https://github.com/a/b', ''), false);
});

test('normalizeGitURL: the forms Argo CD folds, and "" where Go cannot parse the URL', () => {
  assert.equal(normalizeGitURL('git@GitHub.com:Org/Repo.git'), 'git@github.com/org/repo');
  assert.equal(normalizeGitURL('ssh://git@github.com/org/repo.git'), 'git@github.com/org/repo');
  assert.equal(normalizeGitURL('HTTPS://GitHub.com/Org/Repo.git'), 'https://github.com/org/repo');
  assert.equal(normalizeGitURL('https://github.com/a%zz'), '');
  assert.equal(normalizeGitURL('https://github.com:abc/a'), '');
  assert.equal(normalizeGitURL('https://github.com/\u0001'), '');
  // An unparseable URL compares as written (NormalizeGitURLAllowInvalid).
  assert.ok(sameRepoURL('https://github.com/a%zz', 'https://github.com/a%zz'));
});

test('sameRepository (review of issue 11): every form git fetches this repository from is this repository', () => {
  const repo = 'https://github.com/acme/platform.git';
  for (const u of [
    'https://github.com/acme/platform',
    'https://github.com/acme/platform/',
    'https://github.com/acme/platform.git/',
    'git@github.com:acme/platform.git',
    'git@github.com:Acme/Platform',
    'ssh://git@github.com/acme/platform.git',
    'ssh://git@github.com:22/acme/platform',
    'https://user@github.com:443/acme/platform',
    'http://github.com/acme/platform',
  ])
    assert.equal(sameRepository(u, repo), true, u);
  for (const u of [
    '',
    'https://github.com/acme/platform2',
    'https://github.com/acme/platform/sub',
    'https://gitlab.com/acme/platform',
    'https://github.com/',
    'platform',
  ])
    assert.equal(sameRepository(u, repo), false, u);
});
