// The repository's Applications that select files by name (issue 13, migrate): ci's discovery (every
// Application and ApplicationSet in the repository's files, ApplicationSets evaluated offline) reduced
// to the sources of this repository that set `directory.include` / `directory.exclude` (or a plugin's
// include/exclude parameters), with the folder each renders. src/migrate/name-selectors.ts decides
// from them which files may be split; the command hands them in (migrate sits below ci).
import { realpathSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { generateApplications } from '../appset/generate';
import { appSetRepoAt } from './appset-repo';
import type { NameSelector, UnknownSelector } from '../migrate/name-selectors';
import { asObject, isPlainObject, type JsonObject, type ManifestObject } from '../model/object';
import { UsageError } from '../util/errors';
import { excerpt, isInside } from '../util/repo-file';
import { sameRepository } from '../util/repo-url';
import { discoverArgoObjects } from './discover';

export interface RepositorySelectors {
  selectors: NameSelector[];
  unknown: UnknownSelector[];
  /** Applications and ApplicationSets found in the repository's files. */
  found: number;
}

const nameOf = (body: JsonObject) => String(asObject(body.metadata).name ?? '');

/** The folder a source renders, relative to the repository root, or undefined when Argo CD would
 * render nothing there: the path leaves the repository or does not exist. Argo CD joins the path under
 * the checkout (a leading `/` stays inside) and follows links inside it, so the real folder is compared. */
function sourceDir(root: string, path: unknown): string | undefined {
  const clean = posix.normalize(`./${typeof path === 'string' ? path : ''}`);
  if (clean === '..' || clean.startsWith('../')) return undefined;
  let real: string;
  try {
    real = realpathSync(join(root, clean));
  } catch {
    return undefined;
  }
  if (!isInside(root, real)) return undefined;
  return relative(root, real).split(sep).join('/');
}

const globText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The name-selecting sources of one Application. `repoURL` undefined: the repository is not known,
 * and every source counts as this repository's. */
export function selectorsOfApp(
  body: JsonObject,
  app: string,
  root: string,
  repoURL: string | undefined,
  rootKnown = true,
): NameSelector[] {
  const spec = asObject(body.spec);
  // HasMultipleSources: spec.sources, when it has any, replaces spec.source.
  const multi = Array.isArray(spec.sources) && spec.sources.length > 0 ? (spec.sources as unknown[]) : undefined;
  const sources = multi
    ? multi.map((s, i) => ({ s: asObject(s), at: `sources[${i}].` }))
    : [{ s: asObject(spec.source), at: '' }];
  const out: NameSelector[] = [];
  for (const { s, at } of sources) {
    if (repoURL !== undefined && !sameRepository(typeof s.repoURL === 'string' ? s.repoURL : '', repoURL)) continue;
    const found: Omit<NameSelector, 'app' | 'dir'>[] = [];
    const directory = asObject(s.directory);
    for (const key of ['include', 'exclude'] as const)
      if (isSet(directory[key]))
        found.push({
          // Only `false` (or none) reads the folder alone; a value Argo CD would reject counts as recursive,
          // which covers more files, never fewer.
          recurse: isSet(directory.recurse) && directory.recurse !== false,
          field: `${at}directory.${key}`,
          glob: globText(directory[key]),
          // A value that is not a string fails to unmarshal in Argo CD: never decided (argoGlob refuses `[`/`{`).
          argoGlob: typeof directory[key] === 'string',
        });
    // safe-render's own include/exclude parameters select files the same way (its glob, its recurse):
    // never decided here, the file stays.
    const params = Array.isArray(asObject(s.plugin).parameters) ? (asObject(s.plugin).parameters as unknown[]) : [];
    for (const p of params.map(asObject))
      if ((p.name === 'include' || p.name === 'exclude') && (isSet(p.string) || isSet(p.array)))
        found.push({
          recurse: true,
          field: `${at}plugin parameter ${p.name}`,
          glob: globText(isSet(p.array) ? p.array : p.string),
          argoGlob: false,
        });
    if (!found.length) continue;
    // Without the repository's root a source's path means nothing: '' (the caller treats it as unknown).
    const dir = rootKnown ? sourceDir(root, s.path) : '';
    if (dir === undefined) continue;
    for (const f of found) out.push({ app, dir, ...f });
  }
  return out;
}

/** The `template` objects of an ApplicationSet's generators (matrix and merge nest generators), or
 * undefined past a bound (10,000 nodes walked): the caller then assumes the worst. */
function generatorTemplates(spec: JsonObject): unknown[] | undefined {
  const out: unknown[] = [];
  const stack: unknown[] = [spec.generators];
  for (let seen = 0; stack.length;) {
    const v = stack.pop();
    if (++seen > 10_000) return undefined;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isPlainObject(v))
      for (const [k, child] of Object.entries(v)) {
        if (k === 'template') out.push(child);
        stack.push(child);
      }
  }
  return out;
}

