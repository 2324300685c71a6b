// Which files of an app directory are manifests: pure, so the rules are easy to test and to read.
import { globMatcher } from '../util/glob';
import { UsageError } from '../util/errors';
import { byCodeUnit } from '../util/compare';
import type { AppConfig } from '../config/app-config';
import { CONFIG_FILE } from '../config/app-config';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Argo CD's directory source matches a pattern without a slash against any path (its `*` crosses
 * folders); minimatch's matchBase gives that for the common `*.yaml` case while `a/**` still works. */
const GLOB = { matchBase: true, dot: false, nocomment: true } as const;
const pathMatch = globMatcher(GLOB);

export function checkGlobs(config: AppConfig): void {
  for (const g of [...config.include, ...config.exclude]) {
    if (g.startsWith('/') || g.split('/').includes('..')) {
      throw new UsageError(
        `glob "${g}" leaves the app directory; globs are relative to it and may not use ".." or start with "/"`,
      );
    }
  }
}

/** `relPaths` are relative to the app directory, with forward slashes. Returns them sorted by code
 * unit so the output never depends on the filesystem's order or the locale. */
export function selectManifestFiles(relPaths: readonly string[], config: AppConfig): string[] {
  return relPaths
    .filter((p) => MANIFEST_EXT.test(p) && p !== CONFIG_FILE)
    .filter((p) => config.include.length === 0 || config.include.some((g) => pathMatch(p, g)))
    .filter((p) => !config.exclude.some((g) => pathMatch(p, g)))
    .sort(byCodeUnit);
}
