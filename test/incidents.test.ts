// Incident replays: each real-world deletion the threat model lists, rebuilt as a small repository. Each
// test shows the refusal first (nothing on stdout, so Argo CD prunes nothing), then the path a person
// takes when the change is meant (restore, or rewrite the lock with --accept), ending in a clean render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, writeFiles } from './helpers';
import {
  application,
  applicationSet,
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  lockObjects,
  readLock,
  renderApp,
  type App,
} from './lock-helpers';

test('InfluxData, seen from the parent: a second Application with the production name is refused, naming both files and lines', () => {
  // The app-of-apps: one file per Application plus a generated file with several.
  const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const generated = (newName: string) =>
    [
      application('influxdb-dev', { path: 'engines/storage-dev', destNamespace: 'influxdb-dev' }),
      application(newName, { path: 'engines/new-engine', destNamespace: 'influxdb-prod' }),
    ].join('---\n');
  const repo = makeRepo({
    'apps/root/influxdb-prod.yaml': application('influxdb-prod', {
      path: 'engines/storage',
      destNamespace: 'influxdb-prod',
      finalizer: true,
      syncPolicy: 'automated:\n  prune: true\n',
    }),
    'apps/root/generated.yaml': application('influxdb-dev', {
      path: 'engines/storage-dev',
      destNamespace: 'influxdb-dev',
    }),
    'apps/root/monitoring.yaml': application('monitoring', { path: 'platform/monitoring' }),
  });
  assertLocked(lock(repo, ROOT));
  assertClean(generate(repo, ROOT));

  // The PR: a new engine's Application, its name mistyped as production's.
  writeFiles(repo, { 'apps/root/generated.yaml': generated('influxdb-prod') });
  for (const r of [generate(repo, ROOT), renderApp(repo, ROOT)]) {
    const lines = assertRefused(r, 'duplicate-object');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^error\[duplicate-object\] argoproj\.io\/Application argocd\/influxdb-prod \(apps\/root\/generated\.yaml:\d+, apps\/root\/influxdb-prod\.yaml:1\): defined 2 times with different content; Argo CD would silently keep only the last copy/,
    );
    // The line is where the second Application starts, after the first document and its separator.
    const line = Number(/generated\.yaml:(\d+)/.exec(lines[0]!)![1]);
    assert.equal(
      line,
      application('influxdb-dev', { path: 'engines/storage-dev', destNamespace: 'influxdb-dev' }).split('\n').length +
        1,
    );
  }
  // Argo CD's own empty-render guard would not fire: the render is not empty. CI cannot lock it either.
  const l = lock(repo, ROOT);
  assertRefused(l, 'duplicate-object');
  assert.match(l.stderr, /the lock was not written/);

  // The fix: give the new Application its own name. It is an addition, recorded by lock without --accept.
  writeFiles(repo, { 'apps/root/generated.yaml': generated('influxdb-new-engine') });
  const fixed = lock(repo, ROOT);
  assertLocked(fixed);
  assert.match(fixed.stderr, /4 objects, 1 added, 0 removed/);
  const r = generate(repo, ROOT);
  assertClean(r);
  assert.equal(r.stderr, '');
  assert.deepEqual(
    parseJsonStream(r.stdout)
      .map((o) => (o.metadata as { name: string }).name)
      .sort(),
    ['influxdb-dev', 'influxdb-new-engine', 'influxdb-prod', 'monitoring'],
  );
});

