// deploy-freeze: the red button. While a freeze is declared, the sidecar refuses every render, so
// Argo CD cannot compute a new desired state and neither syncs nor prunes from new commits. Outside
// the sidecar (render, lock, `ci`) it is a warning: a fix can be prepared and reviewed while production is frozen.
import { matchGlob } from '../../util/glob';
import type { Finding } from '../finding';
import type { Rule } from '../rule';

export const deployFreeze: Rule = {
  id: 'deploy-freeze',
  check({ freezes, app, mode }) {
    const findings: Finding[] = [];
    for (const f of freezes) {
      if (f.apps.length && !f.apps.some((g) => matchGlob(app.appName, g, { nocomment: true }))) continue;
      findings.push({
        rule: 'deploy-freeze',
        severity: mode === 'sidecar' ? 'error' : 'warning',
        sources: [],
        message: `deploys are frozen by ${f.source}: "${f.reason}" (set by ${f.by})`,
        fix:
          mode === 'sidecar'
            ? 'wait for the freeze to be released (see the runbook for who may release it and how)'
            : mode === 'ci'
              ? 'the change can be reviewed and merged; the sidecar refuses every render until the freeze is released'
              : 'this render is only a preview; the sidecar refuses every render until the freeze is released',
      });
    }
    return findings;
  },
};
