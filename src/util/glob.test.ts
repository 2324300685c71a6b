// Globs from the repository are compiled with bounded work (issue 8 §6, §8): shapes that make
// minimatch backtrack for minutes or expand without end are refused with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globMatcher, globProblem } from './glob';

test('globProblem refuses the shapes that cannot be matched in bounded time', () => {
  const rows: [string, RegExp][] = [
    ['*a*a*a*b', /more than 2 `\*` in one path segment/],
    ['dir/*a*a*a*a*a*a*a*a*a*a*a*a*b.yaml', /more than 2 `\*`/],
    ['{x,*a*a*a*}', /more than 2 `\*`/],
    ['+(+(+(a*)*)*)b', /extglob/],
    ['@(a|b).yaml', /extglob/],
    ['!(keep).yaml', /extglob/],
    ['*(a|aa)b', /extglob/],
    ['x?(y)', /extglob/],
    ['{1..100000000}.yaml', /expands to more than 64 patterns/],
    ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}.yaml', /expands to more than 64 patterns/],
    ['a'.repeat(1025), /longer than 1024/],
  ];
  for (const [glob, why] of rows) {
    assert.match(globProblem(glob) ?? 'accepted', why, glob);
    assert.throws(
      () => compileGlob(glob, {}),
      (e: Error) => e.name === 'UsageError' && !e.message.includes('\n'),
    );
  }
});

test('globProblem accepts what people write', () => {
  for (const glob of [
    '*.yaml',
    '**/*.yaml',
    '{base,prod}/**/*.yaml',
    '**/*-test.yaml',
    'prod/skip/*',
    'team-*',
    '*-*',
    'a/**/b/**/c',
    '\\*\\*\\*x',
    '[abc]*?.y*ml',
    '{1..64}',
    '!*.json',
    '#x',
  ]) {
    assert.equal(globProblem(glob), undefined, glob);
  }
});

test('globMatcher keeps minimatch results for accepted globs, and bounded time on hostile file names', () => {
  const m = globMatcher({ matchBase: true, nocomment: true });
  assert.ok(m('base/deep/b.yaml', '{base,prod}/**/*.yaml'));
  assert.ok(!m('dev/e.yaml', '{base,prod}/**/*.yaml'));
  assert.ok(m('x/a.json', '*.json'));
  const long = `x/${'a'.repeat(255)}c`;
  const t0 = Date.now();
  for (const g of ['*a*b', '*a?*b', '*[a]*[a]', 'a*a*', '**/a/**/a/**/b']) m(long, g);
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
});
