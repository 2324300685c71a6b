// Reading the app's safe-render.yaml (stage "context"): through the guarded reader, as every command does.
import { join } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseAppConfig, type AppConfig } from '../config/app-config';
import type { AppContext } from '../context/app-context';
import { displayPrefix } from '../render/render-app';
import { readOptionalRepoFile } from '../util/repo-file';

export function loadAppConfig(app: Pick<AppContext, 'appDir' | 'repoRoot'>): AppConfig {
  // Through the guarded reader (issue 8 §7): a safe-render.yaml linked out of the repository, a
  // folder or a fifo in its place, or a huge one is one clear line, never read or echoed.
  const shown = displayPath(app, CONFIG_FILE);
  const text = readOptionalRepoFile(app.repoRoot, join(app.appDir, CONFIG_FILE), { shown, kind: 'config' });
  return text === undefined ? DEFAULT_CONFIG : parseAppConfig({ file: shown, text });
}

function displayPath(app: Pick<AppContext, 'appDir' | 'repoRoot'>, rel: string): string {
  const prefix = displayPrefix(app);
  return prefix ? `${prefix}/${rel}` : rel;
}
