// Numbers keep the value Kubernetes keeps (issue 9 §1): go-yaml v2 reads int64, uint64 or float64;
// apimachinery reads the JSON back as int64 when it fits, else float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goExactNumberValue, goNumberSyntax, goNumberValue } from './k8s-yaml';
import { parseManifests } from '../parse/parse-manifests';
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
  fc.assert(
    fc.property(fc.bigInt(INT64), fc.constantFrom('dec', 'hex', 'underscore'), (n, form) => {
      const abs = n < 0n ? -n : n;
      const text =
        form === 'hex'
          ? `${n < 0n ? '-' : ''}0x${abs.toString(16)}`
          : form === 'underscore'
            ? n.toString().replace(/(\d)(?=(\d{3})+$)/g, '$1_')
            : n.toString();
      const v = goExactNumberValue(text);
      assert.equal(jsonText({ v }), `{"v":${n.toString()}}`, text);
      assert.equal(
        typeof v === 'bigint',
        n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER),
        text,
      );
    }),
    { seed: 8, numRuns: 2000 },
  );
});

// Each plain scalar as go-yaml v2's resolve() reads it (what sigs.k8s.io/yaml, kubectl and Argo CD
// use): the syntax goNumberSyntax gives, and the value parseManifests keeps (in-process, no bundle).
const SCALARS: Array<[string, 'int' | 'float' | undefined, unknown]> = [
  ['12', 'int', 12],
  ['+12', 'int', 12],
  ['-12', 'int', -12],
  ['0', 'int', 0],
  ['-0', 'int', 0],
  ['012', 'int', 10], // ParseInt base 0: a leading 0 is octal
  ['08', 'float', 8], // not octal: ParseInt fails, yamlStyleFloat reads it as a decimal
  ['0o17', 'int', 15],
  ['0O17', 'int', 15],
  ['0x1F', 'int', 31],
  ['0X1f', 'int', 31],
  ['0b101', 'int', 5],
  ['0B11', 'int', 3],
  ['1_000', 'int', 1000],
  ['-_1', 'int', -1],
  ['1__0', 'int', 10],
  ['0x_1F', 'int', 31], // every "_" removed first
  ['_1', undefined, '_1'],
  ['1.5', 'float', 1.5],
  ['1.', 'float', 1],
  ['.5', 'float', 0.5],
  ['-.5', 'float', -0.5],
  ['+.5', 'float', 0.5],
  ['.5_5', 'float', 0.55],
  ['._5', undefined, '._5'], // a leading "." only goes to ParseFloat (Go's "_" rule)
  ['1e3', 'float', 1000],
  ['1E+3', 'float', 1000],
  ['1e-3', 'float', 0.001],
  ['e9', undefined, 'e9'],
  ['-e1', undefined, '-e1'],
  ['.', undefined, '.'],
  ['._', undefined, '._'],
  ['.e1', undefined, '.e1'],
  ['1.5e', undefined, '1.5e'],
  ['0x', undefined, '0x'],
  ['0o', undefined, '0o'],
  ['0b2', undefined, '0b2'],
  ['0o8', undefined, '0o8'],
  ['0xG', undefined, '0xG'],
  ['1:30', undefined, '1:30'],
  ['1:30:00', undefined, '1:30:00'], // no base 60 in go-yaml
  ['2001-12-14', undefined, '2001-12-14'],
  ['2001-12-14t21:59:43.10-05:00', undefined, '2001-12-14t21:59:43.10-05:00'], // timestamps stay text
  ['1,000', undefined, '1,000'],
  ['1 000', undefined, '1 000'],
  ['0.0.1', undefined, '0.0.1'],
  ['v1', undefined, 'v1'],
  ['12abc', undefined, '12abc'],
  ['yes', undefined, true],
  ['Yes', undefined, true],
  ['YES', undefined, true],
  ['y', undefined, true],
  ['Y', undefined, true],
  ['on', undefined, true],
  ['n', undefined, false],
  ['NO', undefined, false],
  ['Off', undefined, false],
  ['true', undefined, true],
  ['True', undefined, true],
  ['tRue', undefined, 'tRue'],
  ['~', undefined, null],
  ['null', undefined, null],
  ['Null', undefined, null],
  ['NULL', undefined, null],
  ['', undefined, null],
  ['9223372036854775807', 'int', 9223372036854775807n],
  ['9223372036854775808', 'int', 9223372036854775808],
  ['1e400', 'float', '1e400'],
  ['"12"', undefined, '12'],
  ["'yes'", undefined, 'yes'],
  ['!!str 12', undefined, '12'],
  ['!!float 1', undefined, 1],
  ['!!binary aGk=', undefined, 'hi'],
];

test('goNumberSyntax: the plain scalars go-yaml v2 reads as int or float', () => {
  for (const [s, syntax] of SCALARS) if (!/^["'!]/.test(s)) assert.equal(goNumberSyntax(s), syntax, JSON.stringify(s));
});

test('parseManifests: each scalar keeps the value Kubernetes reads from it', () => {
  for (const [s, , want] of SCALARS) {
    const [doc] = parseManifests([{ path: 'a.yaml', text: `v: ${s}\n` }]);
    assert.equal((doc!.value as { v: unknown }).v, want, JSON.stringify(s));
  }
});
