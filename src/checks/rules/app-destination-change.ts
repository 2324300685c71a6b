// app-destination-change: a rendered Argo CD Application (or ApplicationSet template, or AppProject)
// now deploys somewhere else, or from somewhere else, than the lock records. Re-pointing an Application
// prunes everything at the old place (argo-cd#9172; InfluxData seen from the parent app). A source
// change is any field that decides what the child renders or whether safe-render guards it: the plugin,
// its env and parameters, directory/kustomize/helm settings, value files, inline values (as a digest),
// `sources` added or removed, an ApplicationSet's templatePatch (issue 8 §4, lock/app-source.ts).
import { describeDestinationChange } from '../../lock/diff';
import { lockChangeFindings } from '../lock-change-findings';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const appDestinationChange: Rule = {
  id: 'app-destination-change',
  check: ({ lockChanges, lockState, app }) =>
    lockChangeFindings('app-destination-change', 'destination-change', lockChanges, (c) => ({
      object: c.ref,
      message: `${describeDestinationChange(c)} (lock: ${lockState.file}); what it deployed ${c.field === 'destination' ? 'at the old destination is pruned or abandoned' : 'from the old source is replaced by whatever the new one renders'}`,
      fix: `if unintended, restore the ${c.field}; if intended, run ${lockCommand(app, [acceptToken('app-destination-change', { app: app.appName, object: c.ref })])} and commit the lock`,
    })),
};
