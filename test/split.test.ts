// One object per file (-o DIR): injective paths, refuse case clashes, never clobber foreign folders,
// and a tree that `kubectl kustomize` reads back to the same objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';
import { canonicalJson, makeRepo, manifest, parseJsonStream, render, TOOLS_BIN } from './helpers';

function sortedJson(objs: unknown[]): string[] {
  return objs.map(canonicalJson).sort();
}

function kubectlKustomize(dir: string): unknown[] {
  const kubectl = join(TOOLS_BIN, 'kubectl');
  assert.ok(existsSync(kubectl), `${kubectl} is missing: run \`npm run tools\``);
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout, K8S_YAML)
    .map((d) => d.toJS(K8S_TO_JS))
    .filter((v) => v != null);
}

const APP = {
  'app/safe-render.yaml': 'clusterScoped: [ClusterRole]\nnamespaces: [other]\n',
  'app/a.yaml': [
    manifest('ClusterRole', 'system:aggregate-to-view'),
    manifest('ConfigMap', 'settings', {
      body: 'data:\n  on: "yes"\n  mode: "0644"\n  text: |\n    line one\n    line two\n',
    }),
    manifest('ConfigMap', 'settings', { namespace: 'other' }),
    manifest('Deployment', 'web', { body: 'spec:\n  replicas: 2\n' }),
    manifest('Service', 'web'),
  ].join('---\n'),
};

test('-o DIR writes one file per object at paths derived from the identity', () => {
  const repo = makeRepo(APP);
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const out = join(repo, 'out');
  assert.deepEqual(readdirSync(out).sort(), ['.safe-render-output', '_cluster', 'kustomization.yaml', 'other', 'prod']);
  assert.deepEqual(readdirSync(join(out, '_cluster')), [
    'ClusterRole.rbac.authorization.k8s.io_system%3Aaggregate-to-view.yaml',
  ]);
  assert.deepEqual(readdirSync(join(out, 'prod')).sort(), [
    'ConfigMap_settings.yaml',
    'Deployment.apps_web.yaml',
    'Service_web.yaml',
  ]);
  assert.deepEqual(readdirSync(join(out, 'other')), ['ConfigMap_settings.yaml']);
  assert.match(r.stderr, /5 objects from 1 files/);
});

test('kubectl kustomize reads the written folder back to the same objects as the stream', () => {
  const repo = makeRepo(APP);
  const stream = render(repo, 'app', ['-n', 'prod']);
  assert.equal(stream.code, 0, stream.stderr);
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  assert.deepEqual(sortedJson(kubectlKustomize(join(repo, 'out'))), sortedJson(parseJsonStream(stream.stdout)));
});

test('two identities whose paths differ only in case are refused, not overwritten', () => {
  // A ConfigMap cannot be named `Web` (Kubernetes requires a DNS-1123 subdomain: invalid-object); RBAC
  // names only need to be path segments, so two Roles can differ only in case.
  const repo = makeRepo({ 'app/a.yaml': [manifest('Role', 'Web'), manifest('Role', 'web')].join('---\n') });
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /error\[render-failed\].*differ only in case \(prod\/Role\.rbac\.authorization\.k8s\.io_Web\.yaml at app\/a\.yaml:1 and prod\/Role\.rbac\.authorization\.k8s\.io_web\.yaml at app\/a\.yaml:\d+\)/,
  );
  assert.equal(existsSync(join(repo, 'out')), false);
});

test('a folder that safe-render did not write is never replaced', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'x'), 'precious/notes.md': 'keep me' });
  const r = render(repo, 'app', ['-n', 'prod', '-o', 'precious']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /precious is not empty and was not written by safe-render/);
  assert.equal(readFileSync(join(repo, 'precious/notes.md'), 'utf8'), 'keep me');
});

test('rendering again replaces the whole folder: objects that left the render leave the folder', () => {
  const repo = makeRepo({ 'app/a.yaml': [manifest('ConfigMap', 'a'), manifest('ConfigMap', 'b')].join('---\n') });
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  writeFileSync(join(repo, 'app/a.yaml'), manifest('ConfigMap', 'a'));
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  assert.deepEqual(readdirSync(join(repo, 'out/prod')), ['ConfigMap_a.yaml']);
  assert.deepEqual(
    readdirSync(repo).filter((n) => n.includes('safe-render-')),
    [],
    'no temporary folders left behind',
  );
});

test('a refused render leaves the previous output untouched', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'a') });
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 0);
  writeFileSync(join(repo, 'app/a.yaml'), manifest('ConfigMap', 'a', { namespace: 'elsewhere' }));
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'out']).code, 1);
  assert.deepEqual(readdirSync(join(repo, 'out/prod')), ['ConfigMap_a.yaml']);
});

test('an empty existing folder may be used', () => {
  const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'a') });
  mkdirSync(join(repo, 'empty'));
  assert.equal(render(repo, 'app', ['-n', 'prod', '-o', 'empty']).code, 0);
  assert.ok(existsSync(join(repo, 'empty/prod/ConfigMap_a.yaml')));
});

// review9 (issue 9 §2): names over 255 bytes are shortened with a hash, and every character a name
// may hold outside letters, digits, ".", "_" and "-" is escaped with "%": the kustomization.yaml beside
// must list exactly those files, and kubectl kustomize must read them back to the stream's objects.
test('kubectl kustomize reads back the same objects for shortened and escaped names (longest group, kind and name)', () => {
  const longGroup =
    Array.from({ length: 26 }, (_, i) => `abcdefgh${i % 10}`)
      .join('.')
      .slice(0, 252) + 'x';
  const kind = `K${'x'.repeat(62)}`;
  const names = [
    `n${'a'.repeat(251)}z`,
    'a:b@c#d?e&f=g+h~i!j$k*l(m)n\'o[p]q{r}s,t;u<v>w|x`y^z"1',
    'é-ü.ß_世界',
    '~x',
    '..a',
    'a..',
    `${'x'.repeat(200)}${'#'.repeat(53)}`,
    `${'x'.repeat(85)}${'世'.repeat(80)}`,
  ];
  for (const group of [longGroup, 'ex.com']) {
    assert.equal(longGroup.length, 253);
    const docs = names
      .map(
        (n, i) =>
          `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata:\n  name: ${JSON.stringify(n)}\n  namespace: ns${i}\nspec: {i: ${i}}\n`,
      )
      .join('---\n');
    const repo = makeRepo({
      'app/a.yaml': docs,
      'app/safe-render.yaml': `namespaces: [${names.map((_, i) => `ns${i}`).join(', ')}]\n`,
    });
    const stream = render(repo, 'app', ['-n', 'prod']);
    assert.equal(stream.code, 0, stream.stderr);
    const r = render(repo, 'app', ['-n', 'prod', '-o', 'out']);
    assert.equal(r.code, 0, r.stderr);
    const out = join(repo, 'out');
    const listed = [...readFileSync(join(out, 'kustomization.yaml'), 'utf8').matchAll(/^- (".*")$/gm)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    const written = readdirSync(out)
      .filter((d) => d.startsWith('ns'))
      .flatMap((d) => readdirSync(join(out, d)).map((f) => `${d}/${f}`));
    assert.deepEqual(listed.sort(), written.sort());
    assert.equal(listed.length, names.length);
    for (const f of written) assert.ok(Buffer.byteLength(f.split('/')[1]!) <= 255, f);
    assert.deepEqual(sortedJson(kubectlKustomize(out)), sortedJson(parseJsonStream(stream.stdout)));
  }
});
