// Which fields two bodies differ in (issue 14, the duplicate-object message), in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fieldDifferences, HIDDEN_VALUE } from './field-diff';

test('differences in document order: a changed scalar, a key on one side, a list of another length', () => {
  const a = { spec: { source: { path: 'a', repoURL: 'r' }, list: [1, 2], items: [{ x: 1 }] }, kind: 'K' };
  const b = { spec: { source: { path: 'b', repoURL: 'r', extra: true }, list: [1], items: [{ x: 2 }] }, kind: 'K' };
  assert.deepEqual(fieldDifferences(a, b, false, 10), {
    shown: [
      'spec.source.path: "a" vs "b"',
      'spec.source.extra: (absent) vs true',
      'spec.list: [2 items] vs [1 item]',
      'spec.items[0].x: 1 vs 2',
    ],
    total: 4,
  });
  assert.deepEqual(fieldDifferences(a, b, false), {
    shown: ['spec.source.path: "a" vs "b"', 'spec.source.extra: (absent) vs true', 'spec.list: [2 items] vs [1 item]'],
    total: 4,
  });
  assert.deepEqual(fieldDifferences(a, structuredClone(a), false), { shown: [], total: 0 });
});

test('odd keys are quoted, long values cut, a map against a scalar is shown as a map', () => {
  const d = fieldDifferences(
    { metadata: { labels: { 'app.kubernetes.io/name': 'x'.repeat(100) } }, v: { a: 1 } },
    { metadata: { labels: { 'app.kubernetes.io/name': 'y' } }, v: 'line\nbreak' },
    false,
  );
  assert.deepEqual(d.shown, [
    `metadata.labels["app.kubernetes.io/name"]: "${'x'.repeat(39)}… vs "y"`,
    'v: {…} vs "line\\nbreak"',
  ]);
});

test('a Secret: data, stringData and the last-applied copy are never shown; other fields are', () => {
  const a = {
    metadata: { labels: { t: 'a' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"pw":1}' } },
    data: { pw: 'c2VjcmV0' },
    stringData: 'not-a-map',
  };
  const b = {
    metadata: { labels: { t: 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"pw":2}' } },
    data: { pw: 'b3RoZXI=' },
    stringData: 'other',
  };
  const d = fieldDifferences(a, b, true, 10);
  assert.deepEqual(d.shown, [
    'metadata.labels.t: "a" vs "b"',
    `metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]: ${HIDDEN_VALUE} vs ${HIDDEN_VALUE}`,
    `data.pw: ${HIDDEN_VALUE} vs ${HIDDEN_VALUE}`,
    `stringData: ${HIDDEN_VALUE} vs ${HIDDEN_VALUE}`,
  ]);
});

test('property: no value under data or stringData of a Secret ever appears (fixed seed)', () => {
  const secretValue = fc.string({ minLength: 8 }).map((s) => `SECRET${s}`);
  const body = fc.record({
    data: fc.dictionary(fc.string({ maxLength: 5 }), secretValue),
    stringData: fc.oneof(secretValue, fc.dictionary(fc.string({ maxLength: 5 }), secretValue)),
  });
  fc.assert(
    fc.property(body, body, (a, b) => {
      const text = fieldDifferences(a, b, true, 100).shown.join('\n');
      assert.ok(!text.includes('SECRET'), text);
    }),
    { numRuns: 300, seed: 0x5afe },
  );
});
