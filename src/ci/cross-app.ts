// Findings about the repository as a whole (issue 11): what no single app's render can show. STUB:
// the cross helper implements it; the signature is what `ci` and `ci merge` call.
import type { Finding } from '../model/finding';
import type { CiApp } from './report-model';

export interface RepositoryCheckOptions {
  /** The repository-wide deletion budget: deletions summed over every app above which `ci` refuses. */
  maxDeletions: number;
  /** Apps that have a lock in `.safe-render/` (the index): one no app generates any more is reported.
   * Undefined when unknown (a shard cannot know every app). */
  lockedApps?: readonly string[];
}

export const DEFAULT_MAX_DELETIONS = 50;

export function repositoryFindings(apps: readonly CiApp[], opts: RepositoryCheckOptions): Finding[] {
  void apps;
  void opts;
  return [];
}
