// The attached flag forms people type (issue 10, Habits) reach the commands as the spaced ones do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, manifest, render } from './helpers';

test('render: -nprod and --output=yaml print what --namespace prod --output yaml prints', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  const spaced = render(repo, 'apps/web', ['--namespace', 'prod', '--output', 'yaml']);
  assert.equal(spaced.code, 0, spaced.stderr);
  assert.match(spaced.stdout, /^apiVersion: v1\n/m);
  for (const flags of [
    ['-nprod', '--output=yaml'],
    ['-n=prod', '--output=yaml'],
    ['--namespace=prod', '--output', 'yaml'],
  ]) {
    const r = render(repo, 'apps/web', flags);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, spaced.stdout, flags.join(' '));
  }
});

test('render: an attached value is still checked, and a mistyped attached flag says what was meant', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  const bad = render(repo, 'apps/web', ['-nprod', '--output=xml']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /--output must be json or yaml/);
  const typo = render(repo, 'apps/web', ['--ouptut=yaml']);
  assert.equal(typo.code, 2);
  assert.equal(typo.stdout, '');
  assert.match(
    typo.stderr,
    /^safe-render: error: unknown flag --ouptut for "render"; did you mean --output\? \(see safe-render render --help\)$/m,
  );
  const twice = render(repo, 'apps/web', ['-nprod', '--namespace=dev']);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /--namespace given twice/);
});
