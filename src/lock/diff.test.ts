// diffLock, in-process: the one comparison the sidecar rules and `safe-render lock` both read, as a
// table of lock/render pairs and the changes they give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDestinationChange, diffLock, weakenings, type LockChange } from './diff';
import type { LockFile, ObjectState } from './lock-file';

const SO = 'argocd.argoproj.io/sync-options';
const lockOf = (objects: Record<string, ObjectState>, over: Partial<LockFile> = {}): LockFile => ({
  app: 'web',
  source: { repoURL: 'https://git.example.com/shop.git', path: 'apps/web' },
  empty: false,
  objects: new Map(Object.entries(objects)),
  accepted: [],
  ...over,
});
const R = 'core/ConfigMap/prod/a';

test('diffLock: a table of lock -> render pairs and the changes they give', () => {
  const rows: Array<[string, LockFile, LockFile, LockChange[]]> = [
    ['identical', lockOf({ [R]: {} }), lockOf({ [R]: {} }), []],
    ['deleted', lockOf({ [R]: {} }), lockOf({}), [{ kind: 'deleted', ref: R }]],
    [
      'deleted, protected',
      lockOf({ [R]: { protected: 'p' } }),
      lockOf({}),
      [{ kind: 'deleted', ref: R, protected: 'p' }],
    ],
    ['added', lockOf({}), lockOf({ [R]: {} }), [{ kind: 'added', ref: R }]],
    [
      'repo URL spelled differently is the same repo',
      lockOf({}),
      lockOf({}, { source: { repoURL: 'https://GIT.example.com/shop/', path: './apps/web/' } }),
      [],
    ],
    [
      'repo URL drift',
      lockOf({}),
      lockOf({}, { source: { repoURL: 'https://git.example.com/other.git', path: 'apps/web' } }),
      [
        {
          kind: 'source-drift',
          field: 'repoURL',
          was: 'https://git.example.com/shop.git',
          now: 'https://git.example.com/other.git',
        },
      ],
    ],
    [
      'an empty repo URL on either side is not compared',
      lockOf({}, { source: { repoURL: '', path: 'apps/web' } }),
      lockOf({}),
      [],
    ],
    [
      'path drift',
      lockOf({}),
      lockOf({}, { source: { repoURL: 'https://git.example.com/shop.git', path: 'apps/web2' } }),
      [{ kind: 'source-drift', field: 'path', was: 'apps/web', now: 'apps/web2' }],
    ],
    [
      '"." and "" are the same path',
      lockOf({}, { source: { repoURL: 'u', path: '.' } }),
      lockOf({}, { source: { repoURL: 'u', path: '' } }),
      [],
    ],
    [
      'a hook removed deletes nothing',
      lockOf({ [R]: { hook: 'helm.sh/hook' } }),
      lockOf({}),
      [{ kind: 'state-change', ref: R }],
    ],
    [
      'a hook made ordinary deletes nothing',
      lockOf({ [R]: { hook: 'helm.sh/hook' } }),
      lockOf({ [R]: {} }),
      [{ kind: 'state-change', ref: R }],
    ],
    ['a hook unchanged', lockOf({ [R]: { hook: 'helm.sh/hook' } }), lockOf({ [R]: { hook: 'helm.sh/hook' } }), []],
    [
      'an object made a hook leaves the sync set',
      lockOf({ [R]: {} }),
      lockOf({ [R]: { hook: 'argocd.argoproj.io/hook' } }),
      [{ kind: 'deleted', ref: R, hook: 'argocd.argoproj.io/hook' }],
    ],
    [
      'protection is read from the lock, not the render that makes it a hook',
      lockOf({ [R]: { protected: 'p' } }),
      lockOf({ [R]: { hook: 'h', annotations: { [SO]: 'Prune=false' } } }),
      [{ kind: 'deleted', ref: R, protected: 'p', hook: 'h' }],
    ],
    [
      'format 1: an unprotected object now a hook may have been one already',
      lockOf({ [R]: {} }, { format: 1 }),
      lockOf({ [R]: { hook: 'h' } }),
      [{ kind: 'state-change', ref: R }],
    ],
    [
      'format 1: a protected one is still a deletion',
      lockOf({ [R]: { protected: 'p' } }, { format: 1 }),
      lockOf({ [R]: { hook: 'h' } }),
      [{ kind: 'deleted', ref: R, protected: 'p', hook: 'h' }],
    ],
    [
      'destination change',
      lockOf({ [R]: { destination: { namespace: 'a' } } }),
      lockOf({ [R]: { destination: { namespace: 'b' } } }),
      [{ kind: 'destination-change', ref: R, field: 'destination', was: { namespace: 'a' }, now: { namespace: 'b' } }],
    ],
    [
      'key order is not a change',
      lockOf({ [R]: { destination: { a: 1, b: 2 } } }),
      lockOf({ [R]: { destination: { b: 2, a: 1 } } }),
      [],
    ],
    [
      'finalizers added',
      lockOf({ [R]: {} }),
      lockOf({ [R]: { finalizers: ['f'] } }),
      [
        {
          kind: 'finalizer-change',
          ref: R,
          was: { finalizers: [], preserveResourcesOnDeletion: undefined },
          now: { finalizers: ['f'], preserveResourcesOnDeletion: undefined },
        },
      ],
    ],
    [
      'preserveResourcesOnDeletion turned off',
      lockOf({ [R]: { preserveResourcesOnDeletion: true } }),
      lockOf({ [R]: {} }),
      [
        {
          kind: 'finalizer-change',
          ref: R,
          was: { finalizers: [], preserveResourcesOnDeletion: true },
          now: { finalizers: [], preserveResourcesOnDeletion: undefined },
        },
      ],
    ],
    [
      'Prune=false removed, on a protected object: the weakening explains it',
      lockOf({ [R]: { protected: 'p', annotations: { [SO]: 'Prune=false' } } }),
      lockOf({ [R]: {} }),
      [{ kind: 'safety-weakened', ref: R, what: 'sync option Prune=false removed' }],
    ],
    [
      'protection removed alone',
      lockOf({ [R]: { protected: 'p' } }),
      lockOf({ [R]: {} }),
      [{ kind: 'protection-removed', ref: R, was: 'p' }],
    ],
    [
      'protection changed wording only',
      lockOf({ [R]: { protected: 'p' } }),
      lockOf({ [R]: { protected: 'q' } }),
      [{ kind: 'state-change', ref: R }],
    ],
    [
      'an annotation that takes nothing away',
      lockOf({ [R]: {} }),
      lockOf({ [R]: { annotations: { [SO]: 'Prune=false' } } }),
      [{ kind: 'state-change', ref: R }],
    ],
  ];
  for (const [name, lock, current, want] of rows) assert.deepEqual(diffLock(lock, current), want, name);
});

