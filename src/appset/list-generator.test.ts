import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateApplications } from './generate';
import { appSetObject, appSetYaml, repoOf } from './test-fixtures';

const gen = (spec: string, meta?: string) => generateApplications(appSetObject(appSetYaml(spec, meta)), repoOf(), {});

const TEMPLATE = `  template:
    metadata:
      name: '{{cluster}}-guestbook'
      namespace: ignored
      labels: {env: '{{ cluster }}', 'team-{{cluster}}': x}
      annotations: {a: '{{url}}'}
    spec:
      project: default
      source: {repoURL: https://github.com/argoproj/argo-cd.git, targetRevision: HEAD, path: 'applicationset/examples/list-generator/guestbook/{{cluster}}'}
      destination: {server: '{{url}}', namespace: guestbook}
`;

test('list generator: one Application per element, as the controller creates it (list-example-fasttemplate.yaml)', () => {
  const r = gen(`  generators:
  - list:
      elements:
      - {cluster: engineering-dev, url: 'https://1.2.3.4'}
      - {cluster: engineering-prod, url: 'https://2.4.6.8'}
${TEMPLATE}`);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.notEvaluated, []);
  assert.equal(r.apps.length, 2);
  assert.deepEqual(r.apps[0], {
    generator: 0,
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'engineering-dev-guestbook',
        // template.go: the ApplicationSet's namespace, whatever the template says
        namespace: 'argocd',
        labels: { env: 'engineering-dev', 'team-engineering-dev': 'x' },
        annotations: { a: 'https://1.2.3.4' },
        // RenderTemplateParams adds the resources finalizer when the template has none
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/argoproj/argo-cd.git',
          targetRevision: 'HEAD',
          path: 'applicationset/examples/list-generator/guestbook/engineering-dev',
        },
        destination: { server: 'https://1.2.3.4', namespace: 'guestbook' },
      },
    },
  });
  assert.equal((r.apps[1]!.body.metadata as { name: string }).name, 'engineering-prod-guestbook');
});

test('list generator: values are read as values.KEY; template finalizers and preserveResourcesOnDeletion are kept (TestRenderTemplateParamsFinalizers)', () => {
  const r = gen(`  syncPolicy: {preserveResourcesOnDeletion: true}
  generators:
  - list:
      elements:
      - {cluster: a, values: {size: big}}
  template:
    metadata: {name: '{{cluster}}-{{values.size}}'}
    spec: {project: default}
`);
  assert.deepEqual(r.apps[0]!.body.metadata, { name: 'a-big', namespace: 'argocd' });
  const f = gen(`  generators:
  - list: {elements: [{cluster: a}]}
  template:
    metadata: {name: '{{cluster}}', finalizers: [x]}
    spec: {project: default}
`);
  assert.deepEqual((f.apps[0]!.body.metadata as { finalizers: string[] }).finalizers, ['x']);
});

test('list generator: a non-string value in the default style is an error, as in list.go', () => {
  const r = gen(`  generators:
  - list: {elements: [{cluster: a, replicas: 3}]}
  template:
    metadata: {name: '{{cluster}}'}
    spec: {project: default}
`);
  assert.equal(r.apps.length, 0);
  assert.match(r.errors[0]!, /error parsing value as string/);
});

test('list generator: elementsYaml elements are appended as parsed; an empty element uses the template as it is', () => {
  const r = gen(`  generators:
  - list:
      elements: [{cluster: a}, {}]
      elementsYaml: |
        - cluster: b
        - cluster: c
          values: {x: y}
  template:
    metadata: {name: '{{cluster}}{{values.x}}'}
    spec: {project: default}
`);
  assert.deepEqual(r.errors, []);
  const names = r.apps.map((a) => (a.body.metadata as { name: string }).name);
  // elementsYaml sets are not flattened in the default style: {{values.x}} stays as written.
  assert.deepEqual(names, ['a{{values.x}}', '{{cluster}}{{values.x}}', 'b{{values.x}}', 'c{{values.x}}']);
  // No parameters: RenderTemplateParams returns the template as it is, without the finalizer.
  assert.equal((r.apps[1]!.body.metadata as { finalizers?: unknown }).finalizers, undefined);
});

