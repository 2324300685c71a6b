// foreign-tracking: an object that carries another Application's tracking annotation, usually a copy
// of a live export. Argo CD overwrites the annotation, so both apps then claim the object and fight
// over it, and deleting either app can prune it (threat model, "refuse to take over objects").
// When the platform policy says the install tracks by label (argocd.trackingMethod: label), Argo CD
// reads the owner from the instance label instead (util/argo/resource_tracking.go `GetAppName`): its
// value is the owning app's instance name, compared whole (label-only tracking is no longer truncated
// since v3.5.0, contract §10). With `annotation+label` the label is only a copy and the annotation
// decides, so the label is read in `label` mode only. The annotation is read in every mode: an install
// can change its mode, and the copy of another app's object is the mistake either way.
import { annotationsOf, displayRef, metadataOf } from '../../model/identity';
import { asObject } from '../../model/object';
import type { Finding } from '../finding';
import type { Rule } from '../rule';

export const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** argocd-cm `application.instanceLabelKey` when the install does not set it. */
export const DEFAULT_INSTANCE_LABEL = 'app.kubernetes.io/instance';

function labelsOf(body: Record<string, unknown>): Record<string, unknown> {
  return asObject(metadataOf(body).labels);
}

/** A label value as it may appear in one finding line: a valid label value as is, anything else quoted and cut. */
function shownValue(v: unknown): string {
  if (typeof v === 'string' && /^[-A-Za-z0-9_.]{1,63}$/.test(v)) return v;
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return JSON.stringify(s.length > 63 ? `${s.slice(0, 63)}…` : s).slice(1, -1);
}

export const foreignTracking: Rule = {
  id: 'foreign-tracking',
  check({ objects, app, policy }) {
    const findings: Finding[] = [];
    const byLabel = policy?.argocd?.trackingMethod === 'label';
    const labelKey = policy?.argocd?.instanceLabelKey ?? DEFAULT_INSTANCE_LABEL;
    for (const o of objects) {
      const value = annotationsOf(o.body)[TRACKING_ID];
      if (value !== undefined) {
        const owner =
          typeof value === 'string' ? value.slice(0, value.indexOf(':') < 0 ? value.length : value.indexOf(':')) : '';
        if (owner !== app.appName) {
          findings.push({
            rule: 'foreign-tracking',
            severity: 'error',
            object: displayRef(o),
            sources: [o.source],
            message: `carries ${TRACKING_ID} of application "${owner}", not of this app "${app.appName}"`,
            fix: `remove the ${TRACKING_ID} annotation (Argo CD sets it); if the object belongs to "${owner}", leave it there and delete this copy`,
          });
          continue;
        }
      }
      if (!byLabel) continue;
      const label = labelsOf(o.body)[labelKey];
      // GetAppInstanceLabel: an absent or empty label means "tracked by no app".
      if (label === undefined || label === null || label === '' || label === app.appName) continue;
      const shown = shownValue(label);
      findings.push({
        rule: 'foreign-tracking',
        severity: 'error',
        object: displayRef(o),
        sources: [o.source],
        message: `carries the instance label ${labelKey}="${shown}" of application "${shown}", not of this app "${app.appName}" (this Argo CD tracks resources by label)`,
        fix: `remove the ${labelKey} label (Argo CD sets it); if a Helm chart sets it, render with the release name "${app.appName}"; if the object belongs to "${shown}", leave it there and delete this copy`,
      });
    }
    return findings;
  },
};