test('diffLock: a source change lists what changed field by field', () => {
  const was = { repoURL: 'https://g/r.git', path: 'a', targetRevision: 'main' };
  const [c] = diffLock(
    lockOf({ [R]: { source: was } }),
    lockOf({ [R]: { source: { ...was, targetRevision: 'dev' } } }),
  );
  assert.equal(c?.kind, 'destination-change');
  assert.ok(
    c?.kind === 'destination-change' && c.field === 'source' && c.details?.some((d) => /targetRevision/.test(d)),
    JSON.stringify(c),
  );
  const [p] = diffLock(lockOf({ [R]: { templatePatch: 'a' } }), lockOf({ [R]: { templatePatch: 'b' } }));
  assert.ok(p?.kind === 'destination-change' && p.details?.includes('templatePatch changed'), JSON.stringify(p));
  const [q] = diffLock(lockOf({ [R]: {} }), lockOf({ [R]: { templatePatch: 'b' } }));
  assert.ok(q?.kind === 'destination-change' && q.details?.includes('templatePatch added'), JSON.stringify(q));
  // Format 1 did not record templatePatch: not compared.
  assert.deepEqual(diffLock(lockOf({ [R]: {} }, { format: 1 }), lockOf({ [R]: { templatePatch: 'b' } })), [
    { kind: 'state-change', ref: R },
  ]);
});

