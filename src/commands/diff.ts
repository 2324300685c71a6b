// `safe-render diff [PATH] [--base REF] [--head REF] [--all]` (issue 12): what a change does to an app
// (or, with --all, to every app `ci` finds), rendered offline at two revisions, with the head's verdict.
// The command parses flags, calls src/diff/ and prints; the revisions live in scratch folders removed
// on every exit path (the CLI's SIGINT/SIGTERM aborts host.signal, which removes them too).
import { availableParallelism } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { DEFAULT_CONTROL_PLANE_NAMESPACE } from '../context/application-source';
import { envVarsOf, parseParametersJson, splitList } from '../context/argocd-env';
import type { RenderFlags } from '../context/build-context';
import { DEFAULT_MAX_DELETIONS } from '../ci/cross-app';
import { repositoryFacts } from '../ci/repository';
import { git, notAGitRepo } from '../lock/base-revision';
import { UsageError } from '../util/errors';
import { diffAll, diffApp, signalPoint } from '../diff/diff-app';
import { submodulesOf } from '../diff/verdict';
import type { AppDiff } from '../diff/compare';
import { jsonDiff } from '../diff/json';
import { markdownDiff } from '../diff/markdown';
import { materializePair, type RevisionPair } from '../diff/revision-pair';
import { colorEnabled, deletionLine, hasChanges, summaryLine, textReport, type ColorMode } from '../diff/text';
import type { Host } from './command';
import { checkoutToolsBin, laptopTools, withToolsBin } from './laptop-tools';
import type { ToolRunner } from '../render/run-tool';
import { CONTEXT_FLAGS } from './render';
import { verdictLine } from './ci';
import { flatLine, refusalSummary, reportFindings, type Io } from './report';

declare const SAFE_RENDER_VERSION: string;

type Format = 'text' | 'markdown' | 'json';

const FLAGS: FlagSpec[] = [
  {
    name: 'base',
    value: true,
    placeholder: 'REF',
    help: 'the revision to compare from (default: the merge base of HEAD with origin/HEAD, else main, else master)',
  },
  {
    name: 'head',
    value: true,
    placeholder: 'REF',
    help: 'the revision to compare to (default: the working tree as it is: uncommitted edits and untracked files, not ignored files)',
  },
  {
    name: 'all',
    help: 'every app `safe-render ci` finds in the repository PATH (default .), at both revisions: lists the apps whose render changed and those that appear or disappear',
  },
  { name: 'format', value: true, placeholder: 'text|markdown|json', help: 'report format on stdout (default text)' },
  {
    name: 'color',
    value: true,
    placeholder: 'auto|always|never',
    help: 'colour the text report (default auto: on a terminal, unless NO_COLOR is set)',
  },
  { name: 'exit-code', help: 'also exit 1 when anything differs (as git diff --exit-code)' },
  // The app's context: render's flags, except --revision (each side is rendered at its own commit).
  ...CONTEXT_FLAGS.filter((f) => f.name !== 'revision'),
  {
    name: 'policy',
    value: true,
    placeholder: 'FILE',
    help: 'platform policy to apply (default: $SAFE_RENDER_POLICY, else the sidecar path if present)',
  },
  {
    name: 'plugin-name',
    value: true,
    placeholder: 'NAME',
    help: 'with --all: the apps whose source names this plugin (default safe-render)',
  },
  {
    name: 'control-plane-namespace',
    value: true,
    placeholder: 'NS',
    help: `with --all: the namespace Argo CD runs in (default ${DEFAULT_CONTROL_PLANE_NAMESPACE})`,
  },
  {
    name: 'jobs',
    short: 'j',
    value: true,
    placeholder: 'N',
    help: 'with --all: apps rendered at once, shared by both revisions (default: the CPU count)',
  },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const DIFF_HELP = helpText(
  'safe-render diff [PATH] [--base REF] [--head REF] [flags]\n       safe-render diff --all [REPO] [--base REF] [--head REF] [flags]',
  `Renders the app in PATH (default .) at two revisions, offline, as the Argo CD sidecar would, and shows
what the change does to it: objects removed (what prune deletes) first, then added, then changed (a
unified diff of the YAML; JSON Patch with --format json). The revisions are read from Git into scratch
folders, never by switching your checkout. Secret values are never shown, neither old nor new.
Not compared: status and the metadata the API server owns (managedFields, resourceVersion, uid, ...).
App flags are render's; when ARGOCD_APP_NAME is set, the Argo CD environment (ARGOCD_APP_*,
ARGOCD_ENV_*, KUBE_VERSION, KUBE_API_VERSIONS) gives the defaults and the flags win.
The verdict is the head render's: its findings on stderr, and which removed objects its lock accepts.
Exit 0 the head would be accepted by the sidecar, 1 it would be refused (with --exit-code: also when
anything differs), 2 diff could not run (no such revision, not a Git repository, a render failure).`,
  FLAGS,
);

function formatFlag(v: string | undefined): Format {
  if (v === undefined) return 'text';
  if (v === 'text' || v === 'markdown' || v === 'json') return v;
  throw new UsageError(`--format must be text, markdown or json, not "${v.slice(0, 40)}"`);
}

function colorFlag(v: string | undefined): ColorMode {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw new UsageError(`--color must be auto, always or never, not "${v.slice(0, 40)}"`);
}

function jobsFlag(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 1024)
    throw new UsageError(`--jobs takes a whole number from 1 to 1024, not "${v.slice(0, 40)}"`);
  return Number(v);
}

