// The one shape every render engine has (issue 10, "Engines behind one interface"): a name (the value
// of `engine:` in safe-render.yaml), an optional detector (the files that mark an app folder as this
// engine's), and a render that turns the app folder into text sources for the parser. Every input is
// an argument: nothing here reads process.env, the working folder or installs signal handlers, so one
// process can render many apps side by side. docs/development/engines.md says how to add an engine.
import type { AppConfig, EngineName } from '../../config/app-config';
import type { EnginePolicy } from '../../config/platform-policy';
import type { AppContext } from '../../context/app-context';
import type { SourceFile } from '../../model/object';
import { RenderFailure } from '../../util/errors';
import { MAX_TOTAL_BYTES } from '../limits';
import type { ToolRunner } from '../run-tool';

/** Runs one tool (kustomize, helm) with a scratch HOME; src/render/run-tool.ts's runTool by default. */
export type { ToolRunner };

/** Everything an engine may read, the same for every engine. */
export interface EngineRun {
  app: AppContext;
  /** safe-render.yaml with the Application's parameters applied. */
  config: AppConfig;
  /** The platform policy's engine settings (commands, exec plugins, helm inflation); undefined without a policy. */
  limits: EnginePolicy | undefined;
  /** How long one tool may run. */
  timeoutMs: number;
  /** The environment safe-render was started with (PATH, to find a tool); tools never inherit it. */
  env: Readonly<Record<string, string | undefined>>;
  runTool: ToolRunner;
  /** The app folder relative to the repository root, with forward slashes; '' at the root. */
  prefix: string;
}

export interface EngineOutput {
  sources: SourceFile[];
  /** Files read (plain) or 1 (a tool's output). */
  fileCount: number;
}

export interface Engine<N extends EngineName = EngineName> {
  name: N;
  /** The file in `appDir` that marks it as this engine's (for messages), or undefined. Engines without
   * a detector are chosen only by name or as the fallback (src/render/engines/detect.ts). */
  detect?: (appDir: string) => string | undefined;
  render: (run: EngineRun) => Promise<EngineOutput>;
}

/** A tool's stdout as the parser's one source, within Argo CD's limit for one render. */
export function toolOutput(engine: EngineName, prefix: string, text: string): EngineOutput {
  if (text.length > MAX_TOTAL_BYTES)
    throw new RenderFailure(
      `${engine} printed more than ${MAX_TOTAL_BYTES / 1048576} MiB, Argo CD's default limit for one render`,
      prefix || '.',
      'split the app into several Applications',
    );
  return { sources: [{ path: `${prefix || '.'} (${engine} output)`, text }], fileCount: 1 };
}

/** The helm the policy names (also what kustomize inflates charts with), else `helm` from PATH. */
export function helmCommandOf(limits: EnginePolicy | undefined): string[] {
  return limits?.helmCommand?.length ? limits.helmCommand : ['helm'];
}
