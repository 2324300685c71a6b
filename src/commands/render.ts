import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromFlags, type RenderFlags } from '../context/build-context';
import { emitStream, type OutputFormat } from '../emit/streams';
import { planSplit } from '../emit/split-plan';
import { UsageError } from '../util/errors';
import { writeOutputDir } from '../emit/output-dir';
import { runApp } from '../pipeline/run-app';
import type { Host } from './command';
import { hasErrors, refusalSummary, reportFindings, type Io } from './report';
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
  {
    name: 'out',
    short: 'o',
    value: true,
    placeholder: 'DIR',
    help: 'write one object per file into DIR instead of stdout',
  },
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
  const format = outputFormat(one(a, 'output'));
  const outDir = one(a, 'out');
  const app = contextFromFlags(contextFlags(a), cwd);
  const tools = has(a, 'verbose') ? toolRecorder() : undefined;
  const result = await runApp(app, {
    mode: 'preview',
    env: host.env,
    cwd,
    signal: host.signal,
    policyFile: one(a, 'policy'),
    runner: tools?.runner,
  });
  // Before any verdict, so a failed or refused render says which tools it ran too.
  await tools?.report(io, host);
  // A render failure ends the command with exit 2 and its one line (cli.ts prints it).
  if (!result.ok) throw result.failure;
  reportFindings(io, result.findings);
  if (hasErrors(result.findings)) {
    io.err(refusalSummary(result.findings));
    return 1;
  }
  const warnings = result.findings.length;
  const summary = `safe-render: app "${app.appName}" (engine: ${result.engine}): ${result.objects.length} objects from ${result.fileCount} files, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (outDir) {
    const files = planSplit(result.objects);
    writeOutputDir(outDir, files, cwd, app.repoRoot);
    io.err(`${summary}; wrote ${files.length - 2} files and kustomization.yaml to ${outDir}\n`);
  } else {
    io.out(emitStream(result.objects, format));
    io.err(`${summary}\n`);
  }
  return 0;
}
