import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../util/errors';
import type { AppConfig, EngineName } from '../../config/app-config';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** `engine:` in safe-render.yaml, else the files: a kustomization means kustomize, Chart.yaml helm,
 * anything else a plain directory. Both at once is ambiguous (Argo CD would pick Helm silently), so
 * we ask the app to say which. */
export function selectEngine(appDir: string, config: AppConfig): EngineName {
  if (config.engine) return config.engine;
  const kustomization = KUSTOMIZATION_FILES.find((f) => existsSync(join(appDir, f)));
  const chart = existsSync(join(appDir, 'Chart.yaml'));
  if (kustomization && chart) throw new UsageError(`the app folder has both ${kustomization} and Chart.yaml; set \`engine: kustomize\` or \`engine: helm\` in safe-render.yaml`);
  return kustomization ? 'kustomize' : chart ? 'helm' : 'plain';
}
