// cross-app-collision: refused when two different apps render one object (in one cluster), allowed for
// distinct objects, other clusters, and one app's own entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterKey,
  crossAppCollisions,
  displayObjectRef,
  duplicateApplications,
  MAX_NAMED_APPS,
} from './cross-app-collision';
import type { CiApp } from './report-model';
import { formatFinding } from '../report/format';

function app(id: string, refs: string[], extra: Partial<CiApp> = {}): CiApp {
  return {
    id,
    appName: id.replace('/', '_'),
    verdict: 'passed',
    definedIn: { file: `apps/${id}.yaml`, line: 1 },
    objects: refs.map((ref, i) => ({ ref, file: `apps/${id}/m.yaml`, line: 1 + i * 10 })),
    deletions: { pending: 0, accepted: 0 },
    findings: [],
    durationMs: 1,
    ...extra,
  };
}

test('two apps rendering one object: one error naming both apps, both files and lines', () => {
  const f = crossAppCollisions([
    app('web', ['apps/Deployment/prod/web', 'core/Service/prod/web']),
    app('web-canary', ['core/ConfigMap/prod/x', 'apps/Deployment/prod/web']),
  ]);
  assert.equal(f.length, 1);
  const [c] = f;
  assert.equal(c!.rule, 'cross-app-collision');
  assert.equal(c!.severity, 'error');
  assert.equal(c!.object, 'apps/Deployment prod/web');
  assert.deepEqual(c!.sources, [
    { file: 'apps/web/m.yaml', line: 1 },
    { file: 'apps/web-canary/m.yaml', line: 11 },
  ]);
  assert.match(
    c!.message,
    /rendered by 2 apps: web \(apps\/web\/m\.yaml:1\), web-canary \(apps\/web-canary\/m\.yaml:11\)/,
  );
  assert.match(formatFinding(c!), /^error\[cross-app-collision\] apps\/Deployment prod\/web \(apps\/web\/m\.yaml:1, /);
});

test('three apps on one object make one finding; cluster-scoped refs are shown without namespace', () => {
  const ref = 'rbac.authorization.k8s.io/ClusterRole/admin';
  const f = crossAppCollisions([app('c', [ref]), app('a', [ref]), app('b', [ref])]);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.object, 'rbac.authorization.k8s.io/ClusterRole admin');
  assert.match(f[0]!.message, /rendered by 3 apps: a .*, b .*, c /);
});

test('distinct objects, same name in another namespace or kind, and other clusters are allowed', () => {
  assert.deepEqual(
    crossAppCollisions([
      app('a', ['apps/Deployment/prod/web', 'core/ConfigMap/prod/web']),
      app('b', ['apps/Deployment/staging/web', 'core/Secret/prod/web']),
    ]),
    [],
  );
  assert.deepEqual(
    crossAppCollisions([
      app('a', ['apps/Deployment/prod/web'], { destination: { server: 'https://prod.example.com' } }),
      app('b', ['apps/Deployment/prod/web'], { destination: { server: 'https://staging.example.com' } }),
    ]),
    [],
  );
});

test('the in-cluster destination is the same cluster by name or by server; no destination is one cluster', () => {
  const f = crossAppCollisions([
    app('a', ['core/ConfigMap/prod/x'], { destination: { name: 'in-cluster' } }),
    app('b', ['core/ConfigMap/prod/x'], { destination: { server: 'https://kubernetes.default.svc/' } }),
  ]);
  assert.equal(f.length, 1);
  assert.equal(
    crossAppCollisions([app('a', ['core/ConfigMap/prod/x']), app('b', ['core/ConfigMap/prod/x'])]).length,
    1,
  );
  assert.equal(clusterKey({}), '');
  assert.equal(clusterKey({ destination: { name: 'prod' } }), 'name:prod');
});