test('list generator: elementsYaml that is not a list of mappings is an error; too large is not evaluated', () => {
  const bad = gen(`  generators:
  - list: {elementsYaml: 'a: b'}
  template: {metadata: {name: x}, spec: {}}
`);
  assert.match(bad.errors[0]!, /not a list of mappings/);
  const deep = gen(`  generators:
  - list: {elementsYaml: '${'['.repeat(1000)}'}
  template: {metadata: {name: x}, spec: {}}
`);
  assert.deepEqual(
    deep.notEvaluated.map((n) => n.generator),
    ['list'],
  );
});

test('duplicate generated names are an error (applicationset_controller.go validateGeneratedApplications)', () => {
  const r = gen(`  generators:
  - list: {elements: [{cluster: a}, {cluster: a}]}
  template: {metadata: {name: 'app-{{cluster}}'}, spec: {project: default}}
`);
  assert.deepEqual(r.apps, []);
  assert.deepEqual(r.errors, ['ApplicationSet set contains applications with duplicate name: app-a']);
  const empty = gen(`  generators:
  - list: {elements: [{cluster: a}]}
  template: {metadata: {name: '{{nope}}{{cluster}}'}, spec: {project: default}}
`);
  assert.equal((empty.apps[0]!.body.metadata as { name: string }).name, '{{nope}}a');
});

test('generators that need a cluster or an API are not evaluated, by name; the others still yield', () => {
  const r = gen(`  generators:
  - clusters: {}
  - list: {elements: [{cluster: a}]}
  - pullRequest: {github: {owner: o, repo: r}}
  template: {metadata: {name: '{{cluster}}'}, spec: {project: default}}
`);
  assert.deepEqual(
    r.notEvaluated.map((n) => n.generator),
    ['clusters', 'pullRequest'],
  );
  assert.match(r.notEvaluated[0]!.why, /cluster Secrets/);
  assert.equal(r.apps.length, 1);
  assert.equal(r.apps[0]!.generator, 1);
});

test('the Application namespace is the ApplicationSet namespace; a generator template overrides the spec one', () => {
  const r = gen(
    `  generators:
  - list:
      elements: [{cluster: a}]
      template: {metadata: {name: 'own-{{cluster}}'}, spec: {}}
  template: {metadata: {name: '{{cluster}}', labels: {l: v}}, spec: {project: default}}
`,
    'name: set\n  namespace: team-a',
  );
  assert.deepEqual(r.apps[0]!.body.metadata, {
    name: 'own-a',
    namespace: 'team-a',
    labels: { l: 'v' },
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
  });
  assert.deepEqual(r.apps[0]!.body.spec, { project: 'default' });
});

test('list generator: N distinct names yield exactly N Applications (property, fixed seed)', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { maxLength: 30 }), (names) => {
      const elements = JSON.stringify(names.map((n) => ({ n })));
      const r = gen(
        `  generators:\n  - list: {elements: ${elements}}\n  template: {metadata: {name: 'x-{{n}}'}, spec: {}}\n`,
      );
      return (
        r.errors.length === 0 &&
        r.apps.length === names.length &&
        r.apps.every((a, i) => (a.body.metadata as { name: string }).name === `x-${names[i]}`)
      );
    }),
    { seed: 11, numRuns: 100 },
  );
});

test('goTemplate: list elements keep their types; missingkey=error fails the whole ApplicationSet', () => {
  const spec = (options: string) => `  goTemplate: true
  goTemplateOptions: ${options}
  generators:
  - list:
      elements:
      - {cluster: a, replicas: 3, labels: {team: x}}
  template:
    metadata:
      name: '{{ .cluster }}-{{ .replicas }}'
      labels: {team: '{{ .labels.team }}', extra: '{{ .nope }}'}
    spec: {project: default}
`;
  const ok = gen(spec('[]'));
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.apps[0]!.body.metadata, {
    name: 'a-3',
    namespace: 'argocd',
    labels: { team: 'x', extra: '<no value>' },
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
  });
  const strict = gen(spec('["missingkey=error"]'));
  assert.deepEqual(strict.apps, []);
  assert.match(strict.errors[0]!, /map has no entry for key "nope"/);
});

test('goTemplate: an unknown sprig function makes the ApplicationSet not evaluated, with the reason', () => {
  const r = gen(`  goTemplate: true
  generators:
  - list: {elements: [{cluster: a}]}
  template: {metadata: {name: '{{ .cluster }}-{{ now }}'}, spec: {}}
`);
  assert.deepEqual(r.apps, []);
  assert.deepEqual(r.notEvaluated, [
    { generator: 'ApplicationSet', why: 'the template function now is not evaluated offline' },
  ]);
});