test('InfluxData, seen from the child: production rendered from the new path is refused (app-source-drift)', () => {
  const PROD: App = { path: 'engines/storage', name: 'influxdb-prod', namespace: 'influxdb-prod' };
  const storage = [
    manifest('StatefulSet', 'storage'),
    manifest('PersistentVolumeClaim', 'data-storage-0'),
    manifest('Service', 'storage'),
    configMaps(3, 'storage'),
  ].join('---\n');
  const repo = makeRepo({
    'engines/storage/storage.yaml': storage,
    'engines/new-engine/engine.yaml': [manifest('Deployment', 'engine'), manifest('Service', 'engine')].join('---\n'),
  });
  assertLocked(lock(repo, PROD));

  // The re-pointed production Application: Argo CD now renders it from engines/new-engine.
  const r = generate(repo, PROD, { ARGOCD_APP_SOURCE_PATH: 'engines/new-engine' });
  const [drift] = assertRefused(r, 'app-source-drift');
  assert.match(
    drift!,
    /app influxdb-prod: is rendered from path "engines\/new-engine" but its lock \(\.safe-render\/locks\/influxdb-prod\.lock\) records "engines\/storage"/,
  );
  // And what auto-prune would have deleted, the stateful parts called out.
  const deleted = findingLines(r.stderr, 'unacknowledged-deletion');
  assert.equal(deleted.length, 6);
  assert.ok(deleted.some((l) => /apps\/StatefulSet\/influxdb-prod\/storage: .*protected/.test(l)));
  assert.ok(deleted.some((l) => /core\/PersistentVolumeClaim\/influxdb-prod\/data-storage-0: .*protected/.test(l)));

  // A deliberate move (the same manifests at a new path) is accepted by name.
  const MOVED: App = { ...PROD, path: 'engines/storage-v2' };
  writeFiles(repo, { 'engines/storage-v2/storage.yaml': storage });
  assertRefused(generate(repo, MOVED), 'app-source-drift');
  assertRefused(lock(repo, MOVED), 'app-source-drift');
  assertLocked(lock(repo, MOVED, ['--accept', 'app-source-drift:influxdb-prod']));
  assert.match(readLock(repo, 'influxdb-prod'), /^accepted app-source-drift:influxdb-prod$/m);
  const ok = generate(repo, MOVED);
  assertClean(ok);
  assert.equal(parseJsonStream(ok.stdout).length, 6);
});

test('Skyscanner: a template change that renders nothing is refused as empty and as deleting every locked object', () => {
  const APP: App = { path: 'services/eu', name: 'services-eu', namespace: 'svc-eu' };
  const services = ['checkout', 'search', 'pricing'].flatMap((s) => [
    manifest('Service', s),
    manifest('Deployment', s),
  ]);
  const template = (items: string[]) =>
    `apiVersion: v1\nkind: List\nitems:${items.length ? '' : ' []'}\n${items.map((i) => `- ${i.trimEnd().split('\n').join('\n  ')}\n`).join('')}`;
  const repo = makeRepo({
    'services/eu/namespace.yaml': manifest('Namespace', 'svc-eu'),
    'services/eu/services.yaml': template(services),
  });
  assertLocked(lock(repo, APP));
  assertClean(generate(repo, APP));

  // "A no-op refactor of the template": the list now renders no items.
  writeFiles(repo, { 'services/eu/services.yaml': template([]) });
  rmSync(join(repo, 'services/eu/namespace.yaml'));
  const r = generate(repo, APP);
  assertRefused(r, 'empty-render');
  const deleted = assertRefused(r, 'unacknowledged-deletion');
  assert.equal(deleted.length, 7);
  assert.match(
    r.stderr,
    /^error\[unacknowledged-deletion\] core\/Namespace\/svc-eu: .*and it is protected \(Namespace is a protected kind\)/m,
  );
  assert.match(r.stderr, /safe-render: refused: 8 errors; nothing was emitted/);
  // CI would not take it either.
  assertRefused(lock(repo, APP), 'empty-render');

  // The accident: put the template back; the lock never changed.
  writeFiles(repo, {
    'services/eu/services.yaml': template(services),
    'services/eu/namespace.yaml': manifest('Namespace', 'svc-eu'),
  });
  assertClean(generate(repo, APP));

  // A real retirement of the region is declared and accepted, object class by object class.
  writeFiles(repo, { 'services/eu/services.yaml': template([]) });
  rmSync(join(repo, 'services/eu/namespace.yaml'));
  const refused = lock(repo, APP, ['--empty']);
  assertRefused(refused, 'protected-deletion');
  assertRefused(refused, 'mass-deletion');
  assertLocked(
    lock(repo, APP, [
      '--empty',
      '--accept',
      'protected-deletion:core/Namespace/svc-eu',
      '--accept',
      'mass-deletion:services-eu',
    ]),
  );
  const retired = generate(repo, APP);
  assert.equal(retired.code, 0, retired.stderr);
  assert.equal(retired.stdout, '');
  assert.equal(retired.stderr, '');
});

