// `safe-render split` next to Debian's kubernetes-split-yaml on the same multi-document input (issue
// 13): the same objects where the peer keeps them all; where it overwrites (same name and kind in two
// namespaces) or stops (a comment-only document), split keeps every object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE, canonicalJson, makeRepo, manifest, yamlDocs } from './helpers';
import {
  createdFiles,
  KUBERNETES_SPLIT_YAML,
  objectsIn,
  requireKubernetesSplitYaml,
  splitYamlArgs,
} from './kubernetes-split-yaml';

const set = (objs: readonly unknown[]) => [...new Set(objs.map(canonicalJson))].sort();

function both(files: Record<string, string>) {
  requireKubernetesSplitYaml();
  const dir = makeRepo(files);
  const peer = spawnSync(KUBERNETES_SPLIT_YAML, splitYamlArgs('all.yaml', join(dir, 'peer')), {
    cwd: dir,
    encoding: 'utf8',
  });
  const ours = spawnSync(process.execPath, [BUNDLE, 'split', 'all.yaml', '-o', 'ours'], { cwd: dir, encoding: 'utf8' });
  return {
    input: set(yamlDocs(files['all.yaml']!, 'all.yaml')),
    peer,
    peerObjects: set(objectsIn(join(dir, 'peer'))),
    ours,
    ourObjects: set(objectsIn(join(dir, 'ours'))),
  };
}

test('the same objects as kubernetes-split-yaml on an input it splits without loss', () => {
  const r = both({
    'all.yaml': [
      `# Source: chart/templates/cm.yaml\n${manifest('ConfigMap', 'settings', { namespace: 'prod', body: 'data:\n  script: |\n    echo "{{ not a template }}"\n    exit 0\n' })}`,
      manifest('Deployment', 'web', { namespace: 'prod', body: 'spec:\n  replicas: 2  # two\n' }),
      manifest('Service', 'web', { namespace: 'prod' }),
      manifest('ClusterRole', 'reader'),
      manifest('CustomResourceDefinition', 'widgets.example.com'),
    ].join('---\n'),
  });
  assert.equal(r.peer.status, 0, r.peer.stderr);
  assert.equal(r.ours.status, 0, r.ours.stderr);
  assert.equal(r.input.length, 5);
  assert.deepEqual(r.peerObjects, r.input);
  assert.deepEqual(r.ourObjects, r.peerObjects);
});

test('where kubernetes-split-yaml overwrites (no namespace in its names), split keeps both objects', () => {
  const r = both({
    'all.yaml': [
      manifest('ConfigMap', 'web', { namespace: 'a' }),
      manifest('ConfigMap', 'web', { namespace: 'b' }),
    ].join('---\n'),
  });
  assert.equal(r.peer.status, 0, r.peer.stderr);
  const created = createdFiles(r.peer.stderr);
  assert.equal(created.length, 2);
  assert.equal(new Set(created).size, 1, 'the peer wrote both objects to one file');
  assert.equal(r.peerObjects.length, 1);
  assert.equal(r.ours.status, 0, r.ours.stderr);
  assert.deepEqual(r.ourObjects, r.input);
});

test('where kubernetes-split-yaml stops at a comment-only document, split keeps every object', () => {
  const r = both({
    'all.yaml': `${manifest('ConfigMap', 'a')}---\n# only a comment\n---\n${manifest('ConfigMap', 'b')}---\n${manifest('Secret', 'c')}`,
  });
  assert.notEqual(r.peer.status, 0, 'the peer fails on a comment-only document');
  assert.ok(r.peerObjects.length < 3, r.peer.stderr);
  assert.equal(r.ours.status, 0, r.ours.stderr);
  assert.deepEqual(r.ourObjects, r.input);
  assert.equal(r.input.length, 3);
});
