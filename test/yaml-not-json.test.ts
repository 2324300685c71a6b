// YAML that Kubernetes cannot turn into JSON fails the render, as it fails in Argo CD, instead of being
// emitted as something nobody wrote. Regression: `.inf`/`.nan` were emitted as null, a null key as "",
// and an unrendered template key such as `{{ .Values.image }}` as the string "{ .Values.image }".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingLines, makeRepo, manifest, render } from './helpers';
import { kubernetesReads } from './k8s-reader';

/** [data entry, what the finding says] for YAML that Kubernetes refuses to turn into JSON. */
const NOT_JSON: Array<[string, RegExp]> = [
  ['a: .inf', /`\.inf` is infinite/],
  ['a: -.Inf', /`-\.Inf` is infinite/],
  ['a: .nan', /`\.nan` is NaN/],
  ['~: a', /map key is null/],
  ['null: a', /map key is null/],
  ['? [a, b]\n  : c', /map key is a list/],
  ['image: {{ .Values.image }}', /map key is a mapping.*unrendered template/],
];

for (const [entry, message] of NOT_JSON) {
  test(`\`${entry.replace('\n', ' ')}\` fails the render, as it fails in Kubernetes`, () => {
    const doc = manifest('ConfigMap', 'c', { body: `data:\n  ok: "1"\n  ${entry}` });
    assert.throws(() => kubernetesReads([doc]), /Kubernetes cannot read/);
    const repo = makeRepo({ 'app/cm.yaml': doc });
    const r = render(repo, 'app', ['--namespace', 'demo']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const [line] = findingLines(r.stderr, 'render-failed');
    assert.match(line ?? '', /^error\[render-failed\] app\/cm\.yaml:7: /);
    assert.match(line!, message);
  });
}
