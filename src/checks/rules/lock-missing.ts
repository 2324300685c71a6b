// lock-missing: the app should have a lock and has none. Either the repository's index lists the app
// (its lock was deleted, perhaps together with the objects it protected), or the platform policy
// requires a lock for this app. Without a lock no deletion can be measured, so the sidecar refuses.
import { INDEX_FILE } from '../../lock/store';
import type { Finding } from '../finding';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const lockMissing: Rule = {
  id: 'lock-missing',
  check({ lockState, policy, app }) {
    if (lockState.lock) return [];
    const findings: Finding[] = [];
    if (lockState.indexed) {
      findings.push({
        rule: 'lock-missing',
        severity: 'error',
        object: `app ${app.appName}`,
        sources: [],
        message: `${INDEX_FILE} lists this app but its lock ${lockState.file} is missing`,
        fix: `restore ${lockState.file} from Git history; if the app really has no baseline any more, run ${lockCommand(app)} and review every object in the diff`,
      });
    } else if (policy?.limits.requireLock) {
      findings.push({
        rule: 'lock-missing',
        severity: 'error',
        object: `app ${app.appName}`,
        sources: [],
        message: `the platform policy ${policy.file} (${policy.entry}) requires a lock and ${lockState.file} does not exist`,
        fix: `run ${lockCommand(app)} and commit ${lockState.file}`,
      });
    }
    return findings;
  },
};
