// appset-app-removed: an ApplicationSet of the render no longer generates an Application the app's lock
// records for it (issue 11): a template rename (`{{name}}-app` -> `{{name}}-svc`), a removed list
// element, a folder renamed under a git directories generator. The ApplicationSet controller deletes
// the Application it no longer generates (argo-cd applicationset/controllers/applicationset_controller.go
// deleteInCluster, when the policy AllowDelete()s: sync, create-delete), and the Application's resources finalizer
// deletes everything it deployed (argo-cd#9227). Like an object deletion, refused until a person
// accepts it by name in a reviewed lock. Under create-only/create-update the controller keeps the
// Application, nothing is deleted, and the lock is merely stale (lock-stale).
import { lockChangeFindings } from '../lock-change-findings';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import { generatedAppRef } from '../../lock/snapshot';
import type { LockChange } from '../../lock/diff';
import type { Rule } from '../rule';

export const appsetAppRemoved: Rule = {
  id: 'appset-app-removed',
  check: ({ lockChanges, lockState, app }) =>
    lockChangeFindings(
      'appset-app-removed',
      'generated-removed',
      lockChanges.filter((c: LockChange) => c.kind !== 'generated-removed' || !c.kept),
      (c) => ({
        object: generatedAppRef(c.name),
        message: `ApplicationSet ${c.ref} no longer generates the Application ${c.name}, which the lock (${lockState.file}) records; the ApplicationSet controller would delete that Application and, through its resources finalizer, everything it deployed (argo-cd#9227)`,
        fix: `if this is an accident, restore the generator input (the list element, the folder under the git generator, the name template); to keep what it deployed while it goes, set spec.syncPolicy.preserveResourcesOnDeletion: true or applicationsSync: create-update on the ApplicationSet first; if the removal is intended, run ${lockCommand(app, [acceptToken('appset-app-removed', { app: app.appName, object: generatedAppRef(c.name) })])} and commit the lock with the change`,
      }),
    ),
};
