// empty-render: zero objects. With auto-prune, an empty desired state deletes the whole app
// (Skyscanner 2021, argo-cd#3473, #15339), so nothing is the one answer we never give by accident.
import type { Rule } from '../rule';

export const emptyRender: Rule = {
  id: 'empty-render',
  check({ objects, config, policy, lockState }) {
    // An intended empty render is declared in the lock (reviewed) or in the app config.
    if (objects.length > 0 || lockState.lock?.empty || (config.allowEmpty && policy?.limits.allowEmpty !== false))
      return [];
    return [
      {
        rule: 'empty-render',
        severity: 'error',
        sources: [],
        message: 'the render has no objects; with auto-prune Argo CD would delete everything the app runs',
        fix: 'check the paths, include/exclude globs and templates; if the app is meant to be empty, record it with `safe-render lock --empty` (or `allowEmpty: true` in safe-render.yaml)',
      },
    ];
  },
};
