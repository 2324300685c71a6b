// `ci --init`'s decision (issue 11): the smallest safe-render.yaml from what the render already writes,
// within the platform policy, in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { DEFAULT_CONFIG, type AppConfig } from '../config/app-config';
import type { AppliedPolicy, PolicyLimits } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import type { Finding } from '../model/finding';
import type { ManifestObject } from '../model/object';
import { configText, kindEntry, planAdoption, yamlScalar, type AdoptInput } from './adopt-config';

function obj(kind: string, name: string, o: { group?: string; ns?: string; cluster?: boolean } = {}): ManifestObject {
  const group = o.group ?? '';
  const namespace = o.cluster ? '' : (o.ns ?? 'team');
  return {
    body: {},
    source: { file: `apps/x/${name}.yaml`, line: 1 },
    apiVersion: group ? `${group}/v1` : 'v1',
    kind,
    group,
    name,
    declaredNamespace: o.ns ?? '',
    namespace,
    scope: o.cluster ? 'Cluster' : 'Namespaced',
    key: `${group}/${kind}/${namespace}/${name}`,
  };
}

const ctx = (appName: string, namespace = 'team'): AppContext =>
  ({ appName, namespace, project: 'default', sourcePath: 'apps/x' }) as AppContext;

const policy = (limits: PolicyLimits, entry = 'default'): AppliedPolicy => ({ file: 'policy.yaml', entry, limits });

function input(id: string, objects: ManifestObject[], more: Partial<AdoptInput> = {}): AdoptInput {
  return {
    id,
    app: ctx(id),
    dir: `apps/${id}`,
    hasConfigFile: false,
    objects,
    config: DEFAULT_CONFIG,
    findings: [],
    ...more,
  };
}

const CLUSTER_ROLE = obj('ClusterRole', 'reader', { group: 'rbac.authorization.k8s.io', cluster: true });

test('a second namespace and a cluster-scoped kind become exactly those two entries, group-qualified', () => {
  const plan = planAdoption([
    input('web', [obj('ConfigMap', 'a'), obj('ConfigMap', 'b', { ns: 'shared' }), CLUSTER_ROLE]),
  ]);
  assert.equal(plan.configs.length, 1);
  const c = plan.configs[0]!;
  assert.equal(c.file, 'apps/web/safe-render.yaml');
  assert.equal(c.action, 'write');
  assert.deepEqual(parse(c.text!), {
    namespaces: ['shared'],
    clusterScoped: ['rbac.authorization.k8s.io/ClusterRole'],
  });
  assert.deepEqual(c.apps, ['web']);
  const app = plan.apps[0]!;
  assert.deepEqual(
    [app.namespaces, app.clusterScoped, app.refused, app.blocking],
    [['shared'], ['rbac.authorization.k8s.io/ClusterRole'], [], []],
  );
});

test('a clean app, or one whose config already allows what it writes, gets no file', () => {
  const allowed: AppConfig = { ...DEFAULT_CONFIG, namespaces: ['shared'], clusterScoped: ['ClusterRole'] };
  const plan = planAdoption([
    input('clean', [obj('ConfigMap', 'a')]),
    input('done', [obj('ConfigMap', 'b', { ns: 'shared' }), CLUSTER_ROLE], { config: allowed, hasConfigFile: true }),
  ]);
  assert.deepEqual(plan.configs, []);
  assert.ok(plan.apps.every((a) => !a.namespaces.length && !a.clusterScoped.length && !a.refused.length));
});

test('a core cluster-scoped kind is written core/Kind (a bare Kind would allow every group)', () => {
  assert.equal(kindEntry('', 'PersistentVolume'), 'core/PersistentVolume');
  const plan = planAdoption([input('pv', [obj('PersistentVolume', 'data', { cluster: true })])]);
  assert.deepEqual(parse(plan.configs[0]!.text!), { clusterScoped: ['core/PersistentVolume'] });
});

test('a Namespace object is allowed by naming the namespace, not by owning every Namespace', () => {
  const plan = planAdoption([input('ns', [obj('Namespace', 'extra', { cluster: true }), obj('ConfigMap', 'a')])]);
  assert.deepEqual(parse(plan.configs[0]!.text!), { namespaces: ['extra'] });
  // The destination namespace's own Namespace needs nothing.
  assert.deepEqual(planAdoption([input('own', [obj('Namespace', 'team', { cluster: true })])]).configs, []);
});

test('a kind the platform policy forbids is not written: the app stays refused and the policy entry is named', () => {
  const plan = planAdoption([
    input('cr', [obj('ConfigMap', 'b', { ns: 'shared' }), CLUSTER_ROLE], {
      policy: policy({ clusterScoped: ['core/Namespace'] }, 'apps[0]'),
    }),
  ]);
  assert.deepEqual(parse(plan.configs[0]!.text!), { namespaces: ['shared'] });
  const app = plan.apps[0]!;
  assert.deepEqual(app.clusterScoped, []);
  assert.deepEqual(app.refused, [
    {
      object: 'rbac.authorization.k8s.io/ClusterRole reader',
      why: 'the platform policy policy.yaml (apps[0]) does not allow cluster-scoped rbac.authorization.k8s.io/ClusterRole',
    },
  ]);
});

