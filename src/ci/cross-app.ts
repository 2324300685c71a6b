// Findings about the repository as a whole (issue 11, "Checks across apps"): what no single app's
// render can show. `ci` calls it over its apps, and `ci merge` again over every shard's apps (a shard
// alone cannot see a collision with another shard's app, nor the whole deletion sum). One file per rule.
import type { Finding } from '../model/finding';
import { crossAppCollisions, duplicateApplications } from './cross-app-collision';
import { orphanedLocks } from './lock-orphaned';
import { repoMassDeletion } from './repo-mass-deletion';
import type { CiApp, NotEvaluated } from './report-model';

export interface RepositoryCheckOptions {
  /** The repository-wide deletion budget: deletions summed over every app above which `ci` refuses. */
  maxDeletions: number;
  /** Apps that have a lock in `.safe-render/` (the index): one no app generates any more is reported.
   * Undefined when unknown (a shard cannot know every app). */
  lockedApps?: readonly string[];
  /** The generators not evaluated offline: when there are any, a lock whose app is not found may be
   * one of theirs, and lock-orphaned is a warning instead of an error. */
  notEvaluated?: readonly NotEvaluated[];
}

export const DEFAULT_MAX_DELETIONS = 50;

/** Collisions (sorted by object), then the deletion budget, then orphaned locks (sorted by app). */
export function repositoryFindings(apps: readonly CiApp[], opts: RepositoryCheckOptions): Finding[] {
  return [
    ...crossAppCollisions(apps),
    ...duplicateApplications(apps),
    ...repoMassDeletion(apps, opts.maxDeletions),
    ...(opts.lockedApps ? orphanedLocks(apps, opts.lockedApps, opts.notEvaluated) : []),
  ];
}
