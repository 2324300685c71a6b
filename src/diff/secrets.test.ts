// Issue 12: "Secrets never leak". For a Secret at either revision, no output format shows a value of
// data/stringData or of kubectl's last-applied copy, old or new, decoded or base64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRenders } from './compare';
import { jsonDiff } from './json';
import { markdownDiff } from './markdown';
import { LAST_APPLIED, SECRET_MARKER } from './normalize';
import { textReport } from './text';
import { obj } from './test-fixture';
import type { JsonObject } from '../model/object';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function secret(
  name: string,
  data: Record<string, string>,
  stringData: Record<string, string>,
): ReturnType<typeof obj> {
  const body: JsonObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'prod' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    stringData,
  };
  (body.metadata as JsonObject).annotations = { [LAST_APPLIED]: JSON.stringify(body), team: 'web' };
  return obj(body);
}

function allOutputs(base: ReturnType<typeof obj>[], head: ReturnType<typeof obj>[]): string[] {
  const apps = [{ app: 'web', diff: compareRenders(base, head) }];
  return [
    textReport(apps, { color: false }),
    textReport(apps, { color: true }),
    markdownDiff(apps),
    markdownDiff(apps, { maxBytes: 2_000 }),
    jsonDiff(apps),
  ];
}

// Prefixed so that a value cannot be, by chance, a word the output holds anyway (a key name, a marker).
const value = fc
  .string({
    minLength: 10,
    maxLength: 40,
    unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789+/=-_:#%&é€'),
  })
  .map((v) => `Zq9${v}`);
const values = fc.dictionary(fc.constantFrom('k1', 'k2', 'k3', '__proto__', 'constructor'), value, { maxKeys: 5 });

test('no output format shows a Secret value, old or new, plain or base64 (property)', () => {
  fc.assert(
    fc.property(values, values, values, values, fc.boolean(), (d1, d2, s1, s2, rename) => {
      const base = [secret('creds', d1, s1)];
      const head = [secret(rename ? 'creds-v2' : 'creds', d2, s2)];
      const secrets = [...Object.values(d1), ...Object.values(d2), ...Object.values(s1), ...Object.values(s2)];
      for (const out of allOutputs(base, head))
        for (const v of secrets) {
          assert.ok(!out.includes(v), `value ${JSON.stringify(v)} in output`);
          assert.ok(!out.includes(b64(v)), `base64 of ${JSON.stringify(v)} in output`);
          assert.ok(!out.includes(JSON.stringify(v).slice(1, -1)), `escaped ${JSON.stringify(v)} in output`);
        }
    }),
    { seed: 1_2, numRuns: 300 },
  );
});

test('a Secret diff says which keys were added, removed and changed, and no change when values are equal', () => {
  const base = [secret('creds', { same: 'aaaaaaaaaa', changed: 'bbbbbbbbbb', gone: 'cccccccccc' }, {})];
  const head = [secret('creds', { same: 'aaaaaaaaaa', changed: 'BBBBBBBBBB', fresh: 'dddddddddd' }, {})];
  const d = compareRenders(base, head);
  const u = d.changed[0]!.unified;
  assert.match(u, new RegExp(`^-  changed: ${SECRET_MARKER.old.replace(/[()]/g, '\\$&')}$`, 'm'));
  assert.match(u, new RegExp(`^\\+  changed: ${SECRET_MARKER.new.replace(/[()]/g, '\\$&')}$`, 'm'));
  assert.match(u, /^-  gone: /m);
  assert.match(u, /^\+  fresh: /m);
  assert.doesNotMatch(u, /^[-+]  same: /m);
  assert.deepEqual(
    d.changed[0]!.patch.map((o) => [o.op, o.path]).sort(),
    [
      ['add', '/data/fresh'],
      ['remove', '/data/gone'],
      ['replace', '/data/changed'],
      ['replace', `/metadata/annotations/${LAST_APPLIED.replace('/', '~1')}`],
    ].sort(),
  );
  const same = compareRenders(base, [
    secret('creds', { same: 'aaaaaaaaaa', changed: 'bbbbbbbbbb', gone: 'cccccccccc' }, {}),
  ]);
  assert.equal(same.changed.length, 0);
  assert.equal(same.unchanged, 1);
});

test('a Secret key named __proto__ stays a key, shown redacted', () => {
  const base = [secret('creds', JSON.parse('{"__proto__":"Zq9old-value"}') as Record<string, string>, {})];
  const head = [secret('creds', JSON.parse('{"__proto__":"Zq9new-value"}') as Record<string, string>, {})];
  const out = textReport([{ app: 'a', diff: compareRenders(base, head) }]);
  assert.match(out, /^-  __proto__: \(secret value before, not shown\)$/m);
  assert.doesNotMatch(out, /Zq9|WnE5/);
});
