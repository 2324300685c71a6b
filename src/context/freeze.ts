// The red button. A freeze is declared by the platform team (a ConfigMap mounted into the sidecar as
// a folder, so it can be pressed with one kubectl command during an incident) or in the repository
// (`.safe-render/FREEZE`). Reading is fail-closed: a freeze file that cannot be parsed still freezes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const DEFAULT_FREEZE_DIR = '/home/argocd/cmp-server/freeze';
export const FREEZE_ENV = 'SAFE_RENDER_FREEZE_DIR';
export const REPO_FREEZE_FILE = '.safe-render/FREEZE';

export interface Freeze {
  /** Where it was declared, as shown to people. */
  source: string;
  reason: string;
  by: string;
  /** App-name globs the freeze applies to; empty: every app. */
  apps: string[];
}

function lines(s: string | undefined): string[] {
  return (s ?? '').split(/[\n,]/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** The platform freeze: a folder holding at least a `reason` file (ConfigMap keys reason, by, apps). */
export function readPlatformFreeze(dir: string): Freeze | undefined {
  const reasonFile = join(dir, 'reason');
  if (!existsSync(reasonFile)) return undefined;
  const read = (k: string) => (existsSync(join(dir, k)) ? readFileSync(join(dir, k), 'utf8').trim() : undefined);
  return { source: `platform freeze (${dir})`, reason: read('reason') || '(no reason given)', by: read('by') || '(unknown)', apps: lines(read('apps')) };
}

/** The repository freeze: YAML `{reason, by, apps}` or plain text (the reason). */
export function parseRepoFreeze(text: string): Omit<Freeze, 'source'> {
  try {
    const v = parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'reason' in v) {
      const o = v as Record<string, unknown>;
      const apps = Array.isArray(o.apps) ? o.apps.map(String) : lines(typeof o.apps === 'string' ? o.apps : undefined);
      return { reason: String(o.reason ?? '') || '(no reason given)', by: o.by === undefined ? '(unknown)' : String(o.by), apps };
    }
  } catch {
    // Not YAML: the whole text is the reason.
  }
  return { reason: text.trim() || '(no reason given)', by: '(unknown)', apps: [] };
}

export function readFreezes(env: Record<string, string | undefined>, repoRoot: string): Freeze[] {
  const out: Freeze[] = [];
  const platform = readPlatformFreeze(env[FREEZE_ENV] || DEFAULT_FREEZE_DIR);
  if (platform) out.push(platform);
  const repoFile = join(repoRoot, REPO_FREEZE_FILE);
  if (existsSync(repoFile)) out.push({ source: `repository freeze (${REPO_FREEZE_FILE})`, ...parseRepoFreeze(readFileSync(repoFile, 'utf8')) });
  return out;
}
