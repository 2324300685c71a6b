// The red button. A freeze is declared by the platform team (a ConfigMap mounted into the sidecar as
// a folder, so it can be pressed with one kubectl command during an incident) or in the repository
// (`.safe-render/FREEZE`). Reading is fail-closed: a freeze file that cannot be parsed still freezes,
// and one that cannot be read safely (a link out of the repository, a folder, a fifo, too big) stops
// the run with exit 2, never unfreezes (issue 8 §7). Its text reaches stderr only as short,
// sanitised excerpts: a FREEZE linked to /proc/self/environ must not print the environment.
import { join } from 'node:path';
import { parse } from 'yaml';
import { nestingProblem } from '../util/yaml-depth';
import { entryExists, excerpt, readOptionalRepoFile } from '../util/repo-file';

export const DEFAULT_FREEZE_DIR = '/home/argocd/cmp-server/freeze';
export const FREEZE_ENV = 'SAFE_RENDER_FREEZE_DIR';
export const REPO_FREEZE_FILE = '.safe-render/FREEZE';

/** At most this many app globs; past it the freeze applies to every app (fail closed). */
const MAX_FREEZE_APPS = 256;
/** Longer globs are not app-name globs; past it, too, the freeze applies to every app. */
const MAX_GLOB_CHARS = 256;

export interface Freeze {
  /** Where it was declared, as shown to people. */
  source: string;
  reason: string;
  by: string;
  /** App-name globs the freeze applies to; empty: every app. */
  apps: string[];
}

function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The glob list as given, unless it is more than a list of app globs could be: then [] (every app). */
function boundedApps(apps: string[]): string[] {
  return apps.length > MAX_FREEZE_APPS || apps.some((g) => g.length > MAX_GLOB_CHARS) ? [] : apps;
}

/** Freeze text for a one-line message: one line, control characters escaped, at most 200 characters. */
function shown(s: string, fallback: string): string {
  const t = s.trim();
  return t === '' ? fallback : excerpt(t);
}

/** The platform freeze: a folder holding at least a `reason` file (ConfigMap keys reason, by, apps).
 * Read through the same guarded reader, bounded to the folder (a ConfigMap's files are links into
 * its own ..data folder). */
export function readPlatformFreeze(dir: string): Freeze | undefined {
  if (!entryExists(join(dir, 'reason'))) return undefined;
  const read = (k: string) => readOptionalRepoFile(dir, join(dir, k), { shown: `${dir}/${k}`, kind: 'freeze' });
  return {
    source: `platform freeze (${dir})`,
    reason: shown(read('reason') ?? '', '(no reason given)'),
    by: shown(read('by') ?? '', '(unknown)'),
    apps: boundedApps(lines(read('apps'))),
  };
}

/** The repository freeze: YAML `{reason, by, apps}` or plain text (the reason). */
export function parseRepoFreeze(text: string): Omit<Freeze, 'source'> {
  try {
    // Too deep for the parser (issue 8 §8): not a freeze file we can read, so its text is the reason.
    if (nestingProblem(text)) throw new Error('too deep');
    const v = parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'reason' in v) {
      const o = v as Record<string, unknown>;
      const apps = Array.isArray(o.apps) ? o.apps.map(String) : lines(typeof o.apps === 'string' ? o.apps : undefined);
      return {
        reason: shown(String(o.reason ?? ''), '(no reason given)'),
        by: o.by === undefined ? '(unknown)' : shown(String(o.by), '(unknown)'),
        apps: boundedApps(apps),
      };
    }
  } catch {
    // Not YAML: the whole text is the reason.
  }
  return { reason: shown(text, '(no reason given)'), by: '(unknown)', apps: [] };
}

export function readFreezes(env: Record<string, string | undefined>, repoRoot: string): Freeze[] {
  const out: Freeze[] = [];
  const platform = readPlatformFreeze(env[FREEZE_ENV] || DEFAULT_FREEZE_DIR);
  if (platform) out.push(platform);
  const text = readOptionalRepoFile(repoRoot, join(repoRoot, REPO_FREEZE_FILE), {
    shown: REPO_FREEZE_FILE,
    kind: 'freeze',
    fix: 'a freeze that cannot be read safely stops every render until it is fixed: make .safe-render/FREEZE a small regular text file inside the repository, or delete it to release the freeze',
  });
  if (text !== undefined) out.push({ source: `repository freeze (${REPO_FREEZE_FILE})`, ...parseRepoFreeze(text) });
  return out;
}