/** The repository's top level, from a folder inside it (git's answer, symlinks resolved). */
function topLevel(dir: string, env: Host['env']): string {
  const why = notAGitRepo(dir, env);
  if (why) throw new UsageError(`diff reads two revisions from Git: ${why}`);
  const top = git(dir, env, ['rev-parse', '--show-toplevel']).stdout.toString('utf8').trim();
  try {
    return realpathSync(top);
  } catch {
    throw new UsageError(`diff reads two revisions from Git: cannot find the top level of ${dir}`);
  }
}

/** `p` with symlinks resolved in its nearest existing folder: an app folder deleted in the working
 * tree is still a path of the repository (it existed at the base). */
function realPathLoose(p: string): string {
  const near = nearestDir(p);
  return resolve(realpathSync(near), relative(near, p));
}

/** Render's flags, with the Argo CD environment as defaults when ARGOCD_APP_NAME is set (as `generate`
 * reads it); flags always win. */
function appFlags(a: ReturnType<typeof parseArgs>, env: Host['env']): RenderFlags {
  const argo = env.ARGOCD_APP_NAME ? env : {};
  const params = many(a, 'param');
  return {
    path: a.positional[0],
    app: one(a, 'app') ?? argo.ARGOCD_APP_NAME,
    namespace: one(a, 'namespace') ?? argo.ARGOCD_APP_NAMESPACE,
    project: one(a, 'project') ?? argo.ARGOCD_APP_PROJECT_NAME,
    repoURL: one(a, 'repo-url') ?? argo.ARGOCD_APP_SOURCE_REPO_URL,
    repoRoot: one(a, 'repo-root'),
    kubeVersion: one(a, 'kube-version') ?? argo.KUBE_VERSION,
    apiVersions: one(a, 'api-versions') ?? argo.KUBE_API_VERSIONS,
    env: [...Object.entries(env.ARGOCD_APP_NAME ? envVarsOf(env) : {}).map(([k, v]) => `${k}=${v}`), ...many(a, 'env')],
    params,
    parameters: params.length || !env.ARGOCD_APP_NAME ? [] : parseParametersJson(env.ARGOCD_APP_PARAMETERS),
  };
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function writeReport(
  io: Io,
  format: Format,
  apps: readonly AppDiff[],
  color: boolean,
  code: number,
  unchanged?: number,
) {
  if (format === 'json') io.out(jsonDiff(apps, { unchangedApps: unchanged, exitCode: code }));
  else if (format === 'markdown') io.out(markdownDiff(apps, { unchangedApps: unchanged }));
  else io.out(textReport(apps, { color, unchangedApps: unchanged }));
}

export async function diffCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  const a = parseArgs(argv, FLAGS, 'diff');
  if (has(a, 'help')) {
    io.out(DIFF_HELP);
    return 0;
  }
  if (a.positional.length > 1)
    throw new UsageError(`diff takes one PATH, got ${a.positional.length}: ${a.positional.join(' ').slice(0, 200)}`);
  const format = formatFlag(one(a, 'format'));
  const color =
    format === 'text' && colorEnabled(colorFlag(one(a, 'color')), host.stdoutIsTTY === true, host.env.NO_COLOR);
  const exitOnChange = has(a, 'exit-code');
  const all = has(a, 'all');
  const flags = appFlags(a, host.env);
  // Without PATH, under Argo CD's environment, the app is the working folder (as for `generate`).
  const target = realPathLoose(resolve(host.cwd, flags.path ?? '.'));
  if (flags.repoRoot !== undefined && !existsSync(resolve(host.cwd, flags.repoRoot)))
    throw new UsageError(`no such directory: ${flags.repoRoot}`);
  const root = flags.repoRoot
    ? realpathSync(resolve(host.cwd, flags.repoRoot))
    : topLevel(nearestDir(target), host.env);
  const rel = relative(root, target).split(sep).join('/') || '.';
  if (rel === '..' || rel.startsWith('../'))
    throw new UsageError(`the app folder ${flags.path ?? '.'} is not inside the repository ${root}`);
  if (all && rel !== '.') throw new UsageError(`diff --all checks a whole repository: give its root (${root})`);

  const pair: RevisionPair = materializePair(root, one(a, 'base'), one(a, 'head'), host.env, { signal: host.signal });
  try {
    await signalPoint(host.signal);
    io.err(`${flatLine(`safe-render diff: base ${pair.baseLabel}, head ${pair.headLabel}`)}\n`);
    // A laptop's diff renders with the same tools as its render: the checkout's .tools/bin first.
    const bin = checkoutToolsBin(host.bundleDir);
    const opts = {
      env: withToolsBin(host.env, bin),
      cwd: host.cwd,
      signal: host.signal,
      policyFile: one(a, 'policy'),
      runner: laptopTools(bin).runner,
    };
    if (all) return await diffEverything(a, io, pair, opts, { format, color, exitOnChange });

    const links = [...new Set([...pair.submodules.base, ...pair.submodules.head])];
    for (const s of submodulesOf(rel, links))
      io.err(
        `${flatLine(`safe-render diff: note: ${s} is a Git submodule; diff does not fetch submodules (Argo CD does, unless ARGOCD_GIT_MODULES_ENABLED=false), so the app reads an empty folder there at both revisions`)}\n`,
      );
    // Argo CD's sidecar is the verdict: mode 'sidecar' (a committed FREEZE, a merged .argocd-source.yaml refuse).
    // The app's default name is its folder's, as for render: the user's folder, not the scratch copy's.
    const r = await diffApp(pair, { ...flags, path: rel, app: flags.app ?? basename(target) }, 'sidecar', opts);
    const findings = r.head?.findings ?? [];
    reportFindings(io, findings);
    const refused = r.app.verdict === 'refused';
    if (refused) io.err(refusalSummary(findings, 'the sidecar would not render the head'));
    const code = refused || (exitOnChange && (hasChanges(r.app.diff) || r.app.presence !== undefined)) ? 1 : 0;
    writeReport(io, format, [r.app], color, refused ? 1 : 0);
    const del = deletionLine(r.app);
    const where = !r.atHead ? '; the folder is gone at the head' : !r.atBase ? '; the folder is new' : '';
    io.err(
      `${flatLine(`safe-render diff: app "${r.app.app}": ${summaryLine(r.app.diff)}${where}${del ? `; ${del}` : ''}; head ${refused ? 'refused' : r.atHead ? 'accepted' : 'not rendered'}`)}\n`,
    );
    return code;
  } finally {
    pair.dispose();
  }
}

