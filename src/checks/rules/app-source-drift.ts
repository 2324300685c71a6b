// app-source-drift: the app is rendered from another repository or path than its lock records. Seen
// from the child app, this is the InfluxData incident: the production Application was re-pointed at a
// new path, which rendered something else, and auto-prune deleted the rest.
import { lockChangeFindings } from '../lock-change-findings';
import { acceptToken } from '../../model/rule-catalog';
import { lockCommand } from '../../lock/lock-hint';
import type { Rule } from '../rule';

export const appSourceDrift: Rule = {
  id: 'app-source-drift',
  check: ({ lockChanges, lockState, app }) =>
    lockChangeFindings('app-source-drift', 'source-drift', lockChanges, (c) => ({
      object: `app ${app.appName}`,
      message: `is rendered from ${c.field} "${c.now}" but its lock (${lockState.file}) records "${c.was}"; the Application may have been re-pointed by mistake`,
      fix: `check spec.source of Application "${app.appName}" (and any duplicate Application of that name); if the move is intended, run ${lockCommand(app, [acceptToken('app-source-drift', { app: app.appName })])} and commit the lock`,
    })),
};
