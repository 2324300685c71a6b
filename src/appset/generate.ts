// Offline evaluation of an ApplicationSet (issue 11): the Applications its generators yield, computed
// from the repository alone, the way argo-cd's controller computes them
// (applicationset/controllers/template/template.go GenerateApplications, then
// applicationset_controller.go validateGeneratedApplications). docs/development/ci-appset.md lists what
// is evaluated, what is not and why.
import type { ArgoInstall } from '../config/platform-policy';
import { isPlainObject, type JsonObject, type ManifestObject } from '../model/object';
import type { RepoTree } from '../render/repo-tree';
import { newEvalCtx } from './eval-ctx';
import { AppSetInvalid, MAX_APPS, NotEvaluable } from './limits';
import { finalApplication, renderTemplateParams, templateApplication } from './render-app';
import { GENERATORS, transform } from './transform';
import { applyTemplatePatch } from './template-patch';

export interface AppSetRepo {
  /** This repository's URL as the apps name it; a git generator reading another repository is not evaluated. */
  repoURL: string;
  /** The repository as the git generators list it. */
  tree: () => RepoTree;
  /** A repository file's text through the guarded reader (git files generator), or undefined when absent/unreadable. */
  readFile: (repoRelative: string) => string | undefined;
}

export interface GeneratedApp {
  /** The Application, as the controller would create it (apiVersion, kind, metadata with name and the
   * ApplicationSet's namespace, spec from the template after parameters and templatePatch). */
  body: JsonObject;
  /** Index of the top-level generator that yielded it. */
  generator: number;
}

export interface AppSetResult {
  apps: GeneratedApp[];
  /** Generators that cannot be evaluated offline, by name, with the reason. When any is listed, `apps`
   * holds only what the evaluable generators yield. */
  notEvaluated: { generator: string; why: string }[];
  /** The ApplicationSet is invalid in a way Argo CD would reject (the controller generates nothing and
   * deletes nothing): template errors, a missing key under missingkey=error, duplicate names. */
  errors: string[];
}

const label = (i: number, gen: unknown) => {
  const g = isPlainObject(gen) ? gen : {};
  return GENERATORS.filter((k) => g[k] !== undefined && g[k] !== null).join('+') || `generator ${i + 1}`;
};

export function generateApplications(appSet: ManifestObject, repo: AppSetRepo, install: ArgoInstall): AppSetResult {
  const spec = isPlainObject(appSet.body.spec) ? appSet.body.spec : {};
  const goTemplate = spec.goTemplate === true;
  const options = Array.isArray(spec.goTemplateOptions)
    ? spec.goTemplateOptions.filter((o): o is string => typeof o === 'string')
    : [];
  const ctx = newEvalCtx(goTemplate, options, repo, install);
  const baseTemplate = isPlainObject(spec.template) ? spec.template : {};
  const preserve = isPlainObject(spec.syncPolicy) && spec.syncPolicy.preserveResourcesOnDeletion === true;
  const patch = spec.templatePatch;
  // The Application's namespace is the ApplicationSet's (template.go, the appsets-in-any-namespace boundary).
  const namespace = appSet.namespace || appSet.declaredNamespace;
  const generators = Array.isArray(spec.generators) ? spec.generators : [];

  const apps: GeneratedApp[] = [];
  const notEvaluated: AppSetResult['notEvaluated'] = [];
  const errors: string[] = [];
  const whole = (why: string): AppSetResult => ({
    apps: [],
    notEvaluated: [{ generator: 'ApplicationSet', why }],
    errors: [],
  });

  for (const [i, gen] of generators.entries()) {
    let results;
    try {
      results = transform(isPlainObject(gen) ? gen : {}, baseTemplate, ctx, {}, 'top');
    } catch (e) {
      if (e instanceof NotEvaluable) {
        notEvaluated.push({ generator: e.generator === 'template' ? label(i, gen) : e.generator, why: e.why });
        continue;
      }
      if (e instanceof AppSetInvalid) {
        errors.push(`generator ${i + 1} (${label(i, gen)}): ${e.message}`);
        continue;
      }
      throw e;
    }
    try {
      for (const t of results) {
        const tmpl = templateApplication(t.template);
        for (const p of t.params) {
          let app = renderTemplateParams(tmpl, p, preserve, (s) => ctx.replace(s, p));
          if (typeof patch === 'string') app = applyTemplatePatch(app, ctx.replace(patch, p), ctx);
          apps.push({ body: finalApplication(app, namespace), generator: i });
          if (apps.length > MAX_APPS) return whole(`it generates more than ${MAX_APPS} Applications`);
        }
      }
    } catch (e) {
      if (e instanceof NotEvaluable) return whole(e.why);
      if (e instanceof AppSetInvalid) {
        errors.push(`generator ${i + 1} (${label(i, gen)}): ${e.message}`);
        continue;
      }
      throw e;
    }
  }
  // GenerateApplications returns its first error and the controller generates nothing: no apps.
  if (errors.length) return { apps: [], notEvaluated, errors };
  // validateGeneratedApplications: every Application needs a name, and names are unique (the controller
  // skips every Application of a duplicated name; we refuse the set so CI fails before the controller does).
  const seen = new Map<string, number>();
  for (const a of apps) {
    const name = (a.body.metadata as JsonObject).name as string;
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  const appSetName = appSet.name;
  if (seen.has(''))
    errors.push(
      `ApplicationSet ${appSetName} contains an application with no name; a name must be set in the template's metadata.name or via a templatePatch`,
    );
  for (const [name, n] of seen)
    if (n > 1 && name !== '')
      errors.push(`ApplicationSet ${appSetName} contains applications with duplicate name: ${name}`);
  if (errors.length) return { apps: [], notEvaluated, errors };
  return { apps, notEvaluated, errors };
}
