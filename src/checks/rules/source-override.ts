// source-override: `.argocd-source.yaml` and `.argocd-source-<app>.yaml` in the app folder are
// merged by Argo CD's repo-server into the Application's source before the plugin runs (contract
// §10, `mergeSourceParameters`; `<app>` is the instance name, ARGOCD_APP_NAME, `<ns>_<name>` for
// apps outside the control-plane namespace). They can rewrite the plugin's env and parameters
// unreviewed by whoever owns the Application, or switch the app to Directory, Helm or Kustomize,
// so that safe-render never runs at all. The sidecar refuses the two files Argo CD merged for this
// app; elsewhere (render, lock, CI) every such file is a warning, since only there can one that
// switches the app off this plugin be seen at all.
import type { Finding } from '../finding';
import type { Rule } from '../rule';
import { excerpt } from '../../util/repo-file';

export const SOURCE_OVERRIDE_FILE = '.argocd-source.yaml';

/** Whether a name in the app folder is one of Argo CD's source override files (for any app). */
export function isSourceOverrideName(name: string): boolean {
  return name === SOURCE_OVERRIDE_FILE || (name.startsWith('.argocd-source-') && name.endsWith('.yaml'));
}

export const sourceOverride: Rule = {
  id: 'source-override',
  check({ app, mode, sourceOverrides = [] }) {
    const prefix = app.sourcePath && app.sourcePath !== '.' ? `${app.sourcePath.replace(/\/+$/, '')}/` : '';
    return sourceOverrides.map((name): Finding => {
      const merged = name === SOURCE_OVERRIDE_FILE || name === `.argocd-source-${app.appName}.yaml`;
      // CI refuses what the sidecar would (issue 11: the same verdict before the merge).
      const refuse = (mode === 'sidecar' || mode === 'ci') && merged;
      return {
        rule: 'source-override',
        severity: refuse ? 'error' : 'warning',
        sources: [],
        object: excerpt(`${prefix}${name}`, 120),
        message: `${merged ? 'Argo CD merges this file' : 'Argo CD merges this file, for the app it names,'} into the Application's source before the plugin runs: it can change safe-render's env and parameters, or switch the app off safe-render so that no check runs`,
        fix: 'delete the file; set plugin parameters in the Application (spec.source.plugin) or settings in safe-render.yaml, where they are reviewed and checked',
      };
    });
  },
};
