// The bounds on stderr (issue 9 §6) and the last-resort error line (issue 8 §8), in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedStderr, describeUnexpected, reportFindings, type Io } from './report';
import { MAX_FINDINGS_SHOWN, MAX_STDERR_BYTES } from '../render/limits';
import type { Finding } from '../checks/finding';

const finding = (rule: string, severity: 'error' | 'warning' = 'error', i = 0): Finding => ({
  rule: rule as Finding['rule'],
  severity,
  sources: [{ file: 'a.yaml', line: i + 1 }],
  message: `problem ${i}`,
  fix: 'fix it',
});

function collect(): Io & { text: string } {
  const io = { text: '', out: () => undefined, err: (s: string) => void (io.text += s) };
  return io;
}

test('findings: grouped by rule, errors first, each rule capped at 10; past the total bound the rest are counted by rule', () => {
  const io = collect();
  const findings = [
    ...Array.from({ length: 30 }, (_, i) => finding('unknown-scope', 'warning', i)),
    ...Array.from({ length: MAX_FINDINGS_SHOWN + 40 }, (_, i) => finding('invalid-object', 'error', i)),
    finding('empty-render'),
  ];
  reportFindings(io, findings, 11);
  assert.deepEqual(io.text.trimEnd().split('\n'), [
    ...Array.from({ length: 10 }, (_, i) => `error[invalid-object] (a.yaml:${i + 1}): problem ${i}`),
    `  ... and ${MAX_FINDINGS_SHOWN + 30} more error[invalid-object]`,
    '  Fix: fix it (runbook: docs/rules/invalid-object.md)',
    'error[empty-render] (a.yaml:1): problem 0',
    '  Fix: fix it (runbook: docs/rules/empty-render.md)',
    'safe-render: 30 more findings not shown: 30 warning[unknown-scope]',
  ]);
});

test('findings: all of them (a terminal, --verbose) are printed, each fix once after its group', () => {
  for (const n of [0, 1, 3, MAX_FINDINGS_SHOWN + 5]) {
    const io = collect();
    reportFindings(
      io,
      Array.from({ length: n }, (_, i) => finding('invalid-object', 'error', i)),
      MAX_FINDINGS_SHOWN,
      { all: true },
    );
    const lines = io.text === '' ? [] : io.text.trimEnd().split('\n');
    assert.equal(lines.length, n === 0 ? 0 : n + 1);
    assert.equal(lines.filter((l) => l.startsWith('  Fix: ')).length, n === 0 ? 0 : 1);
    assert.doesNotMatch(io.text, /not shown|and \d+ more/);
  }
});

test('stderr: below the bound it passes unchanged, partial writes included', () => {
  const b = new BoundedStderr();
  b.write('error[a]: one\nwarn');
  b.write('ing[b]: two\n');
  b.write('last line without newline');
  assert.equal(b.text(), 'error[a]: one\nwarning[b]: two\nlast line without newline\n');
  assert.equal(new BoundedStderr().text(), '');
});

test('stderr: a flood is cut on line boundaries to the byte bound, keeping the first and last lines and saying so', () => {
  const b = new BoundedStderr();
  for (let i = 0; i < 200_000; i++) b.write(`error[invalid-object] (a.yaml:${i}): apiVersion is missing\n`);
  b.write('safe-render: refused: 200000 errors; nothing was emitted\n');
  const text = b.text();
  assert.ok(Buffer.byteLength(text) <= MAX_STDERR_BYTES, `${Buffer.byteLength(text)} bytes`);
  assert.ok(text.endsWith('safe-render: refused: 200000 errors; nothing was emitted\n'));
  assert.ok(text.startsWith('error[invalid-object] (a.yaml:0): apiVersion is missing\n'));
  assert.match(
    text,
    /^safe-render: stderr was cut to 64 KiB: \d+ lines \(\d+ bytes\) not shown between the first and the last lines$/m,
  );
  for (const l of text.trimEnd().split('\n'))
    assert.match(l, /^(error\[invalid-object\] \(a\.yaml:\d+\): apiVersion is missing|safe-render: .*)$/);
});

