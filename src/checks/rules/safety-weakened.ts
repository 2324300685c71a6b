// safety-weakened: a safety switch recorded in the lock is gone: Prune=false / Delete=false sync
// options, helm.sh/resource-policy: keep, Flux prune: disabled, or a rendered Application turning on
// automated prune or allowEmpty. Terraform's prevent_destroy is lost exactly this way, by editing the
// object that carries it; the lock keeps the old value so the removal is seen.
import { lockChangeFindings } from '../lock-change-findings';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const safetyWeakened: Rule = {
  id: 'safety-weakened',
  check: ({ lockChanges, lockState, app }) =>
    lockChangeFindings('safety-weakened', 'safety-weakened', lockChanges, (c) => ({
      object: c.ref,
      message: `${c.what} (lock: ${lockState.file})`,
      fix: `if unintended, put the switch back; if intended, run ${lockCommand(app, [acceptToken('safety-weakened', { app: app.appName, object: c.ref })])} and commit the lock`,
    })),
};
