// Argo CD's source override files in the app folder (rule source-override).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSourceOverrideName } from '../checks/rules/source-override';

/** Argo CD skips a name that is a folder (or a link to one); anything else under the name counts. */
export function findSourceOverrides(appDir: string): string[] {
  return readdirSync(appDir)
    .filter(isSourceOverrideName)
    .filter((name) => {
      try {
        return !statSync(join(appDir, name)).isDirectory();
      } catch {
        return true;
      }
    })
    .sort();
}
