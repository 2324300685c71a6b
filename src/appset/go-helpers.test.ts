import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sanitizeName } from './argo-names';
import { FUNCS } from './go-template-funcs';
import { goJson, goQuote } from './go-text';
import { goFloat } from './go-value';
import { goRegexp, goReplaceAll } from './go-regexp';
import { v2KeyLess } from './go-yaml';
import { walkOrder } from './repo-dirs';

test('goFloat prints float64 as fmt %v does', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [123456, '123456'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [0.1, '0.1'],
  ];
  for (const [f, s] of cases) assert.equal(goFloat(f), s, String(f));
});

test('goJson: sorted keys, HTML escaped, Go float format', () => {
  assert.equal(goJson({ b: 1, a: ['<&>', 1e-7, 1e21, 0.5] }), '{"a":["\\u003c\\u0026\\u003e",1e-07,1e+21,0.5],"b":1}');
  assert.equal(goJson('\u2028\b'), '"\\u2028\\b"');
});

test('goQuote: strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c\n\u0001é😀'), '"a\\"b\\\\c\\n\\x01é😀"');
});

// argo-cd applicationset/utils/utils_test.go TestSlugify
test('slugify: the table of utils_test.go TestSlugify', () => {
  const cases: [string, boolean, number, string][] = [
    [
      'feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_shortening_feature',
      false,
      50,
      'feat-a-really-long-pull-request-name-to-test-argo',
    ],
    [
      'feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_shortening_feature',
      true,
      53,
      'feat-a-really-long-pull-request-name-to-test-argo',
    ],
    ['feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature', true, 50, 'feat'],
    [
      'feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature',
      false,
      50,
      'feat-areallylongpullrequestnametotestargoslugifica',
    ],
  ];
  for (const [branch, smart, length, want] of cases)
    assert.equal(FUNCS.slugify!.fn([BigInt(length), smart, branch], { step: () => {} }), want);
});

test('sanitizeName (template_functions.go SanitizeName)', () => {
  assert.equal(sanitizeName('App_3'), 'app-3');
  assert.equal(sanitizeName('..-A.b-..'), 'a.b');
  assert.equal(sanitizeName('İx'), 'ix');
  assert.equal(sanitizeName('x'.repeat(300)).length, 253);
  fc.assert(
    fc.property(fc.string(), (s) => /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(sanitizeName(s))),
    { seed: 11, numRuns: 300 },
  );
});

test('go-yaml v2 key order: letters after non-letters, digit runs as numbers', () => {
  const sorted = ['b10', 'a', 'b9', 'A', '_x', 'a-b', 'ab'].sort((x, y) =>
    v2KeyLess(x, y) ? -1 : v2KeyLess(y, x) ? 1 : 0,
  );
  assert.deepEqual(sorted, ['_x', 'A', 'a', 'a-b', 'ab', 'b9', 'b10']);
});

test('WalkDir order: depth first, names bytewise', () => {
  assert.deepEqual(['a-c', 'a/b', 'a', 'B'].sort(walkOrder), ['B', 'a', 'a/b', 'a-c']);
});

test('regexReplaceAll: Go semantics for empty matches, $ expansion, "." and \\s', () => {
  const r = (p: string, s: string, repl: string) => goReplaceAll(goRegexp(p), s, repl, () => {});
  assert.equal(r('a*', 'baaac', 'X'), 'XbXcX');
  assert.equal(r('(a)(b)', 'ab', '$2$1$$'), 'ba$');
  assert.equal(r('(a)', 'a', '$1x'), ''); // "$1x" names group "1x", which is empty
  assert.equal(r('.', 'a\r\n', 'X'), 'XX\n');
  assert.equal(r('\\s', 'a\u00a0b c', '_'), 'a\u00a0b_c');
  assert.equal(r('', 'ab', '-'), '-a-b-');
});

test('regexReplaceAll: a catastrophic pattern (JS backtracks, RE2 does not) is not evaluated, not a hang', () => {
  const start = Date.now();
  assert.throws(() => goReplaceAll(goRegexp('(a+)+$'), `${'a'.repeat(40)}b`, 'x', () => {}), /takes too long/);
  assert.ok(Date.now() - start < 3000);
});
