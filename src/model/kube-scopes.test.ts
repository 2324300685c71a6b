// The scope tables are the facts nothing may redefine (issue 8 §3), so they must not contradict
// each other: a well-known CRD kind in a Kubernetes group could never be a CRD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKubernetesGroup, knownKinds, kubernetesScope, wellKnownScope } from './kube-scopes';

const groupOf = (gk: string) => gk.slice(0, gk.lastIndexOf('/'));

test('kube-scopes: every Kubernetes kind is in a Kubernetes group, and no well-known CRD kind is', () => {
  const { kubernetes, wellKnown } = knownKinds();
  for (const [gk] of kubernetes) assert.ok(isKubernetesGroup(groupOf(gk)), gk);
  for (const [gk] of wellKnown) {
    assert.equal(isKubernetesGroup(groupOf(gk)), false, `${gk}: a CRD cannot live in a Kubernetes group`);
    assert.ok(groupOf(gk).includes('.'), `${gk}: a CRD group has a dot`);
  }
});

test('kube-scopes: lookups keep the two tables apart', () => {
  assert.equal(kubernetesScope('rbac.authorization.k8s.io', 'ClusterRoleBinding'), 'Cluster');
  assert.equal(kubernetesScope('', 'Namespace'), 'Cluster');
  assert.equal(kubernetesScope('cert-manager.io', 'ClusterIssuer'), undefined);
  assert.equal(wellKnownScope('cert-manager.io', 'ClusterIssuer'), 'Cluster');
  assert.equal(wellKnownScope('autoscaling.k8s.io', 'VerticalPodAutoscaler'), 'Namespaced');
  assert.equal(wellKnownScope('', 'Namespace'), undefined);
  // Community groups under k8s.io that are CRDs, not Kubernetes' own API.
  for (const g of ['gateway.networking.k8s.io', 'snapshot.storage.k8s.io', 'metrics.k8s.io', 'core', 'example.com'])
    assert.equal(isKubernetesGroup(g), false, g);
  for (const g of [
    '',
    'apps',
    'batch',
    'policy',
    'autoscaling',
    'extensions',
    'rbac.authorization.k8s.io',
    'networking.k8s.io',
  ])
    assert.ok(isKubernetesGroup(g), g);
});