test('An ApplicationSet whose list generator becomes empty is refused (appset-may-shrink)', () => {
  const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
  const appset = (elements: string) =>
    applicationSet({
      name: 'regions',
      generators: `- list:
    elements: ${elements}
`,
    });
  const repo = makeRepo({
    'apps/root/regions.yaml': appset('[{region: eu}, {region: us}, {region: ap}]'),
    'apps/root/monitoring.yaml': application('monitoring', { path: 'platform/monitoring' }),
    'apps/root/ingress.yaml': application('ingress', { path: 'platform/ingress' }),
    'apps/root/dns.yaml': application('dns', { path: 'platform/dns' }),
  });
  assertLocked(lock(repo, ROOT));
  assertClean(generate(repo, ROOT));

  writeFiles(repo, { 'apps/root/regions.yaml': appset('[]') });
  const [line] = assertRefused(generate(repo, ROOT), 'appset-may-shrink');
  assert.match(
    line!,
    /argoproj\.io\/ApplicationSet argocd\/regions \(apps\/root\/regions\.yaml:1\): yields no Applications: list generator has no elements; the controller would delete the Applications it made/,
  );
  assert.match(line!, /kubectl delete appset NAME --cascade=orphan/);
  assertRefused(lock(repo, ROOT), 'appset-may-shrink');

  // Retiring it on purpose: orphan its Applications in the cluster (kubectl delete appset regions
  // --cascade=orphan), remove it from the repository, and accept the protected deletion in the lock.
  rmSync(join(repo, 'apps/root/regions.yaml'));
  assertRefused(generate(repo, ROOT), 'unacknowledged-deletion');
  assert.match(
    assertRefused(lock(repo, ROOT), 'protected-deletion')[0]!,
    /argoproj\.io\/ApplicationSet\/argocd\/regions: is protected \(ApplicationSet is a protected kind\)/,
  );
  assertLocked(lock(repo, ROOT, ['--accept', 'protected-deletion:argoproj.io/ApplicationSet/argocd/regions']));
  assertClean(generate(repo, ROOT));
});