test('weakenings: each switch taken away, and switches that delete', () => {
  const so = (v: string): ObjectState => ({ annotations: { [SO]: v } });
  const rows: Array<[ObjectState, ObjectState, string[]]> = [
    [{}, {}, []],
    [so('Prune=false'), {}, ['sync option Prune=false removed']],
    [so('Prune=false'), so('Prune=confirm'), ['sync option Prune=false weakened to Prune=confirm']],
    [so('Prune=confirm'), so('Prune=false'), []],
    [so('Delete=false'), so('Delete=confirm'), ['sync option Delete=false weakened to Delete=confirm']],
    [so('Prune=false,Delete=false'), so('Delete=false'), ['sync option Prune=false removed']],
    [so('Prune=false'), so('Prune=False'), ['sync option Prune=false removed']], // Argo CD matches exactly
    [so('Prune=false'), so(' Prune=false '), []], // items are trimmed
    [
      {},
      so('Force=true'),
      ['sync option Force=true added: Argo CD deletes and re-creates the object when it applies it'],
    ],
    [so('Force=true'), so('Force=true'), []],
    [{}, so('Replace=true'), []],
    [{ annotations: { 'helm.sh/resource-policy': 'keep' } }, {}, ['helm.sh/resource-policy: keep removed']],
    [
      { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'enabled' } },
      ['kustomize.toolkit.fluxcd.io/prune: disabled removed'],
    ],
    [{}, { syncPolicy: { automated: { prune: true } } }, ['automated.prune turned on']],
    [{}, { syncPolicy: { automated: { prune: 'true' } } }, []],
    [{}, { syncPolicy: { automated: { allowEmpty: true } } }, ['automated.allowEmpty turned on']],
    [
      { syncPolicy: { syncOptions: ['Prune=false'] } },
      { syncPolicy: {} },
      ['syncPolicy.syncOptions Prune=false removed'],
    ],
    [
      { syncPolicy: { syncOptions: ['Delete=false'] } },
      { syncPolicy: { syncOptions: ['Delete=confirm'] } },
      ['syncPolicy.syncOptions Delete=false weakened to Delete=confirm'],
    ],
    [
      { syncPolicy: { syncOptions: ['FailOnSharedResource=true'] } },
      { syncPolicy: { syncOptions: [] } },
      ['syncPolicy.syncOptions FailOnSharedResource=true removed'],
    ],
    [{ syncPolicy: { syncOptions: 'Prune=false' } }, { syncPolicy: {} }, []], // not a list: Argo CD reads no options
  ];
  for (const [was, now, want] of rows) assert.deepEqual(weakenings(was, now), want, JSON.stringify([was, now]));
});

test('describeDestinationChange: whole values while short, details after', () => {
  assert.equal(
    describeDestinationChange({
      kind: 'destination-change',
      ref: R,
      field: 'destination',
      was: { namespace: 'a' },
      now: null,
    }),
    'destination changed from {"namespace":"a"} to null',
  );
  assert.equal(
    describeDestinationChange({ kind: 'destination-change', ref: R, field: 'source', was: 'x'.repeat(400), now: 'y' }),
    'source changed',
  );
  assert.equal(
    describeDestinationChange({
      kind: 'destination-change',
      ref: R,
      field: 'source',
      was: 1,
      now: 2,
      details: ['a', 'b'],
    }),
    'source changed from 1 to 2 (a; b)',
  );
});

const AS = 'argoproj.io/ApplicationSet/argocd/shop';

