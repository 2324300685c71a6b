// Go's path.Match, as Argo CD's git directory generator uses it: the table of go/src/path/match_test.go
// first (every case, the error ones included), then the cases that matter for ApplicationSets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goPathMatch } from './go-path-match';

const BAD = 'ErrBadPattern';
type Row = [pattern: string, name: string, match: boolean, err?: typeof BAD];

// go/src/path/match_test.go `matchTests`, verbatim (Go's `\\` is one backslash).
const GO_TABLE: Row[] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false, BAD],
  ['[-]', '-', false, BAD],
  ['[x-]', 'x', false, BAD],
  ['[x-]', '-', false, BAD],
  ['[x-]', 'z', false, BAD],
  ['[-x]', 'x', false, BAD],
  ['[-x]', '-', false, BAD],
  ['[-x]', 'a', false, BAD],
  ['\\', 'a', false, BAD],
  ['[a-b-c]', 'a', false, BAD],
  ['[', 'a', false, BAD],
  ['[^', 'a', false, BAD],
  ['[^bc', 'a', false, BAD],
  ['a[', 'a', false, BAD],
  ['a[', 'ab', false, BAD],
  ['a[', 'x', false, BAD],
  ['a/b[', 'x', false, BAD],
  ['*x', 'xxx', true],
];

// What ApplicationSet authors write, and where minimatch would have said otherwise.
const APPSET_TABLE: Row[] = [
  ['apps/*', 'apps/web', true],
  ['apps/*', 'apps/web/overlays', false],
  ['apps/*', 'apps', false],
  ['apps/**', 'apps/web', true],
  ['apps/**', 'apps/web/prod', false], // `**` is two stars: one folder level
  ['apps/**/prod', 'apps/web/prod', true],
  ['apps/**/prod', 'apps/web/x/prod', false],
  ['apps/{web,api}', 'apps/web', false],
  ['apps/{web,api}', 'apps/{web,api}', true], // no braces
  ['apps/@(web|api)', 'apps/web', false],
  ['apps/+(web)', 'apps/web', false], // no extglobs
  ['apps/!(web)', 'apps/api', false],
  ['apps/[!w]*', 'apps/api', false],
  ['apps/[!w]*', 'apps/!x', true], // `!` is not a negation in Go
  ['apps/.*', 'apps/.hidden', true],
  ['apps/*', 'apps/.hidden', true], // Go's `*` matches a leading dot
  ['./apps/*', 'apps/web', false],
  ['/apps/*', 'apps/web', false],
  ['apps/*/', 'apps/web', false],
  ['#apps', '#apps', true],
  ['', '', true],
  ['', 'apps', false],
  ['*', '', true],
  ['apps/[', 'apps/web', false, BAD],
  ['apps/*[', 'apps/web', false, BAD],
  ['apps/web\\', 'apps/web', false, BAD],
  ['apps/*', 'apps/wé', true],
  ['apps/w?', 'apps/wé', true],
  ['apps/w??', 'apps/wé', false],
  // A valid prefix that already failed still reports the malformed rest.
  ['x*[', 'apps', false, BAD],
  ['apps/x/[', 'apps/web', false, BAD],
  // The pattern is read to the end only when it fails: a trailing `*` can answer before a later error.
  ['a*b[', 'ab', false, BAD],
];

for (const [name, table] of [
  ['go match_test.go', GO_TABLE],
  ['ApplicationSet patterns', APPSET_TABLE],
] as const) {
  test(`goPathMatch: ${name}`, () => {
    for (const [pattern, s, match, err] of table) {
      const r = goPathMatch(pattern, s);
      assert.deepEqual(
        [r.matched, r.err ? BAD : undefined],
        [match, err],
        `Match(${JSON.stringify(pattern)}, ${JSON.stringify(s)})`,
      );
    }
  });
}

test('goPathMatch: a pattern without special characters matches only itself, and never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (p, s) => {
      const r = goPathMatch(p, s);
      assert.equal(typeof r.matched, 'boolean');
      if (r.err) assert.equal(r.matched, false);
      if (!/[*?[\\]/.test(p)) assert.equal(r.matched, p === s);
    }),
    { seed: 8_6, numRuns: 2000 },
  );
});
