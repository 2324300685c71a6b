// The scope tables of one app, as scope resolution (src/model/resolve.ts) takes them: safe-render.yaml's
// `scopes:` and the platform policy's.
import { CONFIG_FILE, type AppConfig } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { ScopeSources, ScopeTable } from '../model/resolve';

export function appScopes(config: Pick<AppConfig, 'scopes'>): ScopeTable {
  return { file: CONFIG_FILE, scopes: config.scopes };
}

export function scopeSources(config: Pick<AppConfig, 'scopes'>, policy: AppliedPolicy | undefined): ScopeSources {
  return {
    app: appScopes(config),
    ...(policy ? { policy: { file: policy.file, ...(policy.scopes ? { scopes: policy.scopes } : {}) } } : {}),
  };
}
