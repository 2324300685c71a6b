// checkedRelPath (issue 12): only plain relative paths inside the repository are copied into the
// working-tree snapshot; anything git would never list is dropped rather than joined to a folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRelPath } from './rel-path';

test('plain relative paths pass unchanged', () => {
  for (const p of ['a.yaml', 'apps/web/kustomization.yaml', 'apps/.hidden/x', 'a b/c d.yaml', '..x/y..'])
    assert.equal(checkedRelPath(p), p);
});

test('absolute paths, .., ., .git, empty segments and folders are refused', () => {
  for (const p of [
    '',
    '/etc/passwd',
    '../x',
    'a/../../x',
    'a/./b',
    'a//b',
    '.git/config',
    'a/.GIT/hooks/x',
    'sub/',
    'a\0b',
  ])
    assert.equal(checkedRelPath(p), undefined, JSON.stringify(p));
});
