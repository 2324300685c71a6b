// policy-widening: the app's safe-render.yaml asks for more than the platform policy allows. The
// policy is a ceiling the repo may narrow but never raise (threat model, principle 5); saying so
// loudly beats silently ignoring the wider setting, which would leave the app team puzzled.
import { matchGlob } from '../../util/glob';
import { CONFIG_FILE } from '../../config/app-config';
import { kindListed } from '../../model/kind-match';
import type { Finding } from '../finding';
import type { Rule } from '../rule';

export const policyWidening: Rule = {
  id: 'policy-widening',
  check({ config, policy }) {
    if (!policy) return [];
    const findings: Finding[] = [];
    const where = `the platform policy ${policy.file} (${policy.entry})`;
    const widen = (what: string, fix: string) =>
      findings.push({
        rule: 'policy-widening',
        severity: 'error',
        sources: [],
        message: `${CONFIG_FILE} ${what}, beyond ${where}`,
        fix,
      });
    const { namespaces, clusterScoped, allowEmpty } = policy.limits;
    // A glob in the app's list is within the ceiling when the ceiling matches it as a literal name.
    for (const ns of namespaces ? config.namespaces : []) {
      if (!namespaces!.some((g) => matchGlob(ns, g, { nocomment: true }))) {
        widen(
          `allows namespace "${ns}"`,
          `remove it from namespaces in ${CONFIG_FILE}, or ask the platform team to allow it in ${policy.file}`,
        );
      }
    }
    for (const kind of clusterScoped ? config.clusterScoped : []) {
      const slash = kind.lastIndexOf('/');
      const [group, k] = slash < 0 ? ['', kind] : [kind.slice(0, slash), kind.slice(slash + 1)];
      if (
        !kindListed(clusterScoped!, group === 'core' ? '' : group, k) &&
        !(slash < 0 && clusterScoped!.includes(kind))
      ) {
        widen(
          `allows cluster-scoped kind ${kind}`,
          `remove it from clusterScoped in ${CONFIG_FILE}, or ask the platform team to allow it in ${policy.file}`,
        );
      }
    }
    if (policy.limits.engines?.allowKustomizeHelm === false && config.kustomize.enableHelm) {
      widen(
        'sets kustomize.enableHelm: true',
        `remove it; the platform policy does not let kustomize inflate Helm charts (render the chart with the helm engine instead)`,
      );
    }
    // `scopes:` decides which rule checks an object, so it is under the ceiling too (issue 8 §3).
    if (policy.limits.allowAppScopes === false) {
      for (const key of Object.keys(config.scopes)) {
        widen(
          `declares the scope of ${key}`,
          `remove it from scopes in ${CONFIG_FILE}; the platform policy lets only the platform team declare scopes (scopes: in ${policy.file})`,
        );
      }
    }
    if (allowEmpty === false && config.allowEmpty) {
      widen(
        'declares allowEmpty: true',
        `remove allowEmpty from ${CONFIG_FILE}; the platform policy does not let apps render nothing`,
      );
    }
    return findings;
  },
};
