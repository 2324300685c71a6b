import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeGitURL, sameRepoURL } from './repo-url';

test('normalizeGitURL: the forms Argo CD treats as one repository (util/git/git_test.go cases)', () => {
  assert.equal(normalizeGitURL('git@GITHUB.com:argoproj/argo-cd.git'), 'git@github.com/argoproj/argo-cd');
  assert.equal(normalizeGitURL('ssh://git@github.com/argoproj/argo-cd'), 'git@github.com/argoproj/argo-cd');
  assert.equal(normalizeGitURL(' https://github.com/argoproj/argo-cd.git '), 'https://github.com/argoproj/argo-cd');
  assert.equal(normalizeGitURL('https://github.com/argoproj/argo-cd'), 'https://github.com/argoproj/argo-cd');
  // Only one .git is dropped and a trailing slash stays, as in Go.
  assert.equal(normalizeGitURL('https://github.com/a/b.git.git'), 'https://github.com/a/b.git');
  assert.equal(normalizeGitURL('https://github.com/a/b/'), 'https://github.com/a/b/');
});

test('sameRepoURL: ssh and scp forms match; https and ssh do not; unparsable URLs match nothing', () => {
  assert.ok(sameRepoURL('git@github.com:org/repo.git', 'ssh://git@github.com/org/repo'));
  assert.ok(sameRepoURL('https://GitHub.com/Org/Repo.git', 'https://github.com/org/repo'));
  assert.ok(!sameRepoURL('https://github.com/org/repo', 'git@github.com:org/repo'));
  assert.ok(!sameRepoURL('https://github.com/org/repo', 'https://github.com/org/other'));
  assert.ok(!sameRepoURL('', ''));
  assert.ok(!sameRepoURL('https://x/%zz', 'https://x/%zz'));
  assert.ok(!sameRepoURL('https://x/a\nb', 'https://x/a\nb'));
});
