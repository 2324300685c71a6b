// The strict reader of our own YAML config files, in-process: every key known, every value well
// typed, every error one line that starts with file:line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../util/errors';
import { ConfigReader, type FieldType } from './schema';

const SCHEMA: Record<string, FieldType> = {
  name: { type: 'string', check: (v) => (v.startsWith('-') ? 'must not start with "-"' : undefined) },
  enabled: { type: 'boolean' },
  count: { type: 'number' },
  mode: { type: 'enum', values: ['a', 'b'] },
  globs: { type: 'strings' },
  labels: { type: 'map', of: { type: 'string' }, keyCheck: (k) => (k.includes('/') ? undefined : 'must hold a "/"') },
  nested: { type: 'object', fields: { deep: { type: 'object', fields: { leaf: { type: 'boolean' } } } } },
  items: { type: 'list', of: { type: 'object', fields: { id: { type: 'string' } } } },
  free: { type: 'any' },
};
const read = (text: string, required: string[] = []) =>
  new ConfigReader({ file: 'cfg.yaml', text }).parse(SCHEMA, required);

test('ConfigReader: what a well-formed file reads to', () => {
  const rows: Array<[string, Record<string, unknown>]> = [
    ['', {}],
    ['# only a comment\n', {}],
    ['---\n', {}], // an empty document, as an empty file (was refused as "must be a mapping")
    ['~\n', {}],
    ['name: web', { name: 'web' }],
    ['enabled: yes', { enabled: true }], // YAML 1.1, as Kubernetes reads it
    ['enabled: off', { enabled: false }],
    ['count: 0', { count: 0 }],
    ['count: 0x10', { count: 16 }],
    ['count: 1.5', { count: 1.5 }],
    ['mode: b', { mode: 'b' }],
    ['globs: "*.yaml"', { globs: ['*.yaml'] }], // a single string is a list of one
    ['globs: [a, b]', { globs: ['a', 'b'] }],
    ['globs: []', { globs: [] }],
    ['labels: {a/b: x}', { labels: { 'a/b': 'x' } }],
    ['nested: {deep: {leaf: true}}', { nested: { deep: { leaf: true } } }],
    ['items: [{id: x}, {}]', { items: [{ id: 'x' }, {}] }],
    ['free: {any: [1, {x: null}]}', { free: { any: [1, { x: null }] } }],
    ['free:', { free: null }],
    ['nested: {deep: &d {leaf: false}}', { nested: { deep: { leaf: false } } }],
  ];
  for (const [text, want] of rows) assert.deepEqual(read(text), want, text);
  // YAML 1.1 reads the key `on` (and yes, no, off, y, n) as a boolean, as Kubernetes does: no key of
  // ours may be one of those words.
  assert.throws(() => read('on: 1'), /unknown key "true"/);
});