function nearestDir(p: string): string {
  for (let d = p; ; d = dirname(d)) {
    if (existsSync(d) || dirname(d) === d) return d;
  }
}

async function diffEverything(
  a: ReturnType<typeof parseArgs>,
  io: Io,
  pair: RevisionPair,
  opts: { env: Host['env']; cwd: string; signal: AbortSignal; policyFile?: string; runner?: ToolRunner },
  out: { format: Format; color: boolean; exitOnChange: boolean },
): Promise<number> {
  const pluginName = one(a, 'plugin-name') ?? 'safe-render';
  const controlPlaneNamespace = one(a, 'control-plane-namespace') ?? DEFAULT_CONTROL_PLANE_NAMESPACE;
  if (pluginName === '' || controlPlaneNamespace === '')
    throw new UsageError('--plugin-name and --control-plane-namespace cannot be empty');
  const repoURL = one(a, 'repo-url');
  const r = await diffAll(
    pair,
    (dir, commit) => repositoryFacts(dir, opts.env, repoURL, commit),
    {
      pluginName,
      controlPlaneNamespace,
      kubeVersion: one(a, 'kube-version') ?? '',
      apiVersions: splitList(one(a, 'api-versions')),
      jobs: jobsFlag(one(a, 'jobs')),
      maxDeletions: DEFAULT_MAX_DELETIONS,
      tool: typeof SAFE_RENDER_VERSION === 'string' ? SAFE_RENDER_VERSION : 'dev',
    },
    opts,
  );
  if (pair.submodules.base.length + pair.submodules.head.length)
    io.err(
      `${flatLine(`safe-render diff: note: ${plural(new Set([...pair.submodules.base, ...pair.submodules.head]).size, 'Git submodule')} not fetched (diff never fetches; Argo CD does unless ARGOCD_GIT_MODULES_ENABLED=false): apps that read them see empty folders`)}\n`,
    );
  // ci's verdict on the head, its findings printed as `ci --quiet` prints them.
  for (const app of r.head.apps) {
    if (app.verdict !== 'refused' && app.verdict !== 'failed') continue;
    io.err(`${flatLine(`safe-render: app ${app.id} ${app.verdict} (${app.definedIn.file}:${app.definedIn.line}):`)}\n`);
    reportFindings(io, app.findings);
  }
  if (r.head.findings.length) {
    io.err('safe-render: repository:\n');
    reportFindings(io, r.head.findings);
  }
  const changed = r.apps.length > 0;
  writeReport(io, out.format, r.apps, out.color, r.head.exitCode, r.unchanged);
  io.err(
    `${flatLine(`safe-render diff: ${plural(r.apps.length, 'app')} changed, appeared or disappeared; ${r.unchanged} unchanged`)}\n`,
  );
  io.err(verdictLine(r.head));
  return r.head.exitCode !== 0 || (out.exitOnChange && changed) ? 1 : 0;
}