/** Whether an ApplicationSet could generate a name-selecting source: its template, or a generator's
 * own `template`, names `include`/`exclude`, or a templatePatch could add anything. A parameter can
 * fill a value, never add a key; the generators' own fields (a git directory entry's `exclude: true`)
 * are not the Application's. */
function maySelectByName(spec: JsonObject): boolean {
  if (typeof spec.templatePatch === 'string') return true;
  const names = (t: unknown) => /"(include|exclude)":/.test(JSON.stringify(t) ?? '');
  const own = generatorTemplates(spec);
  return own === undefined || names(spec.template) || own.some(names);
}

/** The template's spec when every Application the set can generate has the same sources as far as
 * selecting files goes: no templatePatch, no generator's own template, and no `{{` (a parameter, in
 * either template syntax) in a source's repoURL, path, directory or plugin. Then the sources read the
 * same folders with the same globs whatever the generators yield, and are judged once. */
function literalTemplateSpec(spec: JsonObject): JsonObject | undefined {
  if (spec.templatePatch !== undefined && spec.templatePatch !== null) return undefined;
  if (generatorTemplates(spec)?.length !== 0) return undefined;
  const tspec = asObject(asObject(spec.template).spec);
  const sources = [tspec.source, ...(Array.isArray(tspec.sources) ? tspec.sources : [])].map(asObject);
  for (const s of sources)
    if ((JSON.stringify([s.repoURL, s.path, s.directory, s.plugin]) ?? '').includes('{{')) return undefined;
  return tspec;
}

const couldNotEvaluate = (why: string) =>
  `could not be evaluated offline (${excerpt(why, 160)}) and may generate an Application that selects files by name`;

function appSetObject(body: JsonObject, definedIn: { file: string; line: number }): ManifestObject {
  const meta = asObject(body.metadata);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  return {
    body,
    source: definedIn,
    apiVersion: String(body.apiVersion),
    kind: 'ApplicationSet',
    group: 'argoproj.io',
    name: nameOf(body),
    declaredNamespace: ns,
    namespace: ns,
    scope: 'Namespaced',
    key: `argoproj.io/ApplicationSet/${ns}/${nameOf(body)}`,
  };
}

/** Every Application (in a file, or generated by an ApplicationSet of a file) of the repository at
 * `root` that selects files by name. Bounded by discovery's limits (it stops with a usage error past
 * them) and the ApplicationSet evaluator's. */
export function repositorySelectors(root: string, repoURL: string | undefined, rootKnown = true): RepositorySelectors {
  let discovery;
  try {
    discovery = discoverArgoObjects(root);
  } catch (e) {
    if (e instanceof UsageError)
      throw new UsageError(`migrate looks for the Argo CD Applications of the repository first: ${e.message}`);
    throw e;
  }
  // An unknown repository: the git generators read this one (the sidecar would read the one named).
  const appSetRepo = appSetRepoAt(root, repoURL ?? '');
  const selectors: NameSelector[] = [];
  const unknown: UnknownSelector[] = [];
  for (const f of discovery.objects) {
    const name = nameOf(f.body);
    if (f.kind === 'Application') {
      selectors.push(...selectorsOfApp(f.body, `Application ${name}`, root, repoURL, rootKnown));
      continue;
    }
    const label = `ApplicationSet ${name}`;
    const spec = asObject(f.body.spec);
    let result;
    try {
      result = generateApplications(appSetObject(f.body, f.definedIn), appSetRepo, {});
    } catch (e) {
      if (!maySelectByName(spec)) continue;
      unknown.push({ app: label, why: couldNotEvaluate(e instanceof Error ? e.message : String(e)) });
      continue;
    }
    // Not evaluated, or invalid (the controller then keeps the Applications it made before): what it
    // generates is unknown, and may select files by name.
    const why = [...result.notEvaluated.map((n) => `${n.generator}: ${n.why}`), ...result.errors][0];
    const literal = result.errors.length === 0 ? literalTemplateSpec(spec) : undefined;
    if (why !== undefined && literal)
      selectors.push(
        ...selectorsOfApp({ spec: literal }, `${label} (each Application it generates)`, root, repoURL, rootKnown),
      );
    else if (why !== undefined && maySelectByName(spec)) unknown.push({ app: label, why: couldNotEvaluate(why) });
    for (const g of result.apps)
      if (isPlainObject(g.body))
        selectors.push(...selectorsOfApp(g.body, `Application ${nameOf(g.body)} (${label})`, root, repoURL, rootKnown));
  }
  const order = (a: { app: string }, b: { app: string }) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0);
  return { selectors: selectors.sort(order), unknown: unknown.sort(order), found: discovery.objects.length };
}
