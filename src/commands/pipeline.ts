// The one pipeline every command runs: context -> render -> parse -> check. This file does the I/O
// (config and manifest files); the stages it calls are pure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyParameters, CONFIG_FILE, DEFAULT_CONFIG, parseAppConfig, type AppConfig } from '../config/app-config';
import { validateParameters } from '../context/parameters';
import type { AppContext } from '../context/app-context';
import { runChecks, type CheckResult } from '../checks/run-checks';
import { parseManifests } from '../parse/parse-manifests';
import { checkGlobs, selectManifestFiles } from '../render/select-files';
import { listFiles, readSources, toPosix } from '../render/read-tree';
import { relative } from 'node:path';

export interface PipelineResult extends CheckResult {
  config: AppConfig;
  engine: string;
  fileCount: number;
}

export function loadAppConfig(app: Pick<AppContext, "appDir" | "repoRoot">): AppConfig {
  const file = join(app.appDir, CONFIG_FILE);
  if (!existsSync(file)) return DEFAULT_CONFIG;
  return parseAppConfig({ file: displayPath(app, CONFIG_FILE), text: readFileSync(file, 'utf8') });
}

function displayPrefix(app: Pick<AppContext, "appDir" | "repoRoot">): string {
  return toPosix(relative(app.repoRoot, app.appDir));
}

function displayPath(app: Pick<AppContext, "appDir" | "repoRoot">, rel: string): string {
  const prefix = displayPrefix(app);
  return prefix ? `${prefix}/${rel}` : rel;
}

export function runPipeline(app: AppContext): PipelineResult {
  const config = applyParameters(loadAppConfig(app), validateParameters(app.parameters));
  checkGlobs(config);
  const files = selectManifestFiles(listFiles(app.appDir, app.repoRoot, config.recurse, displayPrefix(app)), config);
  const sources = readSources(app.appDir, files, displayPrefix(app));
  const docs = parseManifests(sources);
  return { ...runChecks(docs, app, config), config, engine: 'plain', fileCount: files.length };
}
