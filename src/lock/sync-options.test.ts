// The annotations Argo CD reads to decide what it syncs and prunes, read exactly as gitops-engine reads
// them (pkg/sync/hook/hook.go IsHook/Skip/Types, hook/helm/hook.go, resource/annotations.go; contract §10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  annotationCSVs,
  appSwitchLevel,
  forcesRecreate,
  hasAppOption,
  hookAnnotation,
  switchLevel,
  switchLevels,
} from './sync-options';
import { weakenings } from './diff';

const withAnnotations = (a: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', annotations: a },
});

test('hooks: any argocd.argoproj.io/hook value makes a hook unless its recognised types are exactly Skip', () => {
  const hooks = [
    'PreSync',
    'Sync',
    'PostSync',
    'SyncFail',
    'PreDelete',
    'PostDelete',
    '',
    ' ',
    'presync',
    'skip',
    'SKIP',
    'Unknown',
    'Skip,PreSync',
    'PreSync,Skip',
    'Skip,Sync,Skip',
    ',,',
    'Skip\n'.replace('\n', ' x'),
  ];
  for (const v of hooks)
    assert.equal(
      hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': v })),
      'argocd.argoproj.io/hook',
      JSON.stringify(v),
    );
  // Skip alone, trimmed or repeated (gitops-engine dedupes), or next to a value it does not recognise.
  for (const v of ['Skip', ' Skip ', 'Skip,Skip', 'Skip, Skip', 'Skip,Unknown', 'Skip,presync']) {
    assert.equal(hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': v })), undefined, JSON.stringify(v));
  }
  // A value that is not a string cannot be applied anyway; counting it as a hook fails closed.
  assert.equal(hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': 1 })), 'argocd.argoproj.io/hook');
});

test('hooks: any helm.sh/hook value but exactly crd-install makes a hook, unless the Argo CD annotation decides', () => {
  for (const v of [
    'pre-install',
    'post-upgrade',
    'test',
    'test-success',
    'pre-delete',
    'post-delete',
    'pre-rollback',
    '',
    'crd-install,pre-install',
    'CRD-install',
    ' crd-install',
  ]) {
    assert.equal(hookAnnotation(withAnnotations({ 'helm.sh/hook': v })), 'helm.sh/hook', JSON.stringify(v));
  }
  assert.equal(hookAnnotation(withAnnotations({ 'helm.sh/hook': 'crd-install' })), undefined);
  // With the Argo CD key present, helm.sh/hook is not read by IsHook: Skip wins over a Helm hook...
  assert.equal(
    hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install' })),
    undefined,
  );
  // ...and an unrecognised Argo CD value with a Helm type is a hook (the Helm type fills Types).
  assert.equal(
    hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': 'nope', 'helm.sh/hook': 'pre-install' })),
    'argocd.argoproj.io/hook',
  );
  assert.equal(
    hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': 'nope', 'helm.sh/hook': 'crd-install' })),
    'argocd.argoproj.io/hook',
  );
  // argo-cd's own PreDelete/PostDelete reading (controller/hook.go isHookOfType, trimmed comma items of
  // either key) takes the object out of the sync set even where gitops-engine reads Skip (review9).
  for (const a of [
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-delete' },
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': ' post-delete ,test' },
  ]) {
    assert.equal(hookAnnotation(withAnnotations(a)), 'helm.sh/hook', JSON.stringify(a));
  }
  for (const v of ['Skip,PreDelete', 'Skip, PostDelete', 'PreDelete,Skip', 'Skip,Unknown,PreDelete']) {
    assert.equal(hookAnnotation(withAnnotations({ 'argocd.argoproj.io/hook': v })), 'argocd.argoproj.io/hook', v);
  }
  for (const a of [
    { 'argocd.argoproj.io/hook': 'Skip,predelete' },
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-delete-x' },
    { 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'crd-install' },
  ]) {
    assert.equal(hookAnnotation(withAnnotations(a)), undefined, JSON.stringify(a));
  }
  // Other annotations are not hooks.
  assert.equal(
    hookAnnotation(
      withAnnotations({
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
        'argocd.argoproj.io/sync-wave': '-1',
      }),
    ),
    undefined,
  );
  assert.equal(hookAnnotation({ kind: 'ConfigMap', metadata: { name: 'x' } }), undefined);
});

// review8: argo-cd's controller drops pre/post-delete hooks from the sync set on its own
// (controller/hook.go isPreDeleteHook/isPostDeleteHook, state.go partitionTargetObjsForSync), also when
// gitops-engine's IsHook calls the object ordinary because its recognised types are exactly Skip.
test('hooks: a Skip object that is also a pre/post-delete hook leaves the sync set, by either annotation', () => {
  const argo = 'argocd.argoproj.io/hook';
  const helm = 'helm.sh/hook';
  const cases: Array<[Record<string, string>, string]> = [
    [{ [argo]: 'Skip,PostDelete' }, argo],
    [{ [argo]: 'PreDelete, Skip' }, argo],
    [{ [argo]: 'Skip,Skip,PostDelete' }, argo],
    [{ [argo]: 'Skip', [helm]: 'post-delete' }, helm],
    [{ [argo]: 'Skip', [helm]: 'pre-install, pre-delete' }, helm],
    [{ [argo]: ' Skip ', [helm]: 'pre-delete' }, helm],
  ];
  for (const [a, key] of cases) assert.equal(hookAnnotation(withAnnotations(a)), key, JSON.stringify(a));
  // Not delete hooks: case, spelling, or a value of the other annotation's vocabulary.
  for (const a of [
    { [argo]: 'Skip,postdelete' },
    { [argo]: 'Skip,Post-Delete' },
    { [argo]: 'Skip,post-delete' },
    { [argo]: 'Skip', [helm]: 'PostDelete' },
    { [argo]: 'Skip', [helm]: 'post-delete-x' },
  ]) {
    assert.equal(hookAnnotation(withAnnotations(a)), undefined, JSON.stringify(a));
  }
});

test('sync options: comma-separated, trimmed, exact and case-sensitive, as HasAnnotationOption', () => {
  assert.deepEqual(annotationCSVs(' a , b,,a '), ['a', 'b']);
  assert.deepEqual(annotationCSVs(undefined), []);
  for (const v of ['Prune=false', ' Prune=false ', 'ServerSideApply=true,Prune=false', 'Prune=confirm,Prune=false'])
    assert.equal(switchLevel(v, 'Prune'), 2, v);
  for (const v of ['Prune=confirm', 'Replace=true, Prune=confirm']) assert.equal(switchLevel(v, 'Prune'), 1, v);
  // What a regex would take for a switch and Argo CD does not.
  for (const v of [
    'Prune=False',
    'prune=false',
    'Prune = false',
    'NoPrune=false',
    'Prune=false-ish',
    'Prune=false;Delete=false',
    'X-Prune=false',
    'Prune=Confirm',
    '',
    'Delete=false',
  ])
    assert.equal(switchLevel(v, 'Prune'), 0, v);
  assert.equal(switchLevel('Delete=false', 'Delete'), 2);
  assert.equal(switchLevel('Delete=confirm', 'Delete'), 1);
  assert.equal(switchLevel(['Prune=false'], 'Prune'), 0, 'only a string annotation counts');
  for (const v of ['Force=true', 'Replace=true,Force=true', ' Force=true ']) assert.equal(forcesRecreate(v), true, v);
  for (const v of ['Replace=true', 'Force=false', 'force=true', 'Force=True', 'Force=trueish'])
    assert.equal(forcesRecreate(v), false, v);
});

// review9: argo-cd 37ee0097 reads Prune/Delete with GetAnnotationOptionValue (the first `Prune=` item
// decides) and an Application's syncOptions with SyncOptions.GetOptionValue/HasOption (items untrimmed);
// gitops-engine before b7e2027f35 read any item equal to `Prune=false`. Both readings are kept.
test("sync options: each Argo CD reading of Prune/Delete, and of an Application's syncOptions list", () => {
  assert.deepEqual(switchLevels('Prune=false', 'Prune'), [2, 2]);
  assert.deepEqual(switchLevels('Prune=true,Prune=false', 'Prune'), [2, 0]);
  assert.deepEqual(switchLevels('Prune=confirm, Prune=false', 'Prune'), [2, 1]);
  assert.deepEqual(switchLevels(' Prune=false , Replace=true', 'Prune'), [2, 2]);
  assert.deepEqual(switchLevels('Prune=False,Prune=false', 'Prune'), [2, 0]);
  assert.equal(switchLevel('Prune=true,Prune=false', 'Prune'), 2, 'protection takes the strongest reading');
  assert.equal(appSwitchLevel(['Prune=false'], 'Prune'), 2);
  assert.equal(appSwitchLevel(['CreateNamespace=true', 'Delete=confirm'], 'Delete'), 1);
  for (const v of [
    [' Prune=false'],
    ['Prune=false '],
    ['Prune=true', 'Prune=false'],
    ['Prune=false,Replace=true'],
    'Prune=false',
    [1],
  ])
    assert.equal(appSwitchLevel(v, 'Prune'), 0, JSON.stringify(v));
  assert.equal(hasAppOption(['FailOnSharedResource=true'], 'FailOnSharedResource=true'), true);
  for (const v of [
    [' FailOnSharedResource=true'],
    ['FailOnSharedResource=true,Prune=false'],
    'FailOnSharedResource=true',
  ])
    assert.equal(hasAppOption(v, 'FailOnSharedResource=true'), false, JSON.stringify(v));
});

test('weakenings: a switch that any Argo CD reading no longer honours is seen', () => {
  const ann = (v: string) => ({ annotations: { 'argocd.argoproj.io/sync-options': v } });
  assert.deepEqual(weakenings(ann('Prune=false'), ann('Prune=true,Prune=false')), [
    'sync option Prune=false no longer counts (Argo CD reads the first Prune= item)',
  ]);
  assert.deepEqual(weakenings(ann('Prune=false'), ann('Prune=confirm,Prune=false')), [
    'sync option Prune=false weakened to Prune=confirm',
  ]);
  assert.deepEqual(weakenings(ann('Prune=confirm,Prune=false'), ann('Prune=confirm')), [
    'sync option Prune=false weakened to Prune=confirm',
  ]);
  assert.deepEqual(weakenings(ann('Delete=false'), ann('Delete=x,Delete=false')), [
    'sync option Delete=false no longer counts (Argo CD reads the first Delete= item)',
  ]);
  const app = (o: unknown[]) => ({ syncPolicy: { syncOptions: o } });
  assert.deepEqual(weakenings(app(['Prune=false']), app([' Prune=false'])), [
    'syncPolicy.syncOptions Prune=false removed',
  ]);
  assert.deepEqual(weakenings(app(['Delete=false']), app(['Delete=true', 'Delete=false'])), [
    'syncPolicy.syncOptions Delete=false removed',
  ]);
  assert.deepEqual(weakenings(app(['FailOnSharedResource=true']), app(['FailOnSharedResource=true '])), [
    'syncPolicy.syncOptions FailOnSharedResource=true removed',
  ]);
  const keep = (v: string) => ({ annotations: { 'helm.sh/resource-policy': v } });
  assert.deepEqual(weakenings(keep(' keep'), keep('')), ['helm.sh/resource-policy: keep removed']);
  // Legitimate: the same switch spelled another way Argo CD reads alike, or other options changed.
  for (const [a, b] of [
    ['Prune=false', ' Prune=false ,Replace=true'],
    ['Prune=false', 'Prune=false,Prune=false'],
    ['Prune=confirm', 'Prune=false'],
  ])
    assert.deepEqual(weakenings(ann(a!), ann(b!)), [], `${a} -> ${b}`);
  assert.deepEqual(weakenings(app(['Prune=false']), app(['CreateNamespace=true', 'Prune=false'])), []);
  assert.deepEqual(weakenings(keep('keep'), keep('keep, other')), []);
});
