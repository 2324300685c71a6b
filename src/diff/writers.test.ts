import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRenders } from './compare';
import { jsonDiff } from './json';
import { markdownDiff } from './markdown';
import { IGNORED_FIELD_NAMES } from './normalize';
import { colorEnabled, summaryLine, textReport } from './text';
import { configMap, deployment } from './test-fixture';
import { byteLength } from '../ci/reports/markdown';

const base = [deployment('web', 'web:1'), configMap('old', { a: '1' }), deployment('api', 'api:1')];
const head = [deployment('web', 'web:2'), configMap('new', { a: '1' }), deployment('api-v2', 'api:1')];
const apps = [{ app: 'guestbook', diff: compareRenders(base, head) }];

test('text: a summary line per app, removals before additions before changes, the ignored fields said', () => {
  assert.equal(summaryLine(apps[0]!.diff), '+2 -2 ~1 objects');
  const out = textReport(apps);
  assert.ok(out.startsWith('guestbook: +2 -2 ~1 objects\n'));
  const at = (s: string) => out.indexOf(s);
  assert.ok(at('- removed apps/Deployment prod/api') > 0);
  assert.ok(at('- removed ConfigMap prod/old') < at('+ added apps/Deployment prod/api-v2'));
  assert.ok(at('+ added ConfigMap prod/new') < at('~ changed apps/Deployment prod/web'));
  assert.match(out, /^-kind: ConfigMap$/m);
  assert.match(out, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
  assert.ok(
    out.includes(
      `Not compared (the API server owns them, or they change on every render): ${IGNORED_FIELD_NAMES.join(', ')}`,
    ),
  );
  assert.doesNotMatch(out, /\u001b/);
});

test('text: ANSI colour only when asked; auto follows the terminal and NO_COLOR', () => {
  const out = textReport(apps, { color: true });
  assert.match(out, /\u001b\[31m- removed ConfigMap prod\/old\u001b\[0m/);
  assert.match(out, /\u001b\[32m\+ +image: web:2\u001b\[0m/);
  assert.equal(colorEnabled('auto', true, undefined), true);
  assert.equal(colorEnabled('auto', true, '1'), false);
  assert.equal(colorEnabled('auto', false, undefined), false);
  assert.equal(colorEnabled('always', false, '1'), true);
  assert.equal(colorEnabled('never', true, undefined), false);
});

test('text: terminal control sequences in a render are shown escaped, never sent', () => {
  const evil = compareRenders([], [configMap('x\u001b]0;pwned\u0007', { k: 'v\u001b[2J' })]);
  const out = textReport([{ app: 'a\u001b[31m', diff: evil }]);
  assert.doesNotMatch(out, /\u001b/);
  assert.doesNotMatch(out, /\u0007/);
});

test('markdown: removals first, names escaped, a diff block per change, the ignored fields said', () => {
  const evil = compareRenders([configMap('@team **x** <b>', {})], []);
  const out = markdownDiff([...apps, { app: 'p[r](http://e)', diff: evil }]);
  assert.ok(out.startsWith('### safe-render diff\n\n- **guestbook**: +2 -2 ~1 objects\n'));
  assert.ok(out.indexOf('#### Removed') < out.indexOf('#### Added'));
  assert.ok(out.indexOf('#### Added') < out.indexOf('#### Changed'));
  assert.match(out, /```diff\n@@/);
  assert.ok(out.includes('@\u200bteam \\*\\*x\\*\\* &lt;b&gt;'));
  assert.ok(out.includes('p\\[r\\]\\(http:\u200b//e\\)'));
  assert.ok(out.includes('`metadata.managedFields`'));
  assert.doesNotMatch(out, /Cut to fit/);
});

test('markdown: cut under the budget from the changes end, with a note of what was cut; a hostile fence cannot close the block', () => {
  const many = Array.from({ length: 400 }, (_, i) => configMap(`cm-${i}`, { v: `${i}` }));
  const changedMany = many.map((o) => configMap(o.name, { v: 'x```y'.repeat(20) }));
  const big = [{ app: 'big', diff: compareRenders([...many, configMap('gone', {})], changedMany) }];
  const out = markdownDiff(big, { maxBytes: 8_000 });
  assert.ok(byteLength(out) < 8_000, `${byteLength(out)}`);
  assert.match(out, /- big: ConfigMap prod\/gone/);
  assert.match(out, /Cut to fit a pull-request comment: \d+ changed not shown/);
  assert.match(out, /````diff\n/);
  const full = markdownDiff(big);
  assert.ok(byteLength(full) < 65_536);
});

test('json: a stable shape with summary counts, identities and patch operations', () => {
  const v = JSON.parse(jsonDiff(apps));
  assert.equal(v.version, 1);
  assert.deepEqual(v.ignoredFields, IGNORED_FIELD_NAMES);
  const a = v.apps[0];
  assert.deepEqual(a.summary, { removed: 2, added: 2, changed: 1, unchanged: 0 });
  assert.deepEqual(a.removed[0], {
    ref: 'apps/Deployment/prod/api',
    group: 'apps',
    kind: 'Deployment',
    namespace: 'prod',
    name: 'api',
  });
  assert.deepEqual(a.changed[0].patch, [
    { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' },
  ]);
});
