// Numbers keep the value Kubernetes keeps (issue 9 §1): go-yaml v2 reads int64, uint64 or float64;
// apimachinery reads the JSON back as int64 when it fits, else float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goExactNumberValue, goNumberValue } from './k8s-yaml';
import { jsonText } from '../emit/streams';

test('goExactNumberValue: integers within int64 keep every digit (bigints beyond 2^53)', () => {
  const exact: Record<string, number | bigint> = {
    '9223372036854775807': 9223372036854775807n,
    '-9223372036854775808': -9223372036854775808n,
    '9007199254740993': 9007199254740993n,
    '-9007199254740993': -9007199254740993n,
    '9007199254740991': 9007199254740991,
    '0x7FFFFFFFFFFFFFFF': 9223372036854775807n,
    '-0x8000000000000000': -9223372036854775808n,
    '0777777777777777777777': 0o777777777777777777777n,
    ['0b' + '1'.repeat(62)]: 2n ** 62n - 1n,
    '1_000_000_000_000_000_000': 1000000000000000000n,
    '+42': 42,
    '-0': 0, // ParseInt("-0") is 0
    '12': 12,
  };
  for (const [s, v] of Object.entries(exact)) assert.equal(goExactNumberValue(s), v, s);
});

test('goExactNumberValue: beyond int64 Kubernetes keeps a float64, and beyond float64 a string', () => {
  const floats: Record<string, number | string> = {
    '9223372036854775808': 9223372036854775808, // uint64 -> float64 in unstructured
    '18446744073709551615': 18446744073709551615,
    '0xFFFFFFFFFFFFFFFF': 18446744073709551615,
    '18446744073709551616': 18446744073709551616, // beyond uint64: yamlStyleFloat
    '-9223372036854775809': -9223372036854775809,
    '0x10000000000000000': '0x10000000000000000', // ParseInt/ParseUint fail, not a float: text
    '1e3': 1000,
    '1.5e300': 1.5e300,
    '-2.5E-7': -2.5e-7,
    '1e400': '1e400', // ParseFloat out of range: go-yaml keeps the text
    ['9'.repeat(400)]: '9'.repeat(400),
  };
  for (const [s, v] of Object.entries(floats)) assert.equal(goExactNumberValue(s), v, s);
});

test('goNumberValue (control files) stays a JS number', () => {
  assert.equal(typeof goNumberValue('9223372036854775807'), 'number');
  assert.equal(goNumberValue('12'), 12);
});

test('goExactNumberValue + jsonText: every int64, written in decimal, hex or with underscores, comes out digit for digit (property, fixed seed)', () => {
  const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
  fc.assert(fc.property(fc.bigInt(INT64), fc.constantFrom('dec', 'hex', 'underscore'), (n, form) => {
    const abs = n < 0n ? -n : n;
    const text = form === 'hex' ? `${n < 0n ? '-' : ''}0x${abs.toString(16)}` : form === 'underscore' ? n.toString().replace(/(\d)(?=(\d{3})+$)/g, '$1_') : n.toString();
    const v = goExactNumberValue(text);
    assert.equal(jsonText({ v }), `{"v":${n.toString()}}`, text);
    assert.equal(typeof v === 'bigint', n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER), text);
  }), { seed: 8, numRuns: 2000 });
});
