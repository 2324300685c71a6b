// The tools a laptop render runs (issue 14): safe-render's own checkout keeps the pinned kubectl and
// helm in .tools/bin (`npm run tools`), beside dist/ where the bundle is; `render` looks there before
// PATH, says which binary it ran, and when a tool is missing says how to get it rather than "install
// it in the sidecar image". Only the bundle's own checkout is used, never a folder of the rendered
// repository or the working folder: a hostile repository must not supply the binaries that run.
// `generate` (the sidecar) does none of this: its image carries the tools and its message stays.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Env } from '../pipeline/env';
import { runTool, type ToolRunner } from '../render/run-tool';
import { RenderFailure } from '../util/errors';

/** `<checkout>/.tools/bin` when the bundle in `bundleDir` (`<checkout>/dist`) is safe-render's own
 * checkout (its package.json names it) and the folder exists; else undefined. */
export function checkoutToolsBin(bundleDir: string | undefined): string | undefined {
  if (!bundleDir) return undefined;
  const root = dirname(bundleDir);
  const bin = join(root, '.tools', 'bin');
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown };
    if (pkg.name !== 'safe-render' || !statSync(bin).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return bin;
}

/** The environment a laptop render runs tools with: the checkout's .tools/bin first on PATH. */
export function withToolsBin(env: Env, bin: string | undefined): Env {
  if (!bin) return env;
  return { ...env, PATH: env.PATH ? `${bin}${delimiter}${env.PATH}` : bin };
}

/** The first executable `name` on `path`, as a spawn's PATH lookup finds it (empty entries skipped). */
export function onPath(name: string, path: string | undefined): string | undefined {
  if (name.includes('/')) return name;
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface LaptopTools {
  runner: ToolRunner;
  /** Each binary that ran, by its command name, with where it was found. */
  ran: Map<string, string>;
}

/** How to get `cmd` on a laptop. kustomize is run as `kubectl kustomize` unless the policy names a
 * kustomize binary, so the hint names the binary that was looked for. */
export function laptopHint(cmd: string): string {
  return `run \`npm run tools\` in the safe-render checkout (it puts the pinned kubectl and helm in .tools/bin, which render uses), or install ${cmd} and put it on PATH`;
}

/** A runner that records which binary ran and, when one is missing from PATH, says how to get it. */
export function laptopTools(bin: string | undefined): LaptopTools {
  const ran = new Map<string, string>();
  const runner: ToolRunner = async (run, home) => {
    const cmd = run.argv[0] ?? '';
    const found = onPath(cmd, run.path);
    if (found) ran.set(cmd, bin && found.startsWith(`${bin}/`) ? `${found} (this checkout's pinned tools)` : found);
    try {
      return await runTool(run, home);
    } catch (e) {
      // A command named by the platform policy (a path) keeps its message: the policy is the fix.
      if (!found && !cmd.includes('/') && e instanceof RenderFailure && e.message.endsWith('was not found on PATH'))
        throw new RenderFailure(e.message, e.where, laptopHint(cmd));
      throw e;
    }
  };
  return { runner, ran };
}
