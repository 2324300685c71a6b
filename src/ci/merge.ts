// `ci merge`: shards' JSON reports joined into one verdict (issue 11). STUB: the cross helper implements it.
import type { CiReport } from './report-model';

/** Joins shard reports read from JSON (`unknown`, validated here); a report that is not a shard of the
 * same run is an Error value with a message for the user. */
export function mergeReports(reports: readonly { file: string; value: unknown }[]): CiReport | { error: string } {
  void reports;
  return { error: 'ci merge is not implemented yet' };
}
