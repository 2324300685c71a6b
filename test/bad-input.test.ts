// Bad input ends in one clear error and exit 2: never a stack trace, never a partial stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRepo, manifest, render, type RunResult } from './helpers';

const GOOD = manifest('ConfigMap', 'ok');

function assertFailedClosed(r: RunResult, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error\[render-failed\]/m);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('malformed YAML names the file and line', () => {
  const repo = makeRepo({
    'app/a.yaml': GOOD,
    'app/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a, b\n',
  });
  const r = render(repo, 'app', ['-n', 'ns']);
  assertFailedClosed(r, /app\/b\.yaml:\d+: invalid YAML/);
});

test('duplicate keys are an error, as in Kubernetes', () => {
  const repo = makeRepo({ 'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n' });
  assertFailedClosed(render(repo, 'app', ['-n', 'ns']), /app\/a\.yaml:5: invalid YAML: Map keys must be unique/);
});

test('a binary file with a manifest extension is refused', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD });
  writeFileSync(
    join(repo, 'app/blob.yaml'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]),
  );
  assertFailedClosed(render(repo, 'app', ['-n', 'ns']), /app\/blob\.yaml: file is not UTF-8 text/);
});

test('a file with NUL bytes is refused', () => {
  const repo = makeRepo({ 'app/a.yaml': `${GOOD}\0\0` });
  assertFailedClosed(render(repo, 'app', ['-n', 'ns']), /NUL bytes/);
});

test('a YAML alias bomb fails fast instead of expanding', () => {
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: bomb',
    'data:',
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`  ${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const repo = makeRepo({ 'app/bomb.yaml': `${lines.join('\n')}\n` });
  const started = Date.now();
  const r = render(repo, 'app', ['-n', 'ns']);
  assertFailedClosed(r, /app\/bomb\.yaml:\d+: cannot load YAML: .*alias/i);
  assert.ok(Date.now() - started < 20_000);
});

test('a 50 MB file is refused before it is read', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD });
  const chunk = `# ${'x'.repeat(1022)}\n`;
  writeFileSync(join(repo, 'app/huge.yaml'), chunk.repeat(50 * 1024));
  assertFailedClosed(render(repo, 'app', ['-n', 'ns']), /app\/huge\.yaml: file is 50\.0 MiB, over the 16 MiB limit/);
});

test('a symlinked file that leaves the repository is refused', () => {
  const outside = mkdtempSync(join(tmpdir(), 'safe-render-outside-'));
  writeFileSync(join(outside, 'secret.yaml'), manifest('Secret', 'stolen'));
  const repo = makeRepo({ 'app/a.yaml': GOOD });
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'app/link.yaml'));
  const r = render(repo, 'app', ['-n', 'ns']);
  assertFailedClosed(r, /app\/link\.yaml: symlink leads outside the repository/);
  assert.doesNotMatch(r.stderr, /stolen/);
});

test('a symlinked folder that leaves the repository is refused when recursing', () => {
  const outside = mkdtempSync(join(tmpdir(), 'safe-render-outside-'));
  writeFileSync(join(outside, 'x.yaml'), GOOD);
  const repo = makeRepo({ 'app/a.yaml': GOOD, 'app/safe-render.yaml': 'recurse: true\n' });
  symlinkSync(outside, join(repo, 'app/sub'));
  assertFailedClosed(render(repo, 'app', ['-n', 'ns']), /app\/sub: symlink leads outside the repository/);
});

test('a symlink inside the repository is followed', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD, 'shared/b.yaml': manifest('ConfigMap', 'shared') });
  symlinkSync('../shared/b.yaml', join(repo, 'app/b.yaml'));
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 2);
});

test('a glob that leaves the app directory is a usage error', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD, 'app/safe-render.yaml': 'include: ["../other/*.yaml"]\n' });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /glob "\.\.\/other\/\*\.yaml" leaves the app directory/);
});

test('an unknown key in safe-render.yaml is an error that names it and its line', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD, 'app/safe-render.yaml': 'recurse: false\nallowEmtpy: true\n' });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /app\/safe-render\.yaml:2: unknown key "allowEmtpy" \(did you mean "allowEmpty"\?\)/);
});

test('an ill-typed value in safe-render.yaml is an error', () => {
  const repo = makeRepo({ 'app/a.yaml': GOOD, 'app/safe-render.yaml': 'recurse: "yes please"\n' });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /safe-render\.yaml:1: recurse must be true or false/);
});

test('a file that parses but holds a list of objects fails invalid-object, not a crash', () => {
  const repo = makeRepo({ 'app/a.json': '[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}]' });
  const r = render(repo, 'app', ['-n', 'ns']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error\[invalid-object\] \(app\/a\.json:1\): the document is a list/m);
});

// Globs from safe-render.yaml are hostile input: a shape that minimatch would backtrack on for
// minutes is one clear line and exit 2, quickly (issue 8 §6, §8).
test('a glob that cannot be matched in bounded time is refused at once, not run', () => {
  for (const glob of ['*a*a*a*a*a*a*a*a*a*a*a*a*b', '+(+(+(+(a*)*)*)*)b', '{1..100000000}.yaml']) {
    const repo = makeRepo({
      'app/safe-render.yaml': `exclude: [${JSON.stringify(glob)}]\n`,
      [`app/${'a'.repeat(200)}c.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const t0 = Date.now();
    const r = render(repo, 'app', ['-n', 'ns']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^safe-render: error: glob ".*" (has more than 2 `\*` in one path segment|uses an extglob|expands to more than 64 patterns)/,
    );
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(Date.now() - t0 < 20_000);
  }
});
