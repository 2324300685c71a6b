// Issue 8 §2: the objects we check are exactly the objects Argo CD applies. Argo CD replaces any object
// of our output whose top-level `items` is an array by its items (one level) and drops one with
// `items: null` and no spec or status (reposerver/repository.go `case obj.IsList()`, `isNullList`;
// contract §10). parse does that once to the render; an object that would be flattened or dropped AGAIN
// (a List inside a List, `items: null` on a List's item, a patch that adds `items`) is refused, since
// Argo CD would apply something else than what was checked. For every case we render, the harness's
// reading of our stdout (test/harness/manifests.ts, Argo CD's three stages) must equal our own list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, parseJsonStream, render } from './helpers';
import { parsePluginOutput } from './harness/manifests';

const NS = ['--namespace', 'prod'];
type Obj = Record<string, unknown>;

const cm = (name: string, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  ...extra,
});
const list = (items: unknown, extra: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'List', ...extra, items });

/** Renders the documents (JSON is YAML) and returns the result, after checking that whatever we emit
 * is read by Argo CD as exactly the objects we emitted: no emitted object is flattened or dropped. */
function renderDocs(docs: unknown[]) {
  const repo = makeRepo({ 'apps/web/m.yaml': docs.map((d) => JSON.stringify(d, null, 1)).join('\n---\n') + '\n' });
  const r = render(repo, 'apps/web', NS);
  if (r.code === 0) {
    const ours = parseJsonStream(r.stdout);
    const argo = parsePluginOutput(r.stdout.replace(/\n$/, ''));
    assert.equal(argo.error, undefined, argo.error);
    assert.deepEqual(argo.objects, ours, 'Argo CD would apply other objects than the ones we emitted and checked');
  } else {
    assert.equal(r.stdout, '', 'a refusal leaves stdout empty');
  }
  return r;
}

function names(stdout: string): string[] {
  return parseJsonStream(stdout).map((o) => String((o.metadata as Obj).name));
}

function refused(r: ReturnType<typeof render>, pattern: RegExp, count = 1): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = findingLines(r.stderr, 'invalid-object');
  assert.equal(lines.length, count, r.stderr);
  for (const l of lines) assert.match(l, pattern);
}

const NESTED = /top-level `items` array, so Argo CD would replace it by its items/;
const NULLED = /`items: null` and no spec or status, so Argo CD would drop it/;

// --- what Argo CD flattens once, we flatten once: these render, and both views agree -------------------

test('items: a top-level List is replaced by its items', () => {
  const r = renderDocs([list([cm('a'), cm('b')])]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(names(r.stdout), ['a', 'b']);
});

test('items: an object of any kind with an items array is replaced by its items, as Argo CD does', () => {
  for (const outer of [
    cm('outer', { items: [cm('a')] }),
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {}, items: [cm('b')] },
  ]) {
    const r = renderDocs([outer, cm('c')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(names(r.stdout), [((outer.items as Obj[])[0]!.metadata as Obj).name, 'c']);
  }
});

test('items: an empty top-level List yields nothing, and an items: null List without spec or status is dropped', () => {
  for (const doc of [
    list([]),
    list(null),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' }, items: null },
  ]) {
    const r = renderDocs([doc, cm('kept')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(names(r.stdout), ['kept'], JSON.stringify(doc));
  }
});

test('items: an object with items: null and a spec or a status is kept, at the top and inside a List', () => {
  const withSpec = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { a: 1 },
    items: null,
  };
  const withStatus = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 's' }, status: {}, items: null };
  for (const docs of [[withSpec, withStatus], [list([withSpec, withStatus])]]) {
    const r = renderDocs(docs);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(names(r.stdout), ['w', 's']);
  }
});

test('items: an items value that is not an array (a map, a string, a number) is an ordinary field, at any depth', () => {
  const odd = [cm('m', { items: { a: 'b' } }), cm('s', { items: 'text' }), cm('n', { items: 3 })];
  for (const docs of [odd, [list(odd)]]) {
    const r = renderDocs(docs);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(names(r.stdout), ['m', 's', 'n']);
  }
});

// --- what Argo CD would flatten or drop again is refused --------------------------------------------------

test('items: a List inside a List is refused at the inner List (Argo CD would apply its items unchecked)', () => {
  const repo = makeRepo({
    'apps/web/m.yaml': [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: checked}',
      '  - apiVersion: v1',
      '    kind: List',
      '    metadata: {name: inner}',
      '    items:',
      '      - apiVersion: v1',
      '        kind: Secret',
      '        metadata: {name: unchecked}',
      '',
    ].join('\n'),
  });
  const r = render(repo, 'apps/web', NS);
  refused(r, NESTED);
  assert.match(
    findingLines(r.stderr, 'invalid-object')[0]!,
    /^error\[invalid-object\] List inner \(apps\/web\/m\.yaml:7\): .*Fix: move the inner items/,
  );
  assert.equal(r.stdout, '');
});

test('items: an item that is itself a list is refused whatever its kind, its items, and however deep', () => {
  const variants: unknown[][] = [
    [list([list([cm('a')])])], // List in List
    [list([list([])])], // an empty List in a List: Argo CD would drop the item
    [list([cm('x', { items: [cm('a')] })])], // a ConfigMap with items, in a List
    [list([cm('x', { items: [] })])], // a locked object emptied by `items: []`
    [list([cm('ok'), list([list([cm('a')])])])], // List in List in List: refused at the middle one
    [cm('outer', { items: [list([cm('a')])] })], // a non-List kind whose item is a List
    [list([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {}, items: [cm('a')] }])], // with spec
  ];
  for (const docs of variants) refused(renderDocs(docs), NESTED);
});

test('items: an item with items: null and no spec or status is refused (Argo CD would drop it while the lock sees it)', () => {
  const variants: unknown[][] = [
    [list([cm('locked', { items: null })])],
    [list([cm('a'), list(null)])],
    [cm('outer', { items: [cm('x', { items: null, data: { a: 'b' } })] })],
  ];
  for (const docs of variants) refused(renderDocs(docs), NULLED);
});

test('items: every nested list of a render is reported, each at its own item', () => {
  const r = renderDocs([list([list([cm('a')]), cm('b', { items: null }), cm('c')]), list([cm('d', { items: [] })])]);
  refused(r, /items/, 3);
});

test('items: a patch that adds an items array or items: null to an object is refused too', () => {
  for (const value of ['[]', '[{apiVersion: v1, kind: Secret, metadata: {name: s}}]', 'null']) {
    const repo = makeRepo({
      'apps/web/cm.yaml': manifest('ConfigMap', 'settings'),
      'apps/web/safe-render.yaml': `patches:\n- target: {kind: ConfigMap, name: settings}\n  patch:\n  - {op: add, path: /items, value: ${value}}\n`,
    });
    const r = render(repo, 'apps/web', NS);
    refused(r, value === 'null' ? NULLED : NESTED);
  }
});

test('items: a helm chart that renders a List inside a List is refused the same way', () => {
  const repo = makeRepo({
    'apps/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'apps/web/templates/l.yaml': JSON.stringify(list([list([cm('a')])]), null, 1) + '\n',
  });
  const r = render(repo, 'apps/web', NS);
  refused(r, NESTED);
});
