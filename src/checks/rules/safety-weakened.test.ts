import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, manifest, writeFiles } from '../../../test/helpers';
import {
  application,
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  readLock,
  type App,
} from '../../../test/lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

function lockedWith(annotations: Record<string, string>): string {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(4),
    'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations }),
  });
  assertLocked(lock(repo, WEB));
  return repo;
}

test('dropping a Prune=false sync option is refused, naming the switch and the --accept', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  const lines = assertRefused(generate(repo, WEB), 'safety-weakened');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^error\[safety-weakened\] core\/ConfigMap\/prod\/data: sync option Prune=false removed \(lock: \.safe-render\/locks\/web\.lock\)\. Fix: if unintended, put the switch back; if intended, run `safe-render lock apps\/web .*--accept safety-weakened:core\/ConfigMap\/prod\/data`/,
  );
});

test('lock refuses to drop the switch without --accept safety-weakened:REF; with it, generate passes', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  const before = readLock(repo, 'web');
  assert.match(
    assertRefused(lock(repo, WEB), 'safety-weakened')[0]!,
    /sync option Prune=false removed; the lock was not written/,
  );
  assert.equal(readLock(repo, 'web'), before);
  assertLocked(lock(repo, WEB, ['--accept', 'safety-weakened:core/ConfigMap/prod/data']));
  const text = readLock(repo, 'web');
  assert.match(text, /^object core\/ConfigMap\/prod\/data$/m, 'the object is no longer recorded as protected');
  assert.match(text, /^accepted safety-weakened:core\/ConfigMap\/prod\/data$/m);
  assertClean(generate(repo, WEB));
});

test('Delete=false, helm resource-policy keep and Flux prune disabled are switches too', () => {
  for (const [annotations, what] of [
    [{ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Delete=false' }, /sync option Delete=false removed/],
    [{ 'helm.sh/resource-policy': 'keep' }, /helm\.sh\/resource-policy: keep removed/],
    [{ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }, /kustomize\.toolkit\.fluxcd\.io\/prune: disabled removed/],
  ] as const) {
    const repo = lockedWith(annotations);
    writeFiles(repo, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
    assert.match(assertRefused(generate(repo, WEB), 'safety-weakened')[0]!, what);
  }
});

test('changing other sync options while keeping Prune=false is not a weakening', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=false' },
    }),
  });
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /error\[/);
});

test('a child Application turning on automated prune or allowEmpty is refused', () => {
  const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const repo = makeRepo({
    'apps/root/web.yaml': application('web', { path: 'apps/web', syncPolicy: 'automated:\n  selfHeal: true\n' }),
    'apps/root/api.yaml': application('api', { path: 'apps/api' }),
  });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, {
    'apps/root/web.yaml': application('web', {
      path: 'apps/web',
      syncPolicy: 'automated:\n  selfHeal: true\n  prune: true\n  allowEmpty: true\n',
    }),
  });
  const lines = assertRefused(generate(repo, ROOT), 'safety-weakened');
  assert.deepEqual(
    lines.map((l) => /: (automated\.\w+ turned on)/.exec(l)?.[1]),
    ['automated.prune turned on', 'automated.allowEmpty turned on'],
  );
  assertLocked(lock(repo, ROOT, ['--accept', 'safety-weakened:argoproj.io/Application/argocd/web']));
  assertClean(generate(repo, ROOT));
});

test('dropping protectedKinds from safe-render.yaml cannot strip the protection the lock records without acceptance', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(4),
    'apps/web/safe-render.yaml': 'protectedKinds: [ConfigMap]\n',
  });
  assertLocked(lock(repo, WEB));
  assert.match(
    readLock(repo, 'web'),
    /^object core\/ConfigMap\/prod\/cm-1 \{"protected":"ConfigMap is listed in protectedKinds"\}$/m,
  );
  writeFiles(repo, { 'apps/web/safe-render.yaml': '{}\n' });
  // In the sidecar this takes nothing away (the lock still protects them): out of date, not refused.
  const stale = generate(repo, WEB);
  assert.equal(stale.code, 0, stale.stderr);
  assert.match(stale.stderr, /^warning\[lock-stale\] app web: .*4 with changed recorded state/m);
  const lines = assertRefused(lock(repo, WEB), 'safety-weakened');
  assert.equal(lines.length, 4);
  assert.match(
    lines[0]!,
    /core\/ConfigMap\/prod\/cm-1: protection removed \(was: ConfigMap is listed in protectedKinds\); the lock was not written/,
  );
  // Otherwise the next commit could delete them with no protected-deletion acceptance.
  assert.match(readLock(repo, 'web'), /"protected":"ConfigMap is listed in protectedKinds"/);
  const accepts = [1, 2, 3, 4].flatMap((i) => ['--accept', `safety-weakened:core/ConfigMap/prod/cm-${i}`]);
  assertLocked(lock(repo, WEB, accepts));
  assert.doesNotMatch(readLock(repo, 'web'), /"protected"/);
  assertClean(generate(repo, WEB));
});

