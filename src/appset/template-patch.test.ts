import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateApplications } from './generate';
import { appSetObject, appSetYaml, repoOf } from './test-fixtures';

const gen = (spec: string) => generateApplications(appSetObject(appSetYaml(spec)), repoOf(), {});
const body = `  goTemplate: true
  generators:
  - list:
      elements:
      - {cluster: a, autoSync: true, prune: true, labels: {x: '1'}}
      - {cluster: b, autoSync: false}
  template:
    metadata: {name: '{{ .cluster }}', labels: {keep: k, drop: d}, finalizers: [f1]}
    spec:
      project: default
      source: {repoURL: https://x/y.git, path: 'apps/{{ .cluster }}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{ .cluster }}'}
`;

// argo-cd applicationset/controllers/template/template_test.go / patch_test.go: the rendered patch is
// merged into the Application; the project cannot be changed by it.
test('templatePatch: rendered per parameter set and merged into the Application (patch.go)', () => {
  const r = gen(`${body}  templatePatch: |
    metadata:
      labels:
        drop: null
        {{- range $k, $v := .labels }}
        {{ $k }}: {{ $v | quote }}
        {{- end }}
      finalizers: [f2, f1]
    spec:
      project: hijacked
    {{- if .autoSync }}
      syncPolicy:
        automated:
          prune: {{ .prune }}
    {{- end }}
`);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.notEvaluated, []);
  const [a, b] = r.apps.map((x) => x.body);
  assert.deepEqual(a!.metadata, {
    name: 'a',
    namespace: 'argocd',
    labels: { keep: 'k', x: '1' },
    finalizers: ['f1', 'f2'],
  });
  assert.deepEqual((a!.spec as { syncPolicy: unknown }).syncPolicy, { automated: { prune: true } });
  // finalApp.Spec.Project = app.Spec.Project
  assert.equal((a!.spec as { project: string }).project, 'default');
  assert.equal((b!.spec as { syncPolicy?: unknown }).syncPolicy, undefined);
});

test('templatePatch: invalid patches are errors; directives are not evaluated', () => {
  assert.match(gen(`${body}  templatePatch: 'spec: [1]'\n`).errors[0]!, /invalid templatePatch/);
  assert.match(gen(`${body}  templatePatch: '{not json'\n`).errors[0]!, /not valid JSON/);
  const d = gen(`${body}  templatePatch: |\n    metadata:\n      $patch: replace\n`);
  assert.match(d.notEvaluated[0]!.why, /patch directive \$patch/);
});
