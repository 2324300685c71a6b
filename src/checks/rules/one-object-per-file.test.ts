// one-object-per-file (issue 13): off by default; `oneObjectPerFile: warning|error` in safe-render.yaml
// or the platform policy turns it on. It points at the file (and the line of its second object) and
// suggests `safe-render migrate`; after migrate the app passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, render, runCli } from '../../../test/helpers';

const NS = ['--namespace', 'prod'];
const TWO = `${manifest('ConfigMap', 'a')}---\n${manifest('ConfigMap', 'b')}`;

test('one-object-per-file: off by default, a multi-object file renders without a finding', () => {
  const repo = makeRepo({ 'apps/web/all.yaml': TWO });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'one-object-per-file', 'warning'), []);
});

test('one-object-per-file: `warning` reports the file and the line of its second object, exit 0', () => {
  const repo = makeRepo({
    'apps/web/all.yaml': TWO,
    'apps/web/one.yaml': manifest('ConfigMap', 'c'),
    'apps/web/safe-render.yaml': 'oneObjectPerFile: warning\n',
  });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findingLines(r.stderr, 'one-object-per-file', 'warning'), [
    "warning[one-object-per-file] (apps/web/all.yaml:6): the file holds 2 objects; with one object per file a name collision shows up in review as two edits to one file, not as a second copy further down. Fix: run `safe-render migrate apps/web` and commit the result (it keeps each document's text and updates kustomization resources) (runbook: docs/rules/one-object-per-file.md)",
  ]);
});

test('one-object-per-file: `error` refuses; after `safe-render migrate` the same app passes', () => {
  const repo = makeRepo({ 'apps/web/all.yaml': TWO, 'apps/web/safe-render.yaml': 'oneObjectPerFile: error\n' });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(findingLines(r.stderr, 'one-object-per-file').length, 1, r.stderr);
  const m = runCli(['migrate', 'apps/web'], { cwd: repo });
  assert.equal(m.code, 0, m.stderr);
  const after = render(repo, 'apps/web', NS);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(findingLines(after.stderr, 'one-object-per-file'), []);
});

test('one-object-per-file: the platform policy turns it on, and an app cannot turn it down', () => {
  const repo = makeRepo({ 'apps/web/all.yaml': TWO, 'apps/web/safe-render.yaml': 'oneObjectPerFile: warning\n' });
  const policy = join(repo, 'policy.yaml');
  writeFileSync(policy, 'default:\n  oneObjectPerFile: error\n');
  const r = render(repo, 'apps/web', [...NS, '--policy', policy]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(findingLines(r.stderr, 'one-object-per-file').length, 1, r.stderr);
});

test('one-object-per-file: kustomize resources files count, patches do not; one object per file passes', () => {
  const repo = makeRepo({
    'k/kustomization.yaml': 'resources:\n  - bundle.yaml\n  - base\npatches:\n  - path: patch.yaml\n',
    'k/bundle.yaml': TWO,
    'k/patch.yaml': `${manifest('ConfigMap', 'a', { body: 'data: {x: "1"}' })}---\n${manifest('ConfigMap', 'b', { body: 'data: {y: "2"}' })}`,
    'k/base/kustomization.yaml': 'resources: [more.yaml]\n',
    'k/base/more.yaml': `${manifest('ConfigMap', 'm1')}---\n${manifest('ConfigMap', 'm2')}`,
    'k/safe-render.yaml': 'oneObjectPerFile: error\n',
  });
  const r = render(repo, 'k', NS);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    findingLines(r.stderr, 'one-object-per-file').map((l) => /\((\S+)\)/.exec(l)?.[1]),
    ['k/base/more.yaml:6', 'k/bundle.yaml:6'],
  );
  const m = runCli(['migrate', 'k'], { cwd: repo });
  assert.equal(m.code, 0, m.stderr);
  const after = render(repo, 'k', NS);
  assert.equal(after.code, 0, after.stderr);
});

test('one-object-per-file: a bad value in safe-render.yaml is a config error (exit 2)', () => {
  const repo = makeRepo({ 'apps/web/all.yaml': TWO, 'apps/web/safe-render.yaml': 'oneObjectPerFile: fatal\n' });
  const r = render(repo, 'apps/web', NS);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /oneObjectPerFile must be one of warning, error, not "fatal"/);
});
