// JSON 6902 patches from safe-render.yaml: applied to the engine's output, to the objects their
// target globs choose; a patch that matches nothing or does not apply stops the render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, manifest, parseJsonStream, render, requireTools } from './helpers';

const OBJECTS = [
  manifest('Deployment', 'web-a', { body: 'spec:\n  replicas: 1\n' }),
  manifest('Deployment', 'web-b', { namespace: 'team-x', body: 'spec:\n  replicas: 1\n' }),
  manifest('Deployment', 'api', { body: 'spec:\n  replicas: 1\n' }),
  manifest('Service', 'web-a', { body: 'spec:\n  type: ClusterIP\n' }),
  manifest('ConfigMap', 'web-a', { namespace: 'team-y' }),
];

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { replicas?: number; type?: string };
};

function renderPatched(
  engine: 'kustomize' | 'plain',
  config: string,
): { code: number | null; objs: Obj[]; stderr: string; stdout: string } {
  const files: Record<string, string> =
    engine === 'kustomize'
      ? {
          'app/kustomization.yaml': 'resources: [objects.yaml]\ncommonLabels: {from: kustomize}\n',
          'app/objects.yaml': OBJECTS.join('---\n'),
        }
      : { 'app/objects.yaml': OBJECTS.join('---\n') };
  const r = render(makeRepo({ ...files, 'app/safe-render.yaml': `namespaces: ["team-*"]\n${config}` }), 'app', [
    '-n',
    'prod',
  ]);
  return {
    code: r.code,
    objs: r.code === 0 ? (parseJsonStream(r.stdout) as Obj[]) : [],
    stderr: r.stderr,
    stdout: r.stdout,
  };
}

const find = (objs: Obj[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name)!;

test('patches apply after kustomize, to the objects chosen by group, kind and name globs', () => {
  requireTools();
  const r = renderPatched(
    'kustomize',
    `patches:
- target: {group: apps, kind: Deployment, name: "web-*"}
  patch:
  - {op: replace, path: /spec/replicas, value: 3}
  - {op: test, path: /metadata/labels/from, value: kustomize}
`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(find(r.objs, 'Deployment', 'web-a').spec!.replicas, 3);
  assert.equal(find(r.objs, 'Deployment', 'web-b').spec!.replicas, 3);
  assert.equal(find(r.objs, 'Deployment', 'api').spec!.replicas, 1, 'name glob does not match api');
  assert.equal(find(r.objs, 'Service', 'web-a').spec!.type, 'ClusterIP', 'kind does not match the Service');
});

test('a namespace glob chooses by metadata.namespace; a kind glob and {a,b} work', () => {
  requireTools();
  const r = renderPatched(
    'plain',
    `patches:
- target: {namespace: "team-*"}
  patch: [{op: add, path: /metadata/labels, value: {team: "yes"}}]
- target: {kind: "{Service,ConfigMap}", name: web-a}
  patch: [{op: add, path: /metadata/annotations, value: {touched: "1"}}]
`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.objs
      .filter((o) => o.metadata.labels?.team)
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort(),
    ['ConfigMap/web-a', 'Deployment/web-b'],
  );
  assert.deepEqual(
    r.objs
      .filter((o) => (o.metadata as { annotations?: unknown }).annotations)
      .map((o) => o.kind)
      .sort(),
    ['ConfigMap', 'Service'],
  );
});

test('group and namespace "*" match every object, the core group and objects without a namespace too', () => {
  // A target of "*" that skipped core objects or objects left to the destination namespace would
  // silently deploy them unpatched.
  const r = renderPatched(
    'plain',
    `patches:
- target: {group: "*", namespace: "*", name: web-a}
  patch: [{op: add, path: /metadata/labels, value: {all: "yes"}}]
`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.objs
      .filter((o) => o.metadata.labels?.all)
      .map((o) => o.kind)
      .sort(),
    ['ConfigMap', 'Deployment', 'Service'],
  );
  // The empty group is the core group.
  const core = renderPatched(
    'plain',
    `patches:
- target: {group: "", name: web-a}
  patch: [{op: add, path: /metadata/labels, value: {core: "yes"}}]
`,
  );
  assert.equal(core.code, 0, core.stderr);
  assert.deepEqual(
    core.objs
      .filter((o) => o.metadata.labels?.core)
      .map((o) => o.kind)
      .sort(),
    ['ConfigMap', 'Service'],
  );
});

test('a patch that does not apply names the patch and the object, exit 2 and nothing emitted', () => {
  requireTools();
  const r = renderPatched(
    'kustomize',
    `patches:
- target: {kind: Service}
  patch: [{op: add, path: /metadata/labels/x, value: "1"}]
- target: {kind: Deployment, name: api}
  patch: [{op: replace, path: /spec/paused, value: true}]
`,
  );
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^error\[render-failed\] safe-render\.yaml: patches\[1\] \(target \{"kind":"Deployment","name":"api"\}\) does not apply to Deployment api \(app \(kustomize output\):\d+\): .+\. Fix: fix the patch operations/m,
  );

  const t = renderPatched(
    'plain',
    `patches:
- target: {kind: Deployment, name: "web-*"}
  patch: [{op: test, path: /spec/replicas, value: 2}, {op: replace, path: /spec/replicas, value: 4}]
`,
  );
  assert.equal(t.code, 2);
  assert.equal(t.stdout, '');
  assert.match(t.stderr, /patches\[0\] .* does not apply to Deployment web-a \(app\/objects\.yaml:1\)/);
});

test('a patch whose target matches nothing is an error that names the patch, exit 2', () => {
  requireTools();
  const r = renderPatched(
    'kustomize',
    `patches:
- target: {kind: Deployment, name: web-a}
  patch: [{op: replace, path: /spec/replicas, value: 2}]
- target: {group: apps, kind: StatefulSet, name: "web-*"}
  patch: [{op: replace, path: /spec/replicas, value: 2}]
`,
  );
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^error\[render-failed\] safe-render\.yaml: patches\[1\] \(target \{"group":"apps","kind":"StatefulSet","name":"web-\*"\}\) matches no object\. Fix: fix the target, or remove the patch/m,
  );
});

