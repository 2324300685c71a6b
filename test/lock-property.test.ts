// The deletion guard's central promise, over random apps: once an app is locked, no render that drops
// a locked object is ever emitted. Whatever else changes (objects added, files reshuffled, protected
// kinds or not), generate refuses (exit 1, empty stdout) and names every missing object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findingLines, makeRepo, manifest, writeFiles } from './helpers';
import { assertLocked, generate, lock, type App } from './lock-helpers';

const APP: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

interface Kind {
  apiVersion: string;
  kind: string;
  /** Lock reference prefix: `group/Kind`. */
  ref: string;
  cluster?: boolean;
}

// Ordinary and protected kinds, namespaced and cluster-scoped.
const KINDS: Kind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', ref: 'core/ConfigMap' },
  { apiVersion: 'v1', kind: 'Service', ref: 'core/Service' },
  { apiVersion: 'v1', kind: 'Secret', ref: 'core/Secret' },
  { apiVersion: 'apps/v1', kind: 'Deployment', ref: 'apps/Deployment' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ref: 'networking.k8s.io/Ingress' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', ref: 'apps/StatefulSet' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', ref: 'core/PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Namespace', ref: 'core/Namespace', cluster: true },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ref: 'argoproj.io/Application' },
  { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', ref: 'cluster.x-k8s.io/Cluster' },
];

interface Obj {
  kind: Kind;
  name: string;
  /** undefined: no metadata.namespace, so the destination namespace (prod) applies. */
  namespace?: string;
  pruneFalse: boolean;
  /** Which file of the app it is written to. */
  file: number;
}

/** The reference the lock uses for the object, after namespace defaulting. */
const refOf = (o: Obj) =>
  o.kind.cluster ? `${o.kind.ref}/${o.name}` : `${o.kind.ref}/${o.namespace ?? APP.namespace}/${o.name}`;

const objArb: fc.Arbitrary<Obj> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/),
    namespace: fc.option(fc.constantFrom('prod', 'team-a', 'team-b'), { nil: undefined }),
    pruneFalse: fc.boolean(),
    file: fc.nat(3),
  })
  .map((o) => (o.kind.cluster ? { ...o, namespace: undefined } : o));

const uniqueObjs = (min: number, max: number) =>
  fc.uniqueArray(objArb, { minLength: min, maxLength: max, selector: refOf });

/** A locked set, the index of one object surely dropped, which others are kept, and additions. */
const scenario = uniqueObjs(1, 10).chain((locked) =>
  fc.record({
    locked: fc.constant(locked),
    dropped: fc.nat(locked.length - 1),
    keep: fc.array(fc.boolean(), { minLength: locked.length, maxLength: locked.length }),
    added: uniqueObjs(0, 4).map((xs) => xs.filter((x) => !locked.some((l) => refOf(l) === refOf(x)))),
    reshuffle: fc.boolean(),
  }),
);

function yamlOf(o: Obj): string {
  const annotations = o.pruneFalse ? { 'argocd.argoproj.io/sync-options': 'Prune=false' } : undefined;
  const body = o.kind.kind === 'Secret' ? 'stringData:\n  password: not-in-the-lock\n' : undefined;
  return manifest(o.kind.kind, o.name, {
    apiVersion: o.kind.apiVersion,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(annotations ? { annotations } : {}),
    ...(body ? { body } : {}),
  });
}

function writeApp(repo: string, objs: readonly Obj[], shift: number): void {
  rmSync(join(repo, APP.path), { recursive: true, force: true });
  const files: Record<string, string> = {
    // Namespaces, other namespaces and Namespace objects are allowed, so only the lock decides.
    [`${APP.path}/safe-render.yaml`]: 'namespaces: ["*"]\nclusterScoped: [Namespace]\n',
  };
  const byFile = new Map<number, string[]>();
  for (const o of objs) {
    const f = (o.file + shift) % 4;
    byFile.set(f, [...(byFile.get(f) ?? []), yamlOf(o)]);
  }
  for (const [f, docs] of byFile) files[`${APP.path}/part-${f}.yaml`] = docs.join('---\n');
  writeFiles(repo, files);
}

test('generate never emits a render that drops a locked object (property, fixed seed)', () => {
  const repo = makeRepo({});
  let cases = 0;
  fc.assert(
    fc.property(scenario, ({ locked, dropped, keep, added, reshuffle }) => {
      rmSync(join(repo, '.safe-render'), { recursive: true, force: true });
      writeApp(repo, locked, 0);
      assertLocked(lock(repo, APP));

      const kept = locked.filter((_, i) => i !== dropped && keep[i]);
      const missing = locked.filter((o) => !kept.includes(o)).map(refOf);
      writeApp(repo, [...kept, ...added], reshuffle ? 1 : 0);
      const r = generate(repo, APP);
      assert.notEqual(r.code, 0, `a render missing ${missing.join(', ')} was emitted:\n${r.stdout}`);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      const named = findingLines(r.stderr, 'unacknowledged-deletion').map((l) => l.split(' ')[1]!.replace(/:$/, ''));
      assert.deepEqual(named.sort(), [...missing].sort(), r.stderr);
      assert.ok(!r.stderr.includes('not-in-the-lock'), 'no Secret value on stderr');
      cases++;
    }),
    { numRuns: 30, seed: 0x5afe, endOnFailure: true },
  );
  assert.equal(cases, 30);
});
