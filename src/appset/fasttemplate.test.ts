import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fastReplace } from './fasttemplate';
import { AppSetInvalid } from './limits';

// The table of argo-cd applicationset/utils/utils_test.go TestRenderTemplateParams (fasttemplate).
const CASES: [name: string, field: string, params: Record<string, unknown>, expected: string][] = [
  ['simple substitution', '{{one}}', { one: 'two' }, 'two'],
  ['simple substitution with whitespace', '{{ one }}', { one: 'two' }, 'two'],
  ['template characters but not in a template', '}} {{', { one: 'two' }, '}} {{'],
  ['nested template', '{{ }}', { one: '{{ }}' }, '{{ }}'],
  ['field with whitespace', '{{ }}', { ' ': 'two', '': 'three' }, '{{ }}'],
  ['template contains itself, containing itself', '{{one}}', { '{{one}}': '{{one}}' }, '{{one}}'],
  ['template contains itself, containing something else', '{{one}}', { '{{one}}': '{{two}}' }, '{{one}}'],
  ['templates are case sensitive', '{{ONE}}', { '{{one}}': 'two' }, '{{ONE}}'],
  ['multiple on a line', '{{one}}{{one}}', { one: 'two' }, 'twotwo'],
  ['multiple different on a line', '{{one}}{{three}}', { one: 'two', three: 'four' }, 'twofour'],
  [
    'multiple different on a line with quote',
    '{{one}} {{three}}',
    { one: '"hello" world', three: 'four' },
    '"hello" world four',
  ],
];

for (const [name, field, params, expected] of CASES) {
  test(`fasttemplate (utils_test.go TestRenderTemplateParams): ${name}`, () => {
    assert.equal(fastReplace(field, params), expected);
  });
}

test('fasttemplate: an unclosed tag on a templated line is an error (Test_Render_Replace_no_panic_on_missing_closing_brace)', () => {
  assert.throws(() => fastReplace('{{properly.closed}} {{improperly.closed}', {}), AppSetInvalid);
});

test('fasttemplate: text is templated only when a {{ and a }} share a line (isTemplatedRegex)', () => {
  assert.equal(fastReplace('{{a\n}}', { a: 'x' }), '{{a\n}}');
  // Go's `.` takes "\r" and U+2028, JS's does not: still one line for Go.
  assert.equal(fastReplace('{{a}}\r', { a: 'x' }), 'x\r');
  assert.equal(fastReplace('\u2028{{a}}', { a: 'x' }), '\u2028x');
});

test('fasttemplate: unknown tags and non-string values are left as written, spacing kept', () => {
  assert.equal(fastReplace('{{ nope }}-{{n}}-{{b}}', { n: 3, b: true }), '{{ nope }}-{{n}}-{{b}}');
  assert.equal(fastReplace('{{\tpath.basename\u00a0}}', { 'path.basename': 'eu' }), 'eu');
  // U+FEFF is not a space for Go's strings.TrimSpace.
  assert.equal(fastReplace('{{\ufeffa}}', { a: 'x' }), '{{\ufeffa}}');
});

test('fasttemplate: a replacement is not templated again ({{ injection in values)', () => {
  assert.equal(fastReplace('{{a}}{{b}}', { a: '{{b}}', b: 'B' }), '{{b}}B');
});

test('fasttemplate: text without tags is unchanged (property, fixed seed)', () => {
  fc.assert(
    fc.property(
      fc.string().filter((s) => !s.includes('{{')),
      fc.dictionary(fc.string(), fc.string()),
      (s, params) => fastReplace(s, params) === s,
    ),
    { seed: 11, numRuns: 500 },
  );
});
