import type { AppConfig, EngineName } from '../../config/app-config';
import { UsageError } from '../../util/errors';
import type { Engine } from './engine';
import { ENGINES, FALLBACK_ENGINE } from './registry';

/** `engine:` in safe-render.yaml, else the files: the engine whose files are in the folder (a
 * kustomization means kustomize, Chart.yaml helm), anything else a plain directory. Files of two
 * engines at once are ambiguous (Argo CD would pick Helm silently), so we ask the app to say which. */
export function selectEngine(appDir: string, config: AppConfig): EngineName {
  if (config.engine) return config.engine;
  const found: Array<{ name: EngineName; marker: string }> = [];
  for (const engine of Object.values(ENGINES) as Engine[]) {
    const marker = engine.detect?.(appDir);
    if (marker !== undefined) found.push({ name: engine.name, marker });
  }
  if (found.length > 1) {
    throw new UsageError(
      `the app folder has both ${found.map((f) => f.marker).join(' and ')}; set ${found.map((f) => `\`engine: ${f.name}\``).join(' or ')} in safe-render.yaml`,
    );
  }
  return found[0]?.name ?? FALLBACK_ENGINE;
}
