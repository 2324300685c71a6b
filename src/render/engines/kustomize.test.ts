// In-process tables for the kustomize engine's pure parts: Argo CD's image override syntax
// `[old=]name[:tag][@digest]` as the kustomize `images:` entry it becomes, and the policy's helm command
// as kustomize's --helm-command (one executable, issue 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../util/errors';
import { kustomizeCommand, kustomizeHelmCommand, parseImageOverride } from './kustomize';

test('parseImageOverride: [old=]name[:tag][@digest] as a kustomize images entry', () => {
  const rows: Array<[string, Record<string, string>]> = [
    ['nginx', { name: 'nginx' }],
    ['nginx:1.25', { name: 'nginx', newTag: '1.25' }],
    ['nginx@sha256:abc', { name: 'nginx', digest: 'sha256:abc' }],
    ['nginx:1.25@sha256:abc', { name: 'nginx', newTag: '1.25', digest: 'sha256:abc' }],
    ['old=new', { name: 'old', newName: 'new' }],
    ['old=new:2', { name: 'old', newName: 'new', newTag: '2' }],
    ['old=new@sha256:d', { name: 'old', newName: 'new', digest: 'sha256:d' }],
    ['old=new:2@sha256:d', { name: 'old', newName: 'new', newTag: '2', digest: 'sha256:d' }],
    // The registry's port is not a tag: only a colon after the last "/" starts one.
    ['registry:5000/app', { name: 'registry:5000/app' }],
    ['registry:5000/app:v1', { name: 'registry:5000/app', newTag: 'v1' }],
    ['old=registry:5000/app', { name: 'old', newName: 'registry:5000/app' }],
    ['old=registry:5000/app:v1', { name: 'old', newName: 'registry:5000/app', newTag: 'v1' }],
    ['ghcr.io/org/app:1.0.0-rc.1', { name: 'ghcr.io/org/app', newTag: '1.0.0-rc.1' }],
    ['docker.io/library/nginx@sha256:0123', { name: 'docker.io/library/nginx', digest: 'sha256:0123' }],
    // The old name may carry a registry (and a port) of its own.
    ['reg:1/old=new:3', { name: 'reg:1/old', newName: 'new', newTag: '3' }],
    // Renaming to the same name is not a rename.
    ['same=same:1', { name: 'same', newTag: '1' }],
    // Only the first "=" separates the old name.
    ['a=b=c', { name: 'a', newName: 'b=c' }],
    // An empty tag or digest sets nothing.
    ['nginx:', { name: 'nginx' }],
    ['nginx@', { name: 'nginx' }],
    ['old=', { name: 'old', newName: '' }],
    ['x:*', { name: 'x', newTag: '*' }],
    // The digest is everything after the first "@".
    ['a@b@c', { name: 'a', digest: 'b@c' }],
    ['a:t@b:c', { name: 'a', newTag: 't', digest: 'b:c' }],
    // A colon before the last "/" is a host's port, not a tag.
    ['x:t/a', { name: 'x:t/a' }],
  ];
  for (const [s, want] of rows) assert.deepEqual(parseImageOverride(s), want, s);
});

test('parseImageOverride: the name is never empty for a name the user gave, and no key is set to undefined', () => {
  for (const s of ['a', 'a:1', 'a@d', 'o=n', 'o=n:1@d', 'h:1/p/q:2']) {
    const im = parseImageOverride(s);
    assert.ok(im.name, s);
    for (const [k, v] of Object.entries(im)) assert.equal(typeof v, 'string', `${s} ${k}`);
  }
});

test('kustomizeHelmCommand: one executable word, or a clear usage error', () => {
  const ok: Array<[string[], string]> = [
    [['helm'], 'helm'],
    [['/usr/local/bin/helm'], '/usr/local/bin/helm'],
    [['/opt/helm wrapper/helm'], '/opt/helm wrapper/helm'],
    [['./bin/helm-3.17'], './bin/helm-3.17'],
  ];
  for (const [cmd, want] of ok) assert.equal(kustomizeHelmCommand(cmd), want, JSON.stringify(cmd));
  const refused: Array<[string[], RegExp]> = [
    [[], /0 words/],
    [[''], /empty or flag-like/],
    [['-h'], /empty or flag-like/],
    [['--debug'], /empty or flag-like/],
    [['helm', '--kubeconfig=/x'], /2 words/],
    [['env', 'HELM_X=1', 'helm'], /3 words/],
  ];
  for (const [cmd, message] of refused) {
    assert.throws(
      () => kustomizeHelmCommand(cmd),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(cmd),
    );
  }
});

test('kustomizeCommand: the policy command wins when it has words', () => {
  assert.deepEqual(kustomizeCommand({ kustomizeCommand: ['/opt/kustomize', 'build'] }, process.env.PATH), [
    '/opt/kustomize',
    'build',
  ]);
  const fallback = kustomizeCommand({ kustomizeCommand: [] }, process.env.PATH);
  assert.ok(fallback.join(' ') === 'kustomize build' || fallback.join(' ') === 'kubectl kustomize', fallback.join(' '));
  assert.deepEqual(kustomizeCommand(undefined, process.env.PATH), fallback);
});