test('patches apply to helm output too', () => {
  requireTools();
  const repo = makeRepo({
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/templates/d.yaml': manifest('Deployment', '{{ .Release.Name }}-web', { body: 'spec:\n  replicas: 1\n' }),
    'chart/safe-render.yaml':
      'patches:\n- target: {kind: Deployment, name: "*-web"}\n  patch: [{op: replace, path: /spec/replicas, value: 2}]\n',
  });
  const r = render(repo, 'chart', ['--app', 'shop', '-n', 'prod']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    parseJsonStream(r.stdout).map((o) => [
      (o.metadata as { name: string }).name,
      (o.spec as { replicas: number }).replicas,
    ]),
    [['shop-web', 2]],
  );
});

// Patches run before invalid-object, so the kind and name in this message are unchecked input: a bidi
// override, a line separator or 100k characters were printed as they were; a list kind printed its
// items (review9, issue 9 §1).
test('a patch that does not apply shows an unchecked kind and name escaped and bounded on one line', () => {
  const variants: [string, string, RegExp][] = [
    ['"Config\\u202eMap"', 'web', /does not apply to Config\\u202eMap web /],
    ['"Config\\u2028Map\\nx"', 'web', /does not apply to Config\\u2028Map\\nx web /],
    ['"ConfigMap"', '"a\\u0000b\\u001b[31m"', /does not apply to ConfigMap a\\x00b\\x1b\[31m /],
    ['"ConfigMap"', `"${'n'.repeat(100_000)}"`, /does not apply to ConfigMap n{80}… /],
    ['[Secret, c2VjcmV0LXZhbHVl]', 'web', /does not apply to \(a list\) web /],
    ['{inner: c2VjcmV0LXZhbHVl}', '[c2VjcmV0LXZhbHVl]', /does not apply to \(object\) \(a list\) /],
  ];
  for (const [kind, name, want] of variants) {
    const repo = makeRepo({
      'app/objects.yaml': `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\ndata:\n  k: c2VjcmV0LXZhbHVl\n`,
      'app/safe-render.yaml': 'patches:\n- target: {name: "*"}\n  patch: [{op: replace, path: /spec/nope, value: 1}]\n',
    });
    const r = render(repo, 'app');
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, want);
    assert.ok(r.stderr.length < 2000, `${r.stderr.length}`);
    assert.doesNotMatch(
      r.stderr,
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|c2VjcmV0LXZhbHVl/u,
    );
  }
  // The legitimate message is unchanged.
  const ok = makeRepo({
    'app/objects.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    'app/safe-render.yaml': 'patches:\n- target: {name: "*"}\n  patch: [{op: replace, path: /spec/nope, value: 1}]\n',
  });
  assert.match(
    render(ok, 'app').stderr,
    /^error\[render-failed\] safe-render\.yaml: patches\[0\] \(target \{"name":"\*"\}\) does not apply to ConfigMap web \(app\/objects\.yaml:1\): Cannot perform the operation at a path that does not exist\. Fix:/,
  );
});