test('diffLock: what an ApplicationSet generates is compared name by name (issue 11)', () => {
  const gen = (generates?: string[], applicationsSync?: string): ObjectState => ({
    preserveResourcesOnDeletion: false,
    ...(generates ? { generates } : {}),
    ...(applicationsSync ? { applicationsSync } : {}),
  });
  const rows: Array<[string, ObjectState, ObjectState, LockChange[]]> = [
    ['same names', gen(['argocd/a', 'argocd/b']), gen(['argocd/a', 'argocd/b']), []],
    [
      'a name removed',
      gen(['argocd/a', 'argocd/b']),
      gen(['argocd/a']),
      [{ kind: 'generated-removed', ref: AS, name: 'argocd/b' }],
    ],
    [
      'a rename is a removal and an addition',
      gen(['argocd/web-app']),
      gen(['argocd/web-svc']),
      [
        { kind: 'generated-removed', ref: AS, name: 'argocd/web-app' },
        { kind: 'generated-added', ref: AS, name: 'argocd/web-svc' },
      ],
    ],
    [
      'removed under create-update: kept',
      gen(['argocd/a', 'argocd/b'], 'create-update'),
      gen(['argocd/a'], 'create-update'),
      [{ kind: 'generated-removed', ref: AS, name: 'argocd/b', kept: 'create-update' }],
    ],
    [
      'the policy the render has now decides (switched to sync: deletes)',
      gen(['argocd/a', 'argocd/b'], 'create-update'),
      gen(['argocd/a']),
      [{ kind: 'generated-removed', ref: AS, name: 'argocd/b' }],
    ],
    [
      'a lock that records nothing: every name is an addition',
      gen(),
      gen(['argocd/a']),
      [{ kind: 'generated-added', ref: AS, name: 'argocd/a' }],
    ],
    [
      'a lock that records nothing, nothing generated now: first record',
      gen(),
      gen([]),
      [{ kind: 'state-change', ref: AS }],
    ],
    [
      'nothing known now (a generator needs the cluster): stale, not a removal',
      gen(['argocd/a']),
      gen(),
      [{ kind: 'state-change', ref: AS }],
    ],
    [
      'only the policy changed',
      gen(['argocd/a']),
      gen(['argocd/a'], 'create-only'),
      [{ kind: 'state-change', ref: AS }],
    ],
    [
      'another field changed too: reported once as state',
      { ...gen(['argocd/a']), preserveResourcesOnDeletion: true },
      gen(['argocd/a']),
      [
        {
          kind: 'finalizer-change',
          ref: AS,
          was: { finalizers: [], preserveResourcesOnDeletion: true },
          now: { finalizers: [], preserveResourcesOnDeletion: false },
        },
      ],
    ],
  ];
  for (const [name, was, now, want] of rows)
    assert.deepEqual(diffLock(lockOf({ [AS]: was }), lockOf({ [AS]: now })), want, name);
});

test('diffLock: an ApplicationSet deleted is one deletion (protected-deletion asks for it); between locks a dropped record drops every name', () => {
  const was: ObjectState = { generates: ['argocd/a', 'argocd/b'], applicationsSync: 'create-update' };
  assert.deepEqual(diffLock(lockOf({ [AS]: was }), lockOf({})), [{ kind: 'deleted', ref: AS }]);
  const plain: ObjectState = { generates: ['argocd/a'] };
  assert.deepEqual(diffLock(lockOf({ [AS]: plain }), lockOf({ [AS]: {} })), [{ kind: 'state-change', ref: AS }]);
  assert.deepEqual(diffLock(lockOf({ [AS]: plain }), lockOf({ [AS]: {} }), { unrecordedRemoves: true }), [
    { kind: 'generated-removed', ref: AS, name: 'argocd/a' },
  ]);
  assert.deepEqual(diffLock(lockOf({ [AS]: was }), lockOf({ [AS]: {} }), { unrecordedRemoves: true }), [
    { kind: 'generated-removed', ref: AS, name: 'argocd/a', kept: 'create-update' },
    { kind: 'generated-removed', ref: AS, name: 'argocd/b', kept: 'create-update' },
  ]);
});
