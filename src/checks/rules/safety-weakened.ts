// safety-weakened: a safety switch recorded in the lock is gone: Prune=false / Delete=false sync
// options, helm.sh/resource-policy: keep, Flux prune: disabled, or a rendered Application turning on
// automated prune or allowEmpty. Terraform's prevent_destroy is lost exactly this way, by editing the
// object that carries it; the lock keeps the old value so the removal is seen.
import type { Finding } from '../finding';
import { lockCommand } from '../lock-hint';
import type { Rule } from '../rule';

export const safetyWeakened: Rule = {
  id: 'safety-weakened',
  check({ lockChanges, lockState, app }) {
    const findings: Finding[] = [];
    for (const c of lockChanges) {
      if (c.kind !== 'safety-weakened') continue;
      findings.push({
        rule: 'safety-weakened', severity: 'error', object: c.ref, sources: [],
        message: `${c.what} (lock: ${lockState.file})`,
        fix: `if unintended, put the switch back; if intended, run ${lockCommand(app, [`safety-weakened:${c.ref}`])} and commit the lock`,
      });
    }
    return findings;
  },
};