// Issue 8 §5 / issue 9 §5: sync options read as Argo CD reads them (exact comma-separated items), and
// the ones that delete: Force=true makes apply and replace delete and re-create (contract §10).
test('Force=true added to a locked object is refused, protected or not; accepted, it passes', () => {
  for (const [file, doc, ref] of [
    [
      'data.yaml',
      (a?: Record<string, string>) => manifest('ConfigMap', 'data', { annotations: a }),
      'core/ConfigMap/prod/data',
    ],
    [
      'db.yaml',
      (a?: Record<string, string>) => manifest('StatefulSet', 'db', { annotations: a }),
      'apps/StatefulSet/prod/db',
    ],
    [
      'claim.yaml',
      (a?: Record<string, string>) =>
        manifest('PersistentVolumeClaim', 'claim', {
          annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', ...a },
        }),
      'core/PersistentVolumeClaim/prod/claim',
    ],
  ] as const) {
    for (const force of ['Force=true', 'Replace=true,Force=true', ' Force=true , ServerSideApply=false']) {
      const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), [`apps/web/${file}`]: doc() });
      assertLocked(lock(repo, WEB));
      const prior = ref.includes('PersistentVolumeClaim') ? 'Prune=false,' : '';
      writeFiles(repo, { [`apps/web/${file}`]: doc({ 'argocd.argoproj.io/sync-options': `${prior}${force}` }) });
      const lines = assertRefused(generate(repo, WEB), 'safety-weakened');
      assert.equal(lines.length, 1, `${ref} ${force}`);
      assert.match(
        lines[0]!,
        new RegExp(
          `^error\\[safety-weakened\\] ${ref}: sync option Force=true added: Argo CD deletes and re-creates the object when it applies it .*--accept safety-weakened:${ref}`,
        ),
      );
      assert.match(assertRefused(lock(repo, WEB), 'safety-weakened')[0]!, /Force=true added/);
      assertLocked(lock(repo, WEB, ['--accept', `safety-weakened:${ref}`]));
      assertClean(generate(repo, WEB));
    }
  }
});

test('Replace=true alone, Force=true already locked, or Force=true on a new object is not a weakening', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Replace=true' },
    }),
  });
  assert.doesNotMatch(generate(repo, WEB).stderr, /^error\[/m);
  const forced = lockedWith({ 'argocd.argoproj.io/sync-options': 'Force=true' });
  assertClean(generate(forced, WEB));
  writeFiles(forced, {
    'apps/web/new.yaml': manifest('ConfigMap', 'new', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Force=true' },
    }),
  });
  const added = generate(forced, WEB);
  assert.equal(added.code, 0, added.stderr);
  assert.doesNotMatch(added.stderr, /^error\[/m);
});

test('Prune=false weakened to Prune=confirm is refused; confirm strengthened to false is not', () => {
  const repo = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(repo, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=confirm' },
    }),
  });
  assert.match(
    assertRefused(generate(repo, WEB), 'safety-weakened')[0]!,
    /sync option Prune=false weakened to Prune=confirm/,
  );
  const confirm = lockedWith({ 'argocd.argoproj.io/sync-options': 'Delete=confirm' });
  assert.match(readLock(confirm, 'web'), /"protected":"it is marked Delete=confirm"/);
  writeFiles(confirm, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false' },
    }),
  });
  assert.doesNotMatch(generate(confirm, WEB).stderr, /^error\[/m);
  writeFiles(confirm, { 'apps/web/data.yaml': manifest('ConfigMap', 'data') });
  assert.match(assertRefused(generate(confirm, WEB), 'safety-weakened')[0]!, /sync option Delete=confirm removed/);
});

