// The flag parser in-process: the forms people type, and our messages for the ones we refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../util/errors';
import { parseArgs, type FlagSpec } from './args';

const SPECS: FlagSpec[] = [
  { name: 'namespace', short: 'n', value: true, placeholder: 'NS', help: 'namespace' },
  { name: 'output', value: true, placeholder: 'json|yaml', help: 'format' },
  { name: 'out', short: 'o', value: true, placeholder: 'DIR', help: 'folder' },
  { name: 'set', value: true, repeat: true, help: 'repeatable' },
  { name: 'strict', help: 'a switch' },
  { name: 'help', short: 'h', help: 'help' },
];

const parse = (argv: string[]) => {
  const a = parseArgs(argv, SPECS, 'render');
  return { flags: Object.fromEntries(a.flags), positional: a.positional };
};
const refuses = (argv: string[], message: string) =>
  assert.throws(
    () => parseArgs(argv, SPECS, 'render'),
    (e: unknown) => e instanceof UsageError && e.message === message,
    `${JSON.stringify(argv)} should fail with: ${message}`,
  );

test('args: every way people attach a value reads the same', () => {
  for (const argv of [['--namespace', 'prod'], ['--namespace=prod'], ['-n', 'prod'], ['-nprod'], ['-n=prod']]) {
    assert.deepEqual(parse(argv), { flags: { namespace: ['prod'] }, positional: [] }, JSON.stringify(argv));
  }
  assert.deepEqual(parse(['--output=yaml']), { flags: { output: ['yaml'] }, positional: [] });
  assert.deepEqual(parse(['--output', 'yaml']), { flags: { output: ['yaml'] }, positional: [] });
  assert.deepEqual(parse(['-oout/dir']), { flags: { out: ['out/dir'] }, positional: [] });
});

test('args: values, positionals, switches, repeats and the -- terminator', () => {
  assert.deepEqual(parse(['apps/web', '--strict', '--set', 'a=1', '--set=b=2', '-h', '-']), {
    flags: { strict: ['true'], set: ['a=1', 'b=2'], help: ['true'] },
    positional: ['apps/web', '-'],
  });
  assert.deepEqual(parse(['--', '-n', '--strict']), { flags: {}, positional: ['-n', '--strict'] });
  // A value may start with a dash when it is given as the next argument, as before.
  assert.deepEqual(parse(['--namespace', '-x']), { flags: { namespace: ['-x'] }, positional: [] });
  assert.deepEqual(parse(['--namespace=']), { flags: { namespace: [''] }, positional: [] });
  assert.deepEqual(parse(['--set', 'x=a=b']), { flags: { set: ['x=a=b'] }, positional: [] });
});

test('args: unknown flags name the likely one, in every form', () => {
  refuses(
    ['--namepsace', 'x'],
    'unknown flag --namepsace for "render"; did you mean --namespace? (see safe-render render --help)',
  );
  refuses(
    ['--namepsace=x'],
    'unknown flag --namepsace for "render"; did you mean --namespace? (see safe-render render --help)',
  );
  refuses(
    ['--ouptut=yaml'],
    'unknown flag --ouptut for "render"; did you mean --output? (see safe-render render --help)',
  );
  refuses(['--stirct'], 'unknown flag --stirct for "render"; did you mean --strict? (see safe-render render --help)');
  refuses(['--zzzzzzzzzz'], 'unknown flag --zzzzzzzzzz for "render" (see safe-render render --help)');
  refuses(['-x'], 'unknown flag -x for "render" (see safe-render render --help)');
  refuses(['-hx'], 'unknown flag -hx for "render" (see safe-render render --help)');
  // Names that are properties of every object are still unknown flags.
  refuses(['--constructor'], 'unknown flag --constructor for "render" (see safe-render render --help)');
  refuses(['--__proto__=1'], 'unknown flag --__proto__ for "render" (see safe-render render --help)');
});

test('args: missing values, values on switches and repeats are refused with our messages', () => {
  refuses(['--namespace'], '--namespace needs a value (NS)');
  refuses(['-n'], '-n needs a value (NS)');
  refuses(['apps/web', '--output'], '--output needs a value (json|yaml)');
  refuses(['--strict=false'], '--strict takes no value');
  refuses(['--help=1'], '--help takes no value');
  refuses(['--namespace', 'a', '-nb'], '-n given twice');
  refuses(['--output=json', '--output', 'yaml'], '--output given twice');
  refuses(['--strict', '--strict'], '--strict given twice');
});
