import type { LockChange } from '../lock/diff';
import type { RuleId } from '../model/rule-catalog';
import type { Finding } from './finding';

type ChangeOf<K extends LockChange['kind']> = Extract<LockChange, { kind: K }>;

/** One error finding per lock change of `kind`: the shared shape of the rules that compare a render
 * with the app's lock. `describe` gives the object, what changed, and the fix. */
export function lockChangeFindings<K extends LockChange['kind']>(
  rule: RuleId,
  kind: K,
  changes: readonly LockChange[],
  describe: (c: ChangeOf<K>) => { object: string; message: string; fix: string },
): Finding[] {
  return changes
    .filter((c): c is ChangeOf<K> => c.kind === kind)
    .map((c) => ({ rule, severity: 'error' as const, sources: [], ...describe(c) }));
}