test('only what Argo CD honours protects: Prune=False, NoPrune=false or IgnoreExtraneous record no protection', () => {
  const variants: Record<string, string>[] = [
    { 'argocd.argoproj.io/sync-options': 'Prune=False' },
    { 'argocd.argoproj.io/sync-options': 'NoPrune=false' },
    { 'argocd.argoproj.io/sync-options': 'Prune=false-ish' },
    { 'argocd.argoproj.io/sync-options': 'Prune = false' },
    { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' },
  ];
  for (const annotations of variants) {
    const repo = lockedWith(annotations);
    assert.match(
      readLock(repo, 'web'),
      /^object core\/ConfigMap\/prod\/data( \{"annotations":\{[^}]*\}\})?$/m,
      JSON.stringify(annotations),
    );
    // Deleting it needs no protected-deletion: Argo CD would prune it.
    rmSync(join(repo, 'apps/web/data.yaml'));
    assert.doesNotMatch(assertRefused(generate(repo, WEB), 'unacknowledged-deletion')[0]!, /protected/);
    assertLocked(lock(repo, WEB));
  }
});

test('a child Application dropping FailOnSharedResource or an app-level Prune=false is refused', () => {
  const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  for (const [before, after, what] of [
    [
      'syncOptions: [FailOnSharedResource=true, CreateNamespace=true]\n',
      'syncOptions: [CreateNamespace=true]\n',
      /syncPolicy\.syncOptions FailOnSharedResource=true removed/,
    ],
    ['syncOptions: [Prune=false]\n', 'syncOptions: [PruneLast=true]\n', /syncPolicy\.syncOptions Prune=false removed/],
    [
      'syncOptions: [Delete=false]\n',
      'syncOptions: [Delete=confirm]\n',
      /syncPolicy\.syncOptions Delete=false weakened to Delete=confirm/,
    ],
  ] as const) {
    const repo = makeRepo({
      'apps/root/web.yaml': application('web', { path: 'apps/web', syncPolicy: before }),
      'apps/root/api.yaml': application('api', { path: 'apps/api' }),
    });
    assertLocked(lock(repo, ROOT));
    writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', syncPolicy: after }) });
    assert.match(assertRefused(generate(repo, ROOT), 'safety-weakened')[0]!, what);
    assertLocked(lock(repo, ROOT, ['--accept', 'safety-weakened:argoproj.io/Application/argocd/web']));
    assertClean(generate(repo, ROOT));
  }
});

// review9: argo-cd 37ee0097 reads the FIRST `Prune=`/`Delete=` item (GetAnnotationOptionValue): an earlier
// `Prune=true` (or any other value) switches off a `Prune=false` that is still written further on.
test('a Prune=false or Delete=false that an earlier item overrides is refused as weakened', () => {
  for (const [was, now] of [
    ['Prune=false', 'Prune=true,Prune=false'],
    ['Prune=false', 'Prune=,Prune=false'],
    ['Delete=false', 'Delete=yes, Delete=false'],
    ['Replace=true,Prune=false', 'Prune=confirm,Replace=true,Prune=false'],
  ]) {
    const repo = lockedWith({ 'argocd.argoproj.io/sync-options': was! });
    writeFiles(repo, {
      'apps/web/data.yaml': manifest('ConfigMap', 'data', { annotations: { 'argocd.argoproj.io/sync-options': now! } }),
    });
    const line = assertRefused(generate(repo, WEB), 'safety-weakened')[0]!;
    assert.match(
      line,
      /core\/ConfigMap\/prod\/data: sync option (Prune|Delete)=false (no longer counts \(Argo CD reads the first (Prune|Delete)= item\)|weakened to Prune=confirm)/,
      `${was} -> ${now}`,
    );
  }
  // The legitimate case: the same switch, first among its kind.
  const ok = lockedWith({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  writeFiles(ok, {
    'apps/web/data.yaml': manifest('ConfigMap', 'data', {
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false, Prune=true' },
    }),
  });
  const r = generate(ok, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /error\[/);
});
