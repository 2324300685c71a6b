// Which kubectl, kustomize and helm a render runs, and their versions (issue 14): `--version` and
// `render`/`generate --verbose` print them, so the sidecar, a laptop and CI can be compared (the same
// bundle, the same tools). Asking a tool costs a process, so only those two ask.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { runTool, withScratchHome, type ToolRun } from './run-tool';
import { SHIM_HELM_ENV } from './engines/kustomize-helm-shim';

/** How to ask a binary for its version: kubectl (which says its kustomize's too), kustomize, helm. */
export type ToolKind = 'kubectl' | 'kustomize' | 'helm';

export interface ToolBinary {
  kind: ToolKind;
  /** The command as the render names it (`helm`, or a policy's path). */
  command: string;
  /** The file the command resolves to on PATH; absent when there is none. */
  file?: string;
}

export interface ToolVersion extends ToolBinary {
  /** `kubectl v1.35.2`, `kustomize v5.7.1`, `helm v4.1.4`. */
  versions: string[];
  /** Why there are no versions. */
  problem?: string;
}

const VERSION_TIMEOUT_MS = 10_000;
const SEMVER = /v?\d+\.\d+\.\d+[\w.+-]*/;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where the OS finds `command` on `path` (execvp's search): a command with a slash is a path
 * relative to `cwd`; an empty PATH entry is skipped, as Node's spawn does. */
export function findOnPath(command: string, path: string, cwd: string): string | undefined {
  if (command.includes('/')) {
    const file = resolve(cwd, command);
    return executable(file) ? file : undefined;
  }
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = resolve(cwd, dir, command);
    if (executable(file)) return file;
  }
  return undefined;
}

/** The binaries a tool run used, resolved as its process resolved them: its argv[0], and the helm
 * kustomize inflates charts with. */
export function binariesOf(run: Pick<ToolRun, 'argv' | 'tool' | 'env' | 'path' | 'cwd'>): ToolBinary[] {
  const [command, sub] = run.argv;
  if (command === undefined) return [];
  const found: ToolBinary[] = [];
  if (run.tool === 'helm') found.push({ kind: 'helm', command });
  else if (run.tool === 'kustomize') found.push({ kind: sub === 'kustomize' ? 'kubectl' : 'kustomize', command });
  const helm = run.env?.[SHIM_HELM_ENV];
  if (helm) found.push({ kind: 'helm', command: helm });
  return found.map((b) => ({ ...b, file: findOnPath(b.command, run.path ?? '', run.cwd) }));
}

function versionArgs(kind: ToolKind): string[] {
  if (kind === 'kubectl') return ['version', '--client', '-o', 'json'];
  if (kind === 'helm') return ['version', '--template', '{{.Version}}'];
  return ['version'];
}

/** The versions in a version command's output. */
export function parseVersions(kind: ToolKind, stdout: string): string[] {
  if (kind === 'kubectl') {
    const v = JSON.parse(stdout) as { clientVersion?: { gitVersion?: unknown }; kustomizeVersion?: unknown };
    const kubectl = v.clientVersion?.gitVersion;
    if (typeof kubectl !== 'string') throw new Error('no clientVersion.gitVersion in its output');
    return [
      `kubectl ${kubectl}`,
      ...(typeof v.kustomizeVersion === 'string' ? [`kustomize ${v.kustomizeVersion}`] : []),
    ];
  }
  const m = SEMVER.exec(stdout);
  if (!m) throw new Error(`no version in its output "${stdout.trim().slice(0, 80)}"`);
  return [`${kind} ${m[0].startsWith('v') ? m[0] : `v${m[0]}`}`];
}

/** Asks one binary for its version, in a scratch HOME with the render's minimal environment. */
export async function toolVersion(
  b: ToolBinary,
  opts: { path: string; cwd: string; signal?: AbortSignal },
): Promise<ToolVersion> {
  const file = b.file ?? findOnPath(b.command, opts.path, opts.cwd);
  if (!file) return { ...b, versions: [], problem: 'not found on PATH' };
  try {
    const stdout = await withScratchHome((home) =>
      runTool(
        {
          argv: [file, ...versionArgs(b.kind)],
          cwd: opts.cwd,
          timeoutMs: VERSION_TIMEOUT_MS,
          tool: b.kind,
          path: opts.path,
          maxBytes: 64 * 1024,
          signal: opts.signal,
        },
        home,
      ),
    );
    return { ...b, file, versions: parseVersions(b.kind, stdout) };
  } catch (e) {
    return { ...b, file, versions: [], problem: e instanceof Error ? e.message : String(e) };
  }
}

/** One line per binary: `kubectl v1.35.2, kustomize v5.7.1 (/usr/local/bin/kubectl)`. */
export function formatToolVersion(v: ToolVersion): string {
  if (!v.file) return `${v.kind} "${v.command}": ${v.problem ?? 'not found'}`;
  if (!v.versions.length) return `${v.kind} (${v.file}): version unknown: ${v.problem ?? ''}`;
  return `${v.versions.join(', ')} (${v.file})`;
}

/** Each distinct binary once, in first-seen order. */
export function distinctBinaries(list: readonly ToolBinary[]): ToolBinary[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const key = `${b.kind}\0${b.file ?? b.command}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
