import type { Rule } from '../rule';
import { clusterScoped } from './cluster-scoped';
import { duplicateObject } from './duplicate-object';
import { emptyRender } from './empty-render';
import { foreignTracking } from './foreign-tracking';
import { namespaceEscape } from './namespace-escape';
import { deployFreeze } from './deploy-freeze';
import { policyWidening } from './policy-widening';
import { lockMissing } from './lock-missing';
import { unacknowledgedDeletion } from './unacknowledged-deletion';
import { appSourceDrift } from './app-source-drift';
import { appDestinationChange } from './app-destination-change';
import { finalizerChange } from './finalizer-change';
import { safetyWeakened } from './safety-weakened';
import { appsetMayShrink } from './appset-may-shrink';
import { appsetAppRemoved } from './appset-app-removed';
import { lockStale } from './lock-stale';
import { sourceOverride } from './source-override';
import { oneObjectPerFile } from './one-object-per-file';

/** Rules over resolved objects, in the order their findings are reported. invalid-object runs
 * before them, on raw documents (see run-checks.ts). */
export const OBJECT_RULES: readonly Rule[] = [
  deployFreeze,
  sourceOverride,
  policyWidening,
  emptyRender,
  duplicateObject,
  namespaceEscape,
  clusterScoped,
  foreignTracking,
  lockMissing,
  appSourceDrift,
  unacknowledgedDeletion,
  appDestinationChange,
  finalizerChange,
  safetyWeakened,
  appsetMayShrink,
  appsetAppRemoved,
  lockStale,
  oneObjectPerFile,
];
