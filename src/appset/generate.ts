// Offline evaluation of an ApplicationSet (issue 11): the Applications its generators yield, computed
// from the repository alone. STUB: the API the rest of `ci` is written against; the appset helper
// replaces the body.
import type { ArgoInstall } from '../config/platform-policy';
import type { JsonObject, ManifestObject } from '../model/object';
import type { RepoTree } from '../render/repo-tree';

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

export function generateApplications(appSet: ManifestObject, repo: AppSetRepo, install: ArgoInstall): AppSetResult {
  void appSet;
  void repo;
  void install;
  return { apps: [], notEvaluated: [{ generator: 'all', why: 'not implemented yet' }], errors: [] };
}