test('stderr: one huge line is shortened on a character boundary and says so', () => {
  const b = new BoundedStderr();
  b.write(`error[render-failed]: ${'é'.repeat(100_000)}\nnext\n`);
  const [first, second] = b.text().split('\n');
  assert.ok(Buffer.byteLength(first!) < 8 * 1024);
  assert.match(first!, /^error\[render-failed\]: é+ \[line cut\]$/);
  assert.equal(second, 'next');
});

test('stderr (property): whatever is written, the result is within the bound, ends with a newline and keeps whole lines', () => {
  const line = fc.string({ unit: fc.constantFrom('a', 'é', '\u{1F600}', ' ', '\n'), maxLength: 20_000 });
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (chunks, repeat) => {
      const b = new BoundedStderr();
      for (let r = 0; r < repeat; r++) for (const c of chunks) b.write(c);
      const text = b.text();
      assert.ok(Buffer.byteLength(text) <= MAX_STDERR_BYTES);
      assert.ok(text === '' || text.endsWith('\n'));
      assert.doesNotMatch(text, /\uFFFD/); // never a cut inside a character
    }),
    { seed: 4242, numRuns: 60 },
  );
});

test('last resort: a folder where a file is expected is one line, no stack', () => {
  const e = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
    code: 'EISDIR',
    syscall: 'read',
    errno: -21,
  });
  const line = describeUnexpected(e);
  assert.match(
    line,
    /^error\[render-failed\]: cannot read a file: it is a folder where safe-render expects a file \(EISDIR\)\. Fix: .*\(runbook: docs\/rules\/render-failed\.md\)$/,
  );
  const withPath = Object.assign(new Error("ENOTDIR: not a directory, open '/r/.safe-render/locks/x'"), {
    code: 'ENOTDIR',
    syscall: 'open',
    path: '/r/.safe-render/locks/x',
  });
  assert.match(
    describeUnexpected(withPath),
    /^error\[render-failed\]: cannot open \/r\/\.safe-render\/locks\/x: a file stands where safe-render expects a folder \(ENOTDIR\)/,
  );
});

test('last resort: a stack overflow says the input is nested too deeply, in one line', () => {
  let overflow: unknown;
  const deep = (n: number): number => deep(n + 1) + 1;
  try {
    deep(0);
  } catch (e) {
    overflow = e;
  }
  assert.ok(overflow instanceof RangeError);
  assert.match(
    describeUnexpected(overflow),
    /^error\[render-failed\]: the input is nested too deeply for safe-render to process \(maximum call stack size exceeded\)\. Fix: /,
  );
});

test('last resort: any other error is one short line without its stack, whatever its message holds', () => {
  const e = new TypeError(`x is not a function\n    at foo (/app/dist/safe-render.cjs:1:2)\u0000${'z'.repeat(5000)}`);
  const line = describeUnexpected(e);
  assert.doesNotMatch(line, /\n/);
  assert.ok(line.length < 500);
  assert.match(
    line,
    /^error\[render-failed\]: internal error \(TypeError\): x is not a function .*set SAFE_RENDER_DEBUG=1 for details/,
  );
  assert.match(
    describeUnexpected('a thrown string'),
    /^error\[render-failed\]: internal error \(string\): a thrown string;/,
  );
  assert.match(describeUnexpected(undefined), /^error\[render-failed\]: internal error \(undefined\): undefined;/);
});

test('findings: a finding whose object or message holds line breaks is still one head line and one fix line', () => {
  const io = collect();
  reportFindings(io, [
    {
      rule: 'invalid-object',
      severity: 'error',
      object: 'Kind\nWith: newline web',
      sources: [{ file: 'a\r\nb.yaml', line: 1 }],
      message: 'bad\u2028thing',
      fix: 'fix\u0000it',
    },
  ]);
  assert.equal(
    io.text,
    'error[invalid-object] Kind With: newline web (a b.yaml:1): bad thing\n  Fix: fix it (runbook: docs/rules/invalid-object.md)\n',
  );
});
