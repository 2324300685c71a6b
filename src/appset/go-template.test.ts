import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goTemplateReplace } from './go-template';
import { AppSetInvalid, Budget, NotEvaluable } from './limits';

const run = (text: string, params: Record<string, unknown> = {}, options: string[] = []) =>
  goTemplateReplace(text, params, options, new Budget());

// argo-cd applicationset/utils/utils_test.go TestRenderTemplateParamsGoTemplate
const CASES: [name: string, field: string, params: Record<string, unknown>, expected: string, options?: string[]][] = [
  ['simple substitution', '{{ .one }}', { one: 'two' }, 'two'],
  ['template contains itself, containing itself', '{{ .one }}', { one: '{{one}}' }, '{{one}}'],
  ['multiple on a line', '{{.one}}{{.one}}', { one: 'two' }, 'twotwo'],
  [
    'multiple different on a line with quote',
    '{{.one}} {{.three}}',
    { one: '"hello" world', three: 'four' },
    '"hello" world four',
  ],
  ['depth', '{{ .image.version }}', { replicas: 3, image: { name: 'busybox', version: 'latest' } }, 'latest'],
  [
    'multiple depth',
    '{{ .image.name }}:{{ .image.version }}',
    { image: { name: 'busybox', version: 'latest' } },
    'busybox:latest',
  ],
  [
    'if ok',
    '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}',
    { replicas: 3, hpa: { enabled: true, minReplicas: 1, maxReplicas: 5 } },
    '5',
  ],
  [
    'if not ok',
    '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}',
    { replicas: 3, hpa: { enabled: false, minReplicas: 1, maxReplicas: 5 } },
    '3',
  ],
  [
    'loop',
    '{{ range .volumes }}[{{ .name }}]{{ end }}',
    {
      volumes: [
        { name: 'volume-one', emptyDir: {} },
        { name: 'volume-two', emptyDir: {} },
      ],
    },
    '[volume-one][volume-two]',
  ],
  [
    'Index',
    '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}',
    { admin: { 'admin-ca': 'value admin ca', 'admin-jks': 'value admin jks' } },
    'value admin ca, value admin jks',
  ],
  ['quote', '{{.quote}}', { quote: '"' }, '"'],
  ['lookup missing value with missingkey=default', '--> {{.doesnotexist}} <--', { unused: 'x' }, '--> <no value> <--'],
  [
    'toYaml',
    '{{ toYaml . | indent 2 }}',
    { foo: { bar: { bool: true, number: 2, str: 'Hello world' } } },
    '  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world',
  ],
  ['fromYaml', '{{ get (fromYaml .value) "hello" }}', { value: 'hello: world' }, 'world'],
];
for (const [name, field, params, expected, options] of CASES) {
  test(`goTemplate (utils_test.go TestRenderTemplateParamsGoTemplate): ${name}`, () => {
    assert.equal(run(field, params, options), expected);
  });
}

