// finalizer-change: the resources finalizer or preserveResourcesOnDeletion changed on a rendered
// Application or ApplicationSet. With the finalizer, deleting the Application deletes every resource
// it manages; without preserveResourcesOnDeletion, deleting an ApplicationSet does the same to all its apps.
import { canonicalJson } from '../../util/canonical-json';
import { lockChangeFindings } from '../lock-change-findings';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const finalizerChange: Rule = {
  id: 'finalizer-change',
  check: ({ lockChanges, lockState, app }) =>
    lockChangeFindings('finalizer-change', 'finalizer-change', lockChanges, (c) => ({
      object: c.ref,
      message: `deletion behaviour changed from ${canonicalJson(c.was)} to ${canonicalJson(c.now)} (lock: ${lockState.file}); this decides whether deleting it cascades to everything it manages`,
      fix: `if unintended, restore the finalizers and syncPolicy.preserveResourcesOnDeletion; if intended, run ${lockCommand(app, [acceptToken('finalizer-change', { app: app.appName, object: c.ref })])} and commit the lock`,
    })),
};
