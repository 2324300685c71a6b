// `lock --application APPSET.yaml --generated NAME` (issue 11, "Adoption in one command"): the
// Application an ApplicationSet of the file generates, exactly as the controller would create it
// (generateApplications: generators, template, templatePatch), so its lock is written under the name
// Argo CD gives it and rendered with the source the controller gives it.
import { generateApplications, type AppSetRepo } from '../appset/generate';
import type { ArgoInstall } from '../config/platform-policy';
import { applicationSetsIn, type ManifestDoc } from '../context/application-manifest';
import { asObject, type JsonObject, type ManifestObject } from '../model/object';
import { excerpt } from '../util/repo-file';
import { UsageError } from '../util/errors';

/** How many generated names a usage error lists. */
const SHOWN_NAMES = 10;

function appSetObject(d: ManifestDoc, file: string, controlPlaneNamespace: string): ManifestObject {
  const meta = asObject(d.value.metadata);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const declared = typeof meta.namespace === 'string' ? meta.namespace : '';
  // Applied without a namespace, an ApplicationSet lands where Argo CD runs (its control-plane namespace).
  const namespace = declared || controlPlaneNamespace;
  return {
    body: d.value,
    source: { file, line: d.line },
    apiVersion: String(d.value.apiVersion),
    kind: 'ApplicationSet',
    group: 'argoproj.io',
    name,
    declaredNamespace: declared,
    namespace,
    scope: 'Namespaced',
    key: `argoproj.io/ApplicationSet/${namespace}/${name}`,
  };
}

/** The literal repoURL of the ApplicationSet's template source, if it has one: the repository its git
 * generators most likely read when no --repo-url says which one this is. */
export function templateRepoURL(docs: readonly ManifestDoc[]): string | undefined {
  for (const d of applicationSetsIn(docs)) {
    const url = asObject(asObject(asObject(asObject(d.value.spec).template).spec).source).repoURL;
    if (typeof url === 'string' && url !== '' && !url.includes('{{')) return url;
  }
  return undefined;
}

/** The Application named `wanted` (`name` or `namespace/name`) that an ApplicationSet of `docs`
 * generates. Anything else is a usage error that says what the file does generate. */
export function generatedApplication(
  docs: readonly ManifestDoc[],
  file: string,
  wanted: string,
  repo: AppSetRepo,
  install: ArgoInstall,
  controlPlaneNamespace: string,
): JsonObject {
  const sets = applicationSetsIn(docs);
  if (!sets.length) throw new UsageError(`--generated: ${file} holds no argoproj.io ApplicationSet`);
  const names: string[] = [];
  const why: string[] = [];
  const found: JsonObject[] = [];
  for (const d of sets) {
    const o = appSetObject(d, file, controlPlaneNamespace);
    const r = generateApplications(o, repo, install);
    for (const e of r.errors) why.push(`ApplicationSet ${o.name}: ${e}`);
    for (const n of r.notEvaluated) why.push(`ApplicationSet ${o.name}: ${n.generator} not evaluated (${n.why})`);
    for (const a of r.apps) {
      const meta = asObject(a.body.metadata);
      const name = typeof meta.name === 'string' ? meta.name : '';
      const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : o.namespace;
      names.push(`${ns}/${name}`);
      if (wanted === name || wanted === `${ns}/${name}`)
        found.push({ ...a.body, metadata: { ...meta, namespace: ns } });
    }
  }
  if (found.length === 1) return found[0]!;
  const shown = excerpt(wanted, 100);
  if (found.length > 1)
    throw new UsageError(
      `--generated ${shown}: ${found.length} generated Applications have that name; give it as NAMESPACE/NAME`,
    );
  const listed = names.slice(0, SHOWN_NAMES).map((n) => excerpt(n, 100));
  const more = names.length > SHOWN_NAMES ? ` and ${names.length - SHOWN_NAMES} more` : '';
  throw new UsageError(
    `--generated ${shown}: the ApplicationSet${sets.length === 1 ? '' : 's'} in ${file} ${names.length ? `generate${sets.length === 1 ? 's' : ''} ${listed.join(', ')}${more}` : 'generate no Application offline'}, not ${shown}${
      why.length
        ? ` (${why
            .slice(0, 3)
            .map((w) => excerpt(w, 200))
            .join('; ')})`
        : ''
    }`,
  );
}
