import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromFlags, type RenderFlags } from '../context/build-context';
import { emitStream, type OutputFormat } from '../emit/streams';
import { planSplit } from '../emit/split-plan';
import { UsageError } from '../util/errors';
import { writeOutputDirAsync } from '../emit/output-dir';
import { outDirArg, OUT_DIR_FLAG } from './out-dir-flag';
import { runApp } from '../pipeline/run-app';
import type { Host } from './command';
import { hasErrors, refusalFacts, reportFindings, reportRefusal, type Io, type ReportOptions } from './report';
import { runbookBaseFor } from './runbook-url';
import { checkoutToolsBin, laptopTools, withToolsBin } from './laptop-tools';
import { flatLine } from '../report/format';
import { toolRecorder, VERBOSE_FLAG } from './tool-versions';

export const CONTEXT_FLAGS: FlagSpec[] = [
  {
    name: 'app',
    value: true,
    placeholder: 'NAME',
    help: 'Argo CD application name (ARGOCD_APP_NAME); default: the folder name',
  },
  {
    name: 'namespace',
    short: 'n',
    value: true,
    placeholder: 'NS',
    help: 'destination namespace (ARGOCD_APP_NAMESPACE)',
  },
  { name: 'project', value: true, placeholder: 'NAME', help: 'AppProject name (ARGOCD_APP_PROJECT_NAME)' },
  { name: 'repo-url', value: true, placeholder: 'URL', help: 'source repository URL (ARGOCD_APP_SOURCE_REPO_URL)' },
  { name: 'revision', value: true, placeholder: 'SHA', help: 'resolved revision (ARGOCD_APP_REVISION)' },
  {
    name: 'repo-root',
    value: true,
    placeholder: 'DIR',
    help: 'repository root; default: the nearest folder with .git',
  },
  { name: 'kube-version', value: true, placeholder: 'X.Y.Z', help: 'cluster version (KUBE_VERSION)' },
  { name: 'api-versions', value: true, placeholder: 'LIST', help: 'comma-separated API versions (KUBE_API_VERSIONS)' },
  {
    name: 'env',
    value: true,
    repeat: true,
    placeholder: 'NAME=VALUE',
    help: 'plugin env, as ARGOCD_ENV_NAME (repeatable)',
  },
  {
    name: 'param',
    value: true,
    repeat: true,
    placeholder: 'NAME=VALUE',
    help: 'plugin parameter: name=v, name[]=v (array), name[key]=v (map)',
  },
];

export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  value: true,
  placeholder: 'json|yaml',
  help: 'stream format (default json, what Argo CD reads fastest)',
};

const FLAGS: FlagSpec[] = [
  ...CONTEXT_FLAGS,
  OUT_DIR_FLAG,
  OUTPUT_FLAG,
  {
    name: 'policy',
    value: true,
    placeholder: 'FILE',
    help: 'platform policy to apply (default: $SAFE_RENDER_POLICY, else the sidecar path if present)',
  },
  VERBOSE_FLAG,
  { name: 'help', short: 'h', help: 'show this help' },
];

/** The app the CONTEXT_FLAGS describe (render and lock read the same flags). */
export function contextFlags(a: ReturnType<typeof parseArgs>): RenderFlags {
  return {
    path: a.positional[0],
    app: one(a, 'app'),
    namespace: one(a, 'namespace'),
    project: one(a, 'project'),
    repoURL: one(a, 'repo-url'),
    revision: one(a, 'revision'),
    repoRoot: one(a, 'repo-root'),
    kubeVersion: one(a, 'kube-version'),
    apiVersions: one(a, 'api-versions'),
    env: many(a, 'env'),
    params: many(a, 'param'),
  };
}

export const RENDER_HELP = helpText(
  'safe-render render [PATH] [flags]',
  'Render the app in PATH (default .) as the Argo CD sidecar would, run every check, and print the\nobjects (or write one per file with -o). Exit 0 rendered, 1 refused by a rule, 2 could not run.',
  FLAGS,
);

export function outputFormat(v: string | undefined): OutputFormat {
  if (v === undefined || v === 'json' || v === 'yaml') return v ?? 'json';
  throw new UsageError(`--output must be json or yaml, not "${v}"`);
}

export async function renderCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  const { cwd } = host;
  const a = parseArgs(argv, FLAGS, 'render');
  if (has(a, 'help')) {
    io.out(RENDER_HELP);
    return 0;
  }
  if (a.positional.length > 1)
    throw new UsageError(`render takes one PATH, got ${a.positional.length}: ${a.positional.join(' ')}`);
  // Before the render: a mistaken -o is a usage error at once, not after minutes of helm.
  const outDir = outDirArg(a);
  const format = outputFormat(one(a, 'output'));
  // Checked before the render: a malformed SAFE_RENDER_RUNBOOK_URL is a usage error, not a late surprise.
  const envBase = runbookBaseFor(undefined, host.env);
  const app = contextFromFlags(contextFlags(a), cwd);
  // On a laptop the checkout's pinned tools come first (laptop-tools.ts); which binary ran is said below.
  const bin = checkoutToolsBin(host.bundleDir);
  const tools = laptopTools(bin);
  // --verbose: which tools ran, with their versions, asked of the binaries on the PATH the render used.
  const recorder = has(a, 'verbose') ? toolRecorder(tools.runner, withToolsBin(host.env, bin).PATH) : undefined;
  const result = await runApp(app, {
    mode: 'preview',
    env: withToolsBin(host.env, bin),
    cwd,
    signal: host.signal,
    policyFile: one(a, 'policy'),
    runner: recorder?.runner ?? tools.runner,
  });
  // Before any verdict, so a failed or refused render says which tools it ran too.
  await recorder?.report(io, host);
  // A render failure ends the command with exit 2 and its one line (cli.ts prints it).
  if (!result.ok) throw result.failure;
  // Which binary ran: after the findings and before the last line, so a refusal's headline stays the
  // first line and its tally (or the summary) the last.
  const ran = recorder ? [] : [...tools.ran].map(([cmd, where]) => flatLine(`safe-render: ran ${cmd}: ${where}`));
  // A person at a terminal (a laptop) sees every finding; a pipe (a CI log, a script) gets the capped
  // list the sidecar prints, and --verbose lists them all anywhere.
  const opts: ReportOptions = {
    all: has(a, 'verbose') || host.terminal !== undefined,
    fullList: 'render --verbose lists them all',
  };
  const runbookBase = envBase ?? result.policy?.runbookUrl;
  if (runbookBase) opts.runbookBase = runbookBase;
  if (hasErrors(result.findings)) {
    reportRefusal(io, result.findings, refusalFacts(result), opts, undefined, ran);
    return 1;
  }
  reportFindings(io, result.findings, undefined, opts);
  for (const l of ran) io.err(`${l}\n`);
  const warnings = result.findings.length;
  const summary = `safe-render: app "${app.appName}" (engine: ${result.engine}): ${result.objects.length} objects from ${result.fileCount} files, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (outDir) {
    const files = planSplit(result.objects);
    const written = await writeOutputDirAsync(outDir, files, cwd, app.repoRoot, app.appDir);
    const how = written.inPlace ? ` (in place: ${written.inPlace})` : '';
    io.err(`${summary}; wrote ${files.length - 2} files and kustomization.yaml to ${outDir}${how}\n`);
  } else {
    io.out(emitStream(result.objects, format));
    io.err(`${summary}\n`);
  }
  return 0;
}
