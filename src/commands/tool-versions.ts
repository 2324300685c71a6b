// The tool versions a person checks "the same bundle, the same tools" with (issue 14): `--version`
// names the kubectl/kustomize and helm a render would find on PATH, `render`/`generate --verbose` the
// ones a render ran. Both ask the binaries themselves, so a relabelled or replaced binary shows.
import { kustomizeCommand } from '../render/engines/kustomize';
import { DEFAULT_TOOL_PATH, runTool, type ToolRunner } from '../render/run-tool';
import { binariesOf, distinctBinaries, formatToolVersion, toolVersion, type ToolBinary } from '../render/tool-versions';
import type { Host } from './command';
import { flatLine, type Io } from './report';

declare const SAFE_RENDER_VERSION: string;

export const VERBOSE_FLAG = {
  name: 'verbose',
  short: 'v',
  help: 'list every finding of a refusal, and print the version and path of each tool the render ran (kubectl/kustomize, helm)',
} as const;

/** `safe-render --version`: the bundle, the Node running it, and the tools a render would find with
 * this environment's PATH and no policy (`engines.*Command` in a policy are shown by --verbose). */
export async function versionCommand(io: Io, host: Host, nodeVersion: string): Promise<number> {
  const path = host.env.PATH ?? DEFAULT_TOOL_PATH;
  const kustomize = kustomizeCommand(undefined, path);
  const binaries: ToolBinary[] = [
    { kind: kustomize[1] === 'kustomize' ? 'kubectl' : 'kustomize', command: kustomize[0]! },
    { kind: 'helm', command: 'helm' },
  ];
  const found = await Promise.all(binaries.map((b) => toolVersion(b, { path, cwd: host.cwd, signal: host.signal })));
  io.out(`safe-render ${SAFE_RENDER_VERSION} (node ${nodeVersion})\n`);
  for (const v of found) io.out(`${flatLine(formatToolVersion(v))}\n`);
  return 0;
}

/** A runner that remembers which binaries ran, and prints their versions afterwards (--verbose). */
export function toolRecorder(
  inner: ToolRunner = runTool,
  toolPath?: string,
): { runner: ToolRunner; report(io: Io, host: Host): Promise<void> } {
  const ran: ToolBinary[] = [];
  return {
    runner: (run, home) => {
      ran.push(...binariesOf(run));
      return inner(run, home);
    },
    async report(io, host) {
      // The PATH the render ran with (a laptop render puts the checkout's .tools/bin first).
      const path = toolPath ?? host.env.PATH ?? DEFAULT_TOOL_PATH;
      const found = await Promise.all(
        distinctBinaries(ran).map((b) => toolVersion(b, { path, cwd: host.cwd, signal: host.signal })),
      );
      for (const v of found) io.err(`${flatLine(`safe-render: ran ${formatToolVersion(v)}`)}\n`);
    },
  };
}