test('a namespace outside the policy ceiling stays refused; a glob ceiling that matches lets the literal name in', () => {
  const p = policy({ namespaces: ['team', 'team-*'] });
  const plan = planAdoption([
    input('a', [obj('ConfigMap', 'x', { ns: 'team-extra' }), obj('ConfigMap', 'y', { ns: 'kube-system' })], {
      policy: p,
    }),
  ]);
  assert.deepEqual(parse(plan.configs[0]!.text!), { namespaces: ['team-extra'] });
  assert.deepEqual(plan.apps[0]!.refused, [
    {
      object: 'ConfigMap kube-system/y',
      why: 'the platform policy policy.yaml (default) does not allow namespace "kube-system"',
    },
  ]);
});

test('a namespaced object with no namespace and no destination namespace cannot be allowed by config', () => {
  const plan = planAdoption([{ ...input('nodest', [obj('ConfigMap', 'a', { ns: '' })]), app: ctx('nodest', '') }]);
  assert.deepEqual(plan.configs, []);
  assert.equal(plan.apps[0]!.refused.length, 1);
  assert.match(plan.apps[0]!.refused[0]!.why, /no destination namespace/);
});

test('an existing safe-render.yaml is never rewritten: it is listed with what it would need', () => {
  const plan = planAdoption([
    input('hand', [obj('ConfigMap', 'b', { ns: 'elsewhere' })], {
      hasConfigFile: true,
      config: { ...DEFAULT_CONFIG, include: ['*.yaml'] },
    }),
  ]);
  assert.deepEqual(
    plan.configs.map((c) => [c.file, c.action, c.namespaces, c.text]),
    [['apps/hand/safe-render.yaml', 'exists', ['elsewhere'], undefined]],
  );
  assert.deepEqual(plan.apps[0]!.namespaces, ['elsewhere']);
  assert.deepEqual(plan.apps[0]!.refused, []);
});

test('an app failing for other reasons (a duplicate object) is listed with its findings, nothing written for it', () => {
  const dup: Finding = {
    rule: 'duplicate-object',
    severity: 'error',
    object: 'ConfigMap team/a',
    sources: [],
    message: 'defined 2 times',
    fix: '',
  };
  const stale: Finding = { ...dup, rule: 'lock-stale', object: 'app dup' };
  const plan = planAdoption([input('dup', [obj('ConfigMap', 'b', { ns: 'other' })], { findings: [dup, stale] })]);
  assert.deepEqual(plan.configs, []);
  const app = plan.apps[0]!;
  // The lock comparison is not a reason of its own: --init writes locks, --fix-locks refreshes them.
  assert.deepEqual(app.blocking, [dup]);
  assert.deepEqual(app.namespaces, ['other'], 'what it would need is still said');
});

test('apps sharing a folder share one file: the union of their needs, minus what one of their policies forbids', () => {
  const dev = input('dev', [obj('ConfigMap', 'a', { ns: 'shared-dev' }), CLUSTER_ROLE], { dir: 'apps/env' });
  const prod = input('prod', [obj('ConfigMap', 'a', { ns: 'shared-prod' })], {
    dir: 'apps/env',
    policy: policy({ clusterScoped: [] }, 'apps[1]'),
  });
  const plan = planAdoption([prod, dev]);
  assert.equal(plan.configs.length, 1);
  assert.deepEqual(parse(plan.configs[0]!.text!), { namespaces: ['shared-dev', 'shared-prod'] });
  assert.deepEqual(plan.configs[0]!.apps, ['dev', 'prod']);
  const devOut = plan.apps.find((a) => a.id === 'dev')!;
  assert.deepEqual(devOut.namespaces, ['shared-dev']);
  assert.equal(devOut.refused.length, 1);
  assert.match(
    devOut.refused[0]!.why,
    /^prod renders from the same folder and the platform policy policy\.yaml \(apps\[1\]\)/,
  );
});

test('scalars that YAML would read as something else are quoted; the written file always reads back', () => {
  assert.equal(yamlScalar('team-a'), 'team-a');
  assert.equal(yamlScalar('rbac.authorization.k8s.io/ClusterRole'), 'rbac.authorization.k8s.io/ClusterRole');
  for (const s of ['yes', 'No', 'on', 'null', '123', '1e3', '0x1f', '~', '-x', 'a b', 'a: b', '#x'])
    assert.equal(yamlScalar(s), JSON.stringify(s), s);
  fc.assert(
    fc.property(
      fc.array(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/), { maxLength: 5 }),
      fc.array(fc.string(), { maxLength: 5 }),
      (ns, kinds) => {
        // configText throws when the text does not read back as the lists it was given.
        const text = configText(ns, kinds);
        const back = (parse(text) ?? {}) as { namespaces?: string[]; clusterScoped?: string[] };
        assert.deepEqual(back.namespaces ?? [], ns);
        assert.deepEqual(back.clusterScoped ?? [], kinds);
      },
    ),
    { seed: 11, numRuns: 300 },
  );
});