test('ConfigReader: every problem is one line, file:line first, naming the key', () => {
  const rows: Array<[string, string]> = [
    [
      'nmae: web',
      'cfg.yaml:1: unknown key "nmae" (did you mean "name"?); known keys: name, enabled, count, mode, globs, labels, nested, items, free',
    ],
    [
      '\n\nnested:\n  deep:\n    leef: true',
      'cfg.yaml:5: unknown key "nested.deep.leef" (did you mean "nested.deep.leaf"?); known keys: leaf',
    ],
    [
      'toString: 1',
      'cfg.yaml:1: unknown key "toString"; known keys: name, enabled, count, mode, globs, labels, nested, items, free',
    ],
    [
      'constructor: 1',
      'cfg.yaml:1: unknown key "constructor"; known keys: name, enabled, count, mode, globs, labels, nested, items, free',
    ],
    [
      '__proto__: {name: x}',
      'cfg.yaml:1: unknown key "__proto__"; known keys: name, enabled, count, mode, globs, labels, nested, items, free',
    ],
    ['nested: {hasOwnProperty: 1}', 'cfg.yaml:1: unknown key "nested.hasOwnProperty"; known keys: deep'],
    [
      'zzzzzz: 1',
      'cfg.yaml:1: unknown key "zzzzzz"; known keys: name, enabled, count, mode, globs, labels, nested, items, free',
    ],
    ['name: 12', 'cfg.yaml:1: name must be a string (quote it)'],
    ['name: true', 'cfg.yaml:1: name must be a string (quote it)'],
    ['name: [a]', 'cfg.yaml:1: name must be a string'],
    ['name: -x', 'cfg.yaml:1: name "-x" must not start with "-"'],
    ['enabled: "yes"', 'cfg.yaml:1: enabled must be true or false'],
    ['enabled: 1', 'cfg.yaml:1: enabled must be true or false'],
    ['count: "1"', 'cfg.yaml:1: count must be a number of 0 or more'],
    ['count: -1', 'cfg.yaml:1: count must be a number of 0 or more'],
    ['count: .inf', 'cfg.yaml:1: count must be a number of 0 or more'],
    ['count: .nan', 'cfg.yaml:1: count must be a number of 0 or more'],
    ['mode: c', 'cfg.yaml:1: mode must be one of a, b, not "c"'],
    ['globs: 3', 'cfg.yaml:1: globs must be a string or a list of strings'],
    ['globs: [a, 3]', 'cfg.yaml:1: globs[1] must be a string (quote it)'],
    ['labels: [a]', 'cfg.yaml:1: labels must be a mapping'],
    ['labels:\n  nokey: x', 'cfg.yaml:2: labels key "nokey" must hold a "/"'],
    ['labels: {a/b: 1}', 'cfg.yaml:1: labels.a/b must be a string (quote it)'],
    ['items: {id: x}', 'cfg.yaml:1: items must be a list'],
    [
      'items:\n  - id: x\n  - idd: y',
      'cfg.yaml:3: unknown key "items[1].idd" (did you mean "items[1].id"?); known keys: id',
    ],
    ['- a\n- b', 'cfg.yaml:1: the file must be a mapping'],
    ['just text', 'cfg.yaml:1: the file must be a mapping'],
  ];
  for (const [text, want] of rows) {
    assert.throws(
      () => read(text),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.equal(e.message, want, text);
        return true;
      },
      text,
    );
  }
});

test('ConfigReader: invalid YAML, duplicate keys and missing required keys are refused with a line', () => {
  const rows: Array<[string, string[], RegExp]> = [
    ['name: a\nname: b', [], /^cfg\.yaml:2: invalid YAML: /],
    ['name: [a', [], /^cfg\.yaml:1: invalid YAML: /],
    ['a: b: c', [], /^cfg\.yaml:1: invalid YAML: /],
    ['\tname: a', [], /^cfg\.yaml:1: invalid YAML: /],
    ['name: a', ['mode'], /^cfg\.yaml:1: "mode" is required$/],
    ['', ['mode'], /^cfg\.yaml:1: "mode" is required$/],
  ];
  for (const [text, required, message] of rows) {
    assert.throws(
      () => read(text, required),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
      text,
    );
  }
});

test("ConfigReader: the file's own text in a message is escaped and bounded", () => {
  const long = `${'k'.repeat(5000)}\u001b[2J`;
  assert.throws(
    () => read(`"${long.replace('\u001b', '\\e')}": 1`),
    (e: unknown) => e instanceof UsageError && e.message.length < 600 && !/[\u0000-\u001f]/.test(e.message),
  );
  assert.throws(
    () => read(`mode: "${'x'.repeat(3000)}\\u202e"`),
    (e: unknown) => e instanceof UsageError && e.message.length < 600 && !e.message.includes('\u202e'),
  );
  assert.equal(new ConfigReader({ file: 'f', text: '' }).error('boom').message, 'f: boom');
});

test('ConfigReader: a map key named like an Object.prototype member is data, never the prototype', () => {
  const out = new ConfigReader({ file: 'f', text: 'm: {__proto__: {x: z}, toString: b, constructor: c}\n' }).parse({
    m: { type: 'map', of: { type: 'any' } },
  }) as { m: Record<string, unknown> };
  assert.deepEqual(Object.keys(out.m), ['__proto__', 'toString', 'constructor']);
  assert.equal(Object.getPrototypeOf(out.m), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(out.m, '__proto__')?.value, { x: 'z' });
  assert.equal((out.m as { x?: unknown }).x, undefined);
});
