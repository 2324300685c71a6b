// app-destination-change: a rendered Argo CD Application (or ApplicationSet template, or AppProject)
// now deploys somewhere else, or from somewhere else, than the lock records. Re-pointing an Application
// prunes everything at the old place (argo-cd#9172; InfluxData seen from the parent app).
import { canonicalJson } from '../../util/canonical-json';
import type { Finding } from '../finding';
import { lockCommand } from '../lock-hint';
import type { Rule } from '../rule';

export const appDestinationChange: Rule = {
  id: 'app-destination-change',
  check({ lockChanges, lockState, app }) {
    const findings: Finding[] = [];
    for (const c of lockChanges) {
      if (c.kind !== 'destination-change') continue;
      findings.push({
        rule: 'app-destination-change', severity: 'error', object: c.ref, sources: [],
        message: `${c.field} changed from ${canonicalJson(c.was ?? null)} to ${canonicalJson(c.now ?? null)} (lock: ${lockState.file}); Argo CD would prune what it deployed at the old ${c.field === 'destination' ? 'destination' : 'source'}`,
        fix: `if unintended, restore the ${c.field}; if intended, run ${lockCommand(app, [`app-destination-change:${c.ref}`])} and commit the lock`,
      });
    }
    return findings;
  },
};