test('A StatefulSet renamed is a delete and a create: refused until the protected deletion is accepted', () => {
  const APP: App = { path: 'apps/queue', name: 'queue', namespace: 'prod' };
  const kafka = (name: string) =>
    manifest('StatefulSet', name, { body: 'spec:\n  serviceName: kafka\n  replicas: 3\n' });
  const repo = makeRepo({
    'apps/queue/kafka.yaml': kafka('kafka'),
    'apps/queue/rest.yaml': [manifest('Service', 'kafka'), configMaps(3, 'kafka')].join('---\n'),
  });
  assertLocked(lock(repo, APP));

  writeFiles(repo, { 'apps/queue/kafka.yaml': kafka('kafka-v2') });
  const r = generate(repo, APP);
  const [line] = assertRefused(r, 'unacknowledged-deletion');
  assert.match(
    line!,
    /^error\[unacknowledged-deletion\] apps\/StatefulSet\/prod\/kafka: .*Argo CD would delete it and it is protected \(StatefulSet is a protected kind\)/,
  );
  assert.match(line!, /--accept protected-deletion:apps\/StatefulSet\/prod\/kafka`/);
  assert.match(
    r.stderr,
    /^warning\[lock-stale\] app queue: .*1 object not in the lock/m,
    'the new name is the create half',
  );

  const refused = lock(repo, APP);
  assert.match(
    assertRefused(refused, 'protected-deletion')[0]!,
    /^error\[protected-deletion\] apps\/StatefulSet\/prod\/kafka: is protected \(StatefulSet is a protected kind\) and would be removed from the lock; the lock was not written\. Fix: if this is intended, run the same command with --accept protected-deletion:apps\/StatefulSet\/prod\/kafka/,
  );
  assertLocked(lock(repo, APP, ['--accept', 'protected-deletion:apps/StatefulSet/prod/kafka']));
  const text = readLock(repo, 'queue');
  assert.match(text, /^object apps\/StatefulSet\/prod\/kafka-v2 \{"protected":"StatefulSet is a protected kind"\}$/m);
  assert.doesNotMatch(text, /^object apps\/StatefulSet\/prod\/kafka /m);
  assertClean(generate(repo, APP));
});

test('A Namespace and a Cluster API Cluster removed are protected deletions', () => {
  const APP: App = { path: 'platform/clusters', name: 'clusters', namespace: 'capi' };
  const cluster = (name: string) =>
    manifest('Cluster', name, {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      body: 'spec:\n  clusterNetwork: {pods: {cidrBlocks: [192.168.0.0/16]}}\n',
    });
  const repo = makeRepo({
    'platform/clusters/safe-render.yaml': 'clusterScoped: [Namespace]\n',
    'platform/clusters/namespaces.yaml': [manifest('Namespace', 'capi'), manifest('Namespace', 'team-a')].join('---\n'),
    'platform/clusters/eu-1.yaml': cluster('eu-1'),
    'platform/clusters/us-1.yaml': cluster('us-1'),
    'platform/clusters/config.yaml': configMaps(4, 'capi'),
  });
  assertLocked(lock(repo, APP));
  const text = readLock(repo, 'clusters');
  assert.match(text, /^object core\/Namespace\/team-a \{"protected":"Namespace is a protected kind"\}$/m);
  assert.match(text, /^object cluster\.x-k8s\.io\/Cluster\/capi\/eu-1 \{"protected":"Cluster is a cluster"\}$/m);

  writeFiles(repo, { 'platform/clusters/namespaces.yaml': manifest('Namespace', 'capi') });
  rmSync(join(repo, 'platform/clusters/eu-1.yaml'));
  const r = generate(repo, APP);
  const lines = assertRefused(r, 'unacknowledged-deletion');
  assert.deepEqual(
    lines.map((l) => /\] (\S+): .*protected \(([^)]+)\)/.exec(l)?.slice(1)),
    [
      ['cluster.x-k8s.io/Cluster/capi/eu-1', 'Cluster is a cluster'],
      ['core/Namespace/team-a', 'Namespace is a protected kind'],
    ],
  );

  const refused = lock(repo, APP);
  assert.deepEqual(
    assertRefused(refused, 'protected-deletion').map((l) => l.split(' ')[1]),
    ['cluster.x-k8s.io/Cluster/capi/eu-1:', 'core/Namespace/team-a:'],
  );
  // Accepting one is not enough.
  assertRefused(lock(repo, APP, ['--accept', 'protected-deletion:core/Namespace/team-a']), 'protected-deletion');
  assertLocked(
    lock(repo, APP, [
      '--accept',
      'protected-deletion:core/Namespace/team-a',
      '--accept',
      'protected-deletion:cluster.x-k8s.io/Cluster/capi/eu-1',
    ]),
  );
  assertClean(generate(repo, APP));
  assert.equal(lockObjects(readLock(repo, 'clusters')).length, 6);
});

test('A Prune=false annotation dropped is safety-weakened; the object deleted with its annotation is still protected', () => {
  const APP: App = { path: 'apps/ledger', name: 'ledger', namespace: 'payments' };
  const ledger = (annotations?: Record<string, string>) =>
    manifest('Deployment', 'ledger', annotations ? { annotations } : {});
  const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false' };
  const repo = makeRepo({
    'apps/ledger/ledger.yaml': ledger(KEEP),
    'apps/ledger/rest.yaml': [manifest('Service', 'ledger'), configMaps(3, 'ledger')].join('---\n'),
  });
  assertLocked(lock(repo, APP));
  assert.match(
    readLock(repo, 'ledger'),
    /^object apps\/Deployment\/payments\/ledger \{"annotations":\{"argocd\.argoproj\.io\/sync-options":"Prune=false"\},"protected":"it is marked Prune=false"\}$/m,
  );

  // The annotation dropped, the object kept: the next prune could delete it.
  writeFiles(repo, { 'apps/ledger/ledger.yaml': ledger() });
  assert.match(
    assertRefused(generate(repo, APP), 'safety-weakened')[0]!,
    /apps\/Deployment\/payments\/ledger: sync option Prune=false removed/,
  );

  // Object and annotation deleted together: the render no longer says Prune=false, the lock does.
  rmSync(join(repo, 'apps/ledger/ledger.yaml'));
  const r = generate(repo, APP);
  assert.match(
    assertRefused(r, 'unacknowledged-deletion')[0]!,
    /apps\/Deployment\/payments\/ledger: .*and it is protected \(it is marked Prune=false\).*--accept protected-deletion:apps\/Deployment\/payments\/ledger/,
  );
  assert.match(
    assertRefused(lock(repo, APP), 'protected-deletion')[0]!,
    /apps\/Deployment\/payments\/ledger: is protected \(it is marked Prune=false\)/,
  );
  assertLocked(lock(repo, APP, ['--accept', 'protected-deletion:apps/Deployment/payments/ledger']));
  assertClean(generate(repo, APP));

  // The other way to accept: keep the object, drop the switch on purpose.
  const repo2 = makeRepo({ 'apps/ledger/ledger.yaml': ledger(KEEP), 'apps/ledger/rest.yaml': configMaps(3, 'ledger') });
  assertLocked(lock(repo2, APP));
  writeFiles(repo2, { 'apps/ledger/ledger.yaml': ledger() });
  assertRefused(lock(repo2, APP), 'safety-weakened');
  assertLocked(lock(repo2, APP, ['--accept', 'safety-weakened:apps/Deployment/payments/ledger']));
  assertClean(generate(repo2, APP));
});