test('goTemplate: parse and execution errors as Argo CD reports them (utils_test.go)', () => {
  assert.throws(() => run('{{functiondoesnotexist}}', { data: 'x' }), /function "functiondoesnotexist" not defined/);
  assert.throws(() => run('{{.data.test}}', { data: 'a data string' }), /can't evaluate field test/);
  assert.throws(
    () => run('--> {{.doesnotexist}} <--', { unused: 'x' }, ['missingkey=error']),
    (e) => e instanceof AppSetInvalid && /map has no entry for key "doesnotexist"/.test(e.message),
  );
  assert.throws(() => run('{{ get (fromYaml .value) "hello" }}', { value: '- a' }), AppSetInvalid);
  assert.throws(() => run('{{ if .a }}x'), /unexpected EOF/);
  assert.throws(() => run('{{ $x }}'), /undefined variable/);
});

test('goTemplate: missingkey options (zero and invalid print like default; nested misses too)', () => {
  assert.equal(run('{{.a.b.c}}', {}, ['missingkey=zero']), '<no value>');
  assert.equal(run('{{.a}}', {}, ['missingkey=invalid']), '<no value>');
  // A null value prints "<no value>" (the pipeline digs the nil interface), inside print it is <nil>.
  assert.equal(run('{{.a}}|{{ print .a }}|{{ print .nope }}', { a: null }), '<no value>|<nil>|<nil>');
  assert.throws(() => run('{{.a.b}}', {}, ['missingkey=error']), /map has no entry for key "a"/);
  assert.throws(() => run('{{.a.b}}', { a: null }), /nil pointer evaluating/);
  assert.throws(() => run('{{.a}}', {}, ['bogus']), NotEvaluable);
});

test('goTemplate: numbers print as Go prints float64 and int', () => {
  assert.equal(
    run('{{.n}} {{.m}} {{.f}} {{ 3 }} {{ 1.5 }} {{ len .l }}', { n: 1000000, m: 123456, f: 0.1, l: [1, 2] }),
    '1e+06 123456 0.1 3 1.5 2',
  );
  assert.equal(run('{{ add 1 2 }} {{ int "42" }} {{ int .n }}', { n: 7.9 }), '3 42 7');
});

test('goTemplate: pipelines, parentheses, variables, whitespace trim, comments', () => {
  assert.equal(run('{{ .name | upper | printf "%s-x" }}', { name: 'ab' }), 'AB-x');
  assert.equal(run('{{ $n := .name }}{{ with .m }}{{ $n }}-{{ .k }}{{ end }}', { name: 'a', m: { k: 'v' } }), 'a-v');
  assert.equal(run('a  {{- /* c */ -}}  b {{- " c " -}} d'), 'ab c d');
  assert.equal(run('{{ (index .m "a").b }}', { m: { a: { b: 'deep' } } }), 'deep');
  assert.equal(run('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}'), '2');
  assert.equal(run('{{ if eq .a "x" }}1{{ else if eq .a "y" }}2{{ else }}3{{ end }}', { a: 'y' }), '2');
  assert.equal(run('{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { l: ['a', 'b'] }), '0=a;1=b;');
  assert.equal(run('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } }), 'a=1;b=2;');
  assert.equal(run('{{ range .l }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}', { l: ['a', 'b', 'c'] }), 'a');
  assert.equal(run('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty');
  assert.equal(run('{{ and .a .b }} {{ or .a .b }} {{ not .a }}', { a: '', b: 'y' }), ' y true');
});

test('goTemplate: comparisons follow Go (no int/float mixing, missing is unequal)', () => {
  assert.equal(
    run('{{ eq .missing "x" }} {{ ne .a "b" }} {{ lt 1 2 }} {{ ge "b" "a" }}', { a: 'a' }),
    'false true true true',
  );
  assert.throws(() => run('{{ eq .n 3 }}', { n: 3 }), /incompatible types for comparison/);
  assert.throws(() => run('{{ lt .m .m }}', { m: {} }), /invalid type for comparison/);
});

test('goTemplate: function argument types are checked as text/template checks them', () => {
  assert.throws(() => run('{{ lower .n }}', { n: 3 }), /wrong type for value; expected string; got float64/);
  assert.throws(() => run('{{ lower .missing }}'), /invalid value; expected string/);
  assert.throws(() => run('{{ trunc .n "abc" }}', { n: 2 }), /expected int; got float64/);
  assert.throws(() => run('{{ .a "x" }}', { a: {} }), /not a method but has arguments/);
});

test('goTemplate: the sprig functions ApplicationSets use', () => {
  const p = { name: 'My App_1', env: 'prod', url: 'https://x.example.com', l: ['a', 'b'] };
  const cases: [string, string][] = [
    ['{{ default "d" .missing }}|{{ default "d" .env }}', 'd|prod'],
    ['{{ lower .name }}|{{ upper .env }}|{{ title "hello world-x" }}', 'my app_1|PROD|Hello World-X'],
    [
      '{{ trim "  a  " }}|{{ trimAll "-" "--a--" }}|{{ trimPrefix "pre-" "pre-a" }}|{{ trimSuffix "-suf" "a-suf" }}',
      'a|a|a|a',
    ],
    ['{{ replace "_" "-" .name }}|{{ trunc 3 .env }}|{{ trunc -2 .env }}|{{ substr 1 3 .env }}', 'My App-1|pro|od|ro'],
    ['{{ quote .env }}|{{ squote .env }}|{{ quote "a\\"b" }}', '"prod"|\'prod\'|"a\\"b"'],
    [
      '{{ toJson .l }}|{{ toJson (dict "a" "<b>" "n" 1) }}|{{ b64enc "hi" }}',
      '["a","b"]|{"a":"\\u003cb\\u003e","n":1}|aGk=',
    ],
    ['{{ splitList "." "a.b.c" | join "-" }}|{{ list 1 "x" | toJson }}', 'a-b-c|[1,"x"]'],
    ['{{ hasPrefix "pr" .env }}|{{ hasSuffix "od" .env }}|{{ contains "ro" .env }}', 'true|true|true'],
    ['{{ regexReplaceAll "[^a-z]+" .name "-" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '-y-pp-|-W-xxW-'],
    ['{{ regexReplaceAll "a*" "baaac" "X" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', 'XbXcX|---'],
    [
      '{{ sha256sum "abc" | trunc 8 }}|{{ ternary "y" "n" true }}|{{ empty .missing }}|{{ coalesce .missing "" "c" }}',
      'ba7816bf|y|true|c',
    ],
    ['{{ toString 3 }}|{{ int64 "0x10" }}|{{ normalize .name }}|{{ slugify .name }}', '3|16|my-app-1|my-app-1'],
    ['{{ slugify 5 true "aa-bbb-cc" }}|{{ slugify 5 false "aa-bbb-cc" }}', 'aa|aa-bb'],
    [
      '{{ .url | toYaml }}|{{ toYaml .l }}|{{ toYaml (dict "b10" 1 "b9" 2 "a" (list)) }}',
      'https://x.example.com|- a\n- b|a: []\nb9: 2\nb10: 1',
    ],
    ['{{ printf "%05d|%-4s|%q|%v" 42 "ab" "q" .l }}', '00042|ab  |"q"|[a b]'],
    ['{{ nindent 2 "a\\nb" }}', '\n  a\n  b'],
  ];
  for (const [t, want] of cases) assert.equal(run(t, p), want, t);
});

test('goTemplate: what is not evaluated offline is refused, never guessed', () => {
  assert.throws(() => run('{{ now }}'), NotEvaluable); // a sprig function we do not evaluate
  assert.throws(() => run('{{ template "x" }}'), NotEvaluable);
  assert.throws(() => run('{{ regexReplaceAll "(?i)a" "A" "b" }}'), NotEvaluable); // RE2 flags
  assert.throws(() => run('{{ regexReplaceAll "a(?=b)" "ab" "x" }}'), NotEvaluable); // not RE2 at all in JS' reading
  assert.throws(() => run('{{ toYaml "a: b" }}'), NotEvaluable); // v2 would quote it in a style we do not emit
  assert.throws(() => run('{{ trunc 1 "é" }}'), NotEvaluable); // cuts a character in half
});

test('goTemplate: bounds (range iterations, output size, nesting) end in NotEvaluable, not a hang', () => {
  assert.throws(() => run('{{ range 100000000 }}x{{ end }}'), NotEvaluable);
  assert.throws(
    () =>
      run('{{ range .l }}{{ range $.l }}{{ range $.l }}{{ . }}{{ end }}{{ end }}{{ end }}', {
        l: Array(300).fill('abcdefgh'),
      }),
    NotEvaluable,
  );
  assert.throws(() => run(`${'{{ if true }}'.repeat(200)}x${'{{ end }}'.repeat(200)}`), NotEvaluable);
  assert.throws(() => run(`{{ ${'('.repeat(200)}1${')'.repeat(200)} }}`), NotEvaluable);
});

test('goTemplate: values holding {{ are data, never templates ({{ injection)', () => {
  assert.equal(run('{{ .a }}', { a: '{{ .b }}', b: 'secret' }), '{{ .b }}');
});
