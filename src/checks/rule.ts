import type { AppConfig } from '../config/app-config';
import type { AppContext } from '../context/app-context';
import type { ManifestObject } from '../model/object';
import type { AppliedPolicy } from '../config/platform-policy';
import type { Freeze } from '../context/freeze';
import type { Finding } from './finding';
import type { LockState } from '../lock/store';
import type { LockChange } from '../lock/diff';
import type { RuleId } from '../model/rule-catalog';
import type { RepoTree } from '../render/repo-tree';

/** `sidecar`: generate inside Argo CD, where anything that can delete must refuse. `preview`: render
 * on a laptop, where a freeze is reported but the work can go on. `ci`: `safe-render ci` (issue 11),
 * the sidecar's verdict before the merge, except that a freeze is a warning (it stops deploys, not
 * reviews) and a stale lock is an error (CI is where locks are kept true). */
export type RunMode = 'sidecar' | 'preview' | 'ci';

export interface CheckEnv {
  app: AppContext;
  config: AppConfig;
  /** The platform policy entry for this app; undefined when no policy is installed. */
  policy?: AppliedPolicy;
  freezes: readonly Freeze[];
  mode: RunMode;
  /** The app's lock, when the repository has one for it. */
  lockState: LockState;
  /** Folders and files of the repository (repo-relative), listed only when a rule asks. */
  repoTree: () => RepoTree;
  /** A repository file's text (repo-relative path) through the guarded reader, memoised; undefined when
   * absent or refused (a link out of the repository, too large, not UTF-8). ApplicationSet git files
   * generators read their files through it (issue 11). */
  readRepoFile: (repoRelative: string) => string | undefined;
  /** `.argocd-source*.yaml` files in the app folder (names), which Argo CD merges into the source. */
  sourceOverrides?: readonly string[];
}

export type { RepoTree };

export interface CheckInput extends CheckEnv {
  /** Valid objects in render order, each with its identity and scope. */
  objects: readonly ManifestObject[];
  /** How the render differs from the app's lock; empty without a lock. */
  lockChanges: readonly LockChange[];
  /** Kinds protected for this app besides the built-in ones (app config and policy). */
  protectedKinds: readonly string[];
}

/** A rule is a pure function of the render: it never reads files or the environment. */
export interface Rule {
  /** Its entry in the rule catalog (src/model/rule-catalog.ts). */
  id: RuleId;
  check(input: CheckInput): Finding[];
}
