// What each ApplicationSet of a render generates, evaluated offline from the repository (issue 11), in
// the shape the lock records: `namespace/name` of every Application, and the applicationsSync policy
// when it never deletes. An ApplicationSet with a generator we cannot evaluate (or that Argo CD would
// reject) records nothing: we cannot name what it generates, and appset-may-shrink already asks for
// preserveResourcesOnDeletion there. Pure but for the repository reads the env provides.
import { generateApplications } from '../appset/generate';
import { KEEPING_POLICIES, GENERATED_NAME } from '../lock/lock-file';
import { objectRef, type GeneratedNames } from '../lock/snapshot';
import { asObject, type ManifestObject } from '../model/object';
import { effectivePolicy } from './rules/appset-may-shrink';
import type { CheckEnv } from './rule';

/** `namespace/name` of a generated Application, as the controller creates it: in the ApplicationSet's
 * namespace unless the template names one (argo-cd applicationset_controller.go createOrUpdateInCluster
 * sets the ApplicationSet's namespace on every generated Application). */
function generatedName(body: unknown, appSet: ManifestObject): string {
  const meta = asObject(asObject(body).metadata);
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : appSet.namespace;
  return `${ns}/${typeof meta.name === 'string' ? meta.name : ''}`;
}

export function generatedNamesOf(
  objects: readonly ManifestObject[],
  env: Pick<CheckEnv, 'app' | 'policy' | 'repoTree' | 'readRepoFile'>,
): Map<string, GeneratedNames> {
  const out = new Map<string, GeneratedNames>();
  const install = env.policy?.argocd ?? {};
  for (const o of objects) {
    if (o.group !== 'argoproj.io' || o.kind !== 'ApplicationSet') continue;
    const r = generateApplications(
      o,
      { repoURL: env.app.repoURL, tree: env.repoTree, readFile: env.readRepoFile },
      install,
    );
    if (r.notEvaluated.length || r.errors.length) continue;
    const names = r.apps.map((a) => generatedName(a.body, o));
    // A name Kubernetes would refuse is an error Argo CD reports (it creates nothing): record nothing
    // rather than a name the lock cannot hold.
    if (names.some((n) => !GENERATED_NAME.test(n))) continue;
    const policy = effectivePolicy(asObject(o.body.spec), install);
    out.set(objectRef(o), { names, ...(KEEPING_POLICIES.includes(policy) ? { applicationsSync: policy } : {}) });
  }
  return out;
}
