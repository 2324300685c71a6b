// parseJsonExact reads back what canonicalJson wrote, digit for digit (issue 9 §1: lock state).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, parseJsonExact } from './canonical-json';

test('parseJsonExact: integers beyond 2^53 within int64 come back as the bigints written', () => {
  for (const s of [
    '9007199254740993',
    '-9007199254740993',
    '9223372036854775807',
    '-9223372036854775808',
    '9007199254740992',
  ]) {
    assert.equal(
      parseJsonExact(`{"a":[${s}]}`) !== null && canonicalJson(parseJsonExact(`{"a":[${s}]}`)),
      `{"a":[${s}]}`,
    );
    assert.equal(typeof (parseJsonExact(`[${s}]`) as unknown[])[0], 'bigint', s);
  }
});

test('parseJsonExact: everything else reads as JSON.parse reads it', () => {
  for (const s of [
    '{}',
    '[]',
    '{"a":1,"b":[true,false,null,"x\\n\\u00e9"],"c":{"d":1.5e300}}',
    '9223372036854775808',
    '18446744073709552000',
    '1e21',
    '-0',
    '0.1',
    '"1234567890123456789"',
    '{"__proto__":{"x":1},"k":1}',
    '{"a":1,"a":2}',
  ]) {
    const exact = parseJsonExact(s);
    const plain = JSON.parse(s) as unknown;
    // Beyond int64 a float64 is what the render held, and what JSON.parse gives.
    assert.equal(canonicalJson(exact), canonicalJson(plain), s);
  }
  const p = parseJsonExact('{"__proto__":{"x":1},"n":10000000000000000}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(p), Object.prototype);
  assert.deepEqual(Object.keys(p), ['__proto__', 'n']);
});

test('parseJsonExact: malformed JSON is refused as by JSON.parse, with or without long numbers', () => {
  for (const s of [
    '',
    '{',
    '{"a":1,}',
    '[9007199254740993',
    '[9007199254740993,]',
    '{"a" 9007199254740993}',
    '01',
    'NaN',
    "{'a':1}",
  ]) {
    assert.throws(() => parseJsonExact(s), SyntaxError, s);
  }
});

test('parseJsonExact: deep nesting with a long number is refused, not a stack overflow', () => {
  const deep = `${'['.repeat(5000)}9007199254740993${']'.repeat(5000)}`;
  assert.throws(() => parseJsonExact(deep), /nested too deeply/);
});

test('parseJsonExact: canonicalJson round trip for every int64 and for floats (property)', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc
        .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        .map((b) => (Number.isSafeInteger(Number(b)) ? Number(b) : b)),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
    ),
  })).v;
  fc.assert(
    fc.property(value, (v) => canonicalJson(parseJsonExact(canonicalJson(v))) === canonicalJson(v)),
    { seed: 9, numRuns: 2000 },
  );
});