test("one app's own entries (a multi-source app, a copy inside one render) are not a collision", () => {
  assert.deepEqual(
    crossAppCollisions([
      app('multi', ['core/ConfigMap/prod/x'], { sourceIndex: 0 }),
      app('multi', ['core/ConfigMap/prod/x'], { sourceIndex: 1 }),
      app('solo', ['core/ConfigMap/prod/y', 'core/ConfigMap/prod/y']),
    ]),
    [],
  );
  // ...but a third app on the same object collides with it, named once.
  const f = crossAppCollisions([
    app('multi', ['core/ConfigMap/prod/x'], { sourceIndex: 0 }),
    app('multi', ['core/ConfigMap/prod/x'], { sourceIndex: 1 }),
    app('other', ['core/ConfigMap/prod/x']),
  ]);
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /rendered by 2 apps: multi .*, other /);
});

test('skipped and failed apps (no objects) collide with nothing', () => {
  assert.deepEqual(crossAppCollisions([app('a', ['core/ConfigMap/p/x']), app('b', [], { verdict: 'failed' })]), []);
});

test('many apps on one object: the message and the sources are bounded', () => {
  const apps = Array.from({ length: 500 }, (_, i) => app(`app-${String(i).padStart(3, '0')}`, ['core/ConfigMap/p/x']));
  const f = crossAppCollisions(apps);
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, new RegExp(`and ${500 - MAX_NAMED_APPS} more`));
  assert.ok(f[0]!.sources.length <= 20);
  // 2,000 apps of 100 objects each, all distinct, plus one shared. Not timed (a loaded machine makes
  // a wall-clock bound flaky; npm run bench measures speed): a quadratic pass would show in the bench.
  const big = Array.from({ length: 2000 }, (_, i) =>
    app(`a${i}`, [...Array.from({ length: 100 }, (_, j) => `core/ConfigMap/ns${i}/c${j}`), 'core/Namespace/shared']),
  );
  assert.equal(crossAppCollisions(big).length, 1);
});

test('displayObjectRef: lock refs as findings show objects; other shapes as they are', () => {
  assert.equal(displayObjectRef('core/ConfigMap/prod/x'), 'ConfigMap prod/x');
  assert.equal(displayObjectRef('apps/Deployment/prod/web'), 'apps/Deployment prod/web');
  assert.equal(displayObjectRef('core/Namespace/prod'), 'Namespace prod');
  assert.equal(displayObjectRef('weird'), 'weird');
});

test('one Application name defined twice in one folder is an error; other folders, renders and patches are not', () => {
  const at = (file: string, line = 1, extra: Partial<CiApp> = {}) =>
    app('foo', [], { definedIn: { file, line }, ...extra });
  const f = duplicateApplications([
    at('apps/a.yaml'),
    at('apps/b.yaml', 3, { verdict: 'skipped', skipped: 'another tool: helm' }),
  ]);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.rule, 'cross-app-collision');
  assert.equal(f[0]!.object, 'argoproj.io/Application foo');
  assert.deepEqual(f[0]!.sources, [
    { file: 'apps/a.yaml', line: 1 },
    { file: 'apps/b.yaml', line: 3 },
  ]);
  assert.match(f[0]!.message, /defined 2 times in one folder: apps\/a\.yaml:1, apps\/b\.yaml:3/);
  assert.equal(duplicateApplications([at('a.yaml', 1), at('a.yaml', 9)]).length, 1);
  // Not compared: one place (a multi-source app's entries), other folders, rendered or generated apps, patches.
  assert.deepEqual(
    duplicateApplications([at('apps/a.yaml', 1, { sourceIndex: 0 }), at('apps/a.yaml', 1, { sourceIndex: 1 })]),
    [],
  );
  assert.deepEqual(duplicateApplications([at('prod/a.yaml'), at('staging/a.yaml')]), []);
  assert.deepEqual(duplicateApplications([at('apps/a.yaml'), at('apps/b.yaml', 1, { parent: 'root' })]), []);
  assert.deepEqual(duplicateApplications([at('apps/a.yaml'), at('apps/b.yaml', 1, { appSet: 'argocd/s' })]), []);
  assert.deepEqual(
    duplicateApplications([
      at('apps/a.yaml'),
      at('apps/p.yaml', 1, { verdict: 'skipped', skipped: 'another repository (no repoURL)' }),
    ]),
    [],
  );
});
