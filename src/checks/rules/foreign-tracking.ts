// foreign-tracking: an object that carries another Application's tracking annotation, usually a copy
// of a live export. Argo CD overwrites the annotation, so both apps then claim the object and fight
// over it, and deleting either app can prune it (threat model, "refuse to take over objects").
import { annotationsOf, displayRef } from '../../model/identity';
import type { Finding } from '../finding';
import type { Rule } from '../rule';

export const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

export const foreignTracking: Rule = {
  id: 'foreign-tracking',
  check({ objects, app }) {
    const findings: Finding[] = [];
    for (const o of objects) {
      const value = annotationsOf(o.body)[TRACKING_ID];
      if (value === undefined) continue;
      const owner = typeof value === 'string' ? value.slice(0, value.indexOf(':') < 0 ? value.length : value.indexOf(':')) : '';
      if (owner === app.appName) continue;
      findings.push({
        rule: 'foreign-tracking', severity: 'error', object: displayRef(o), sources: [o.source],
        message: `carries ${TRACKING_ID} of application "${owner}", not of this app "${app.appName}"`,
        fix: `remove the ${TRACKING_ID} annotation (Argo CD sets it); if the object belongs to "${owner}", leave it there and delete this copy`,
      });
    }
    return findings;
  },
};
