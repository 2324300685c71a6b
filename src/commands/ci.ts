// `safe-render ci [REPO]` and `safe-render ci merge REPORT.json...` (issue 11): every app of a
// repository checked as the sidecar would check it, and the shards' reports joined into one verdict.
// The command parses flags, calls src/ci/ and prints; the process (env, cwd, signals, terminal,
// exit code) stays cli.ts's.
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { DEFAULT_CONTROL_PLANE_NAMESPACE } from '../context/application-source';
import { splitList } from '../context/argocd-env';
import { DEFAULT_MAX_DELETIONS } from '../ci/cross-app';
import { mergeReports } from '../ci/merge';
import type { CiApp, CiReport } from '../ci/report-model';
import { REPORT_FORMATS, terminalSummary, writeReport, type ReportFormat } from '../ci/reports/index';
import { repositoryFacts } from '../ci/repository';
import { defaultBase, explicitBase } from '../lock/base-revision';
import { parseShard, type Shard } from '../ci/shard';
import { runCi, type Progress } from '../ci/run-ci';
import { runTool, shownArgv, type ToolRunner } from '../render/run-tool';
import { UsageError } from '../util/errors';
import { readRepoFile } from '../util/repo-file';
import { writeFileNoFollow } from '../util/safe-write';
import { ADOPT_FLAGS, ciRunner } from './ci-adopt';
import type { Host } from './command';
import { flatLine, reportFindings, type Io } from './report';
import { runbookBaseFor } from './runbook-url';

declare const SAFE_RENDER_VERSION: string;

const OUTPUT_FLAGS: FlagSpec[] = [
  {
    name: 'report',
    value: true,
    repeat: true,
    placeholder: 'FORMAT=FILE',
    help: `write a report (${REPORT_FORMATS.join(', ')}); FILE - is stdout (repeatable)`,
  },
  {
    name: 'runbook-url',
    value: true,
    placeholder: 'URL',
    help: 'absolute base the runbook path docs/rules/<id>.md is appended to in sarif and markdown reports (e.g. https://github.com/ORG/safe-render/blob/v0.1.0/)',
  },
  { name: 'quiet', short: 'q', help: 'print only the findings of refused and failed apps' },
  { name: 'verbose', short: 'v', help: "also print each app's engine and time, and each tool's command line" },
  { name: 'help', short: 'h', help: 'show this help' },
];

const FLAGS: FlagSpec[] = [
  {
    name: 'repo-url',
    value: true,
    placeholder: 'URL',
    help: "this repository's URL as the Applications name it (default: the origin remote)",
  },
  {
    name: 'plugin-name',
    value: true,
    placeholder: 'NAME',
    help: 'check the apps whose source names this plugin (default safe-render)',
  },
  {
    name: 'include-native',
    help: "also check this repository's apps that use Argo CD's own directory, kustomize or helm, rendered as safe-render renders the same folder: a preview of adopting the plugin (not with --init or --fix-locks)",
  },
  {
    name: 'control-plane-namespace',
    value: true,
    placeholder: 'NS',
    help: `the namespace Argo CD runs in (default ${DEFAULT_CONTROL_PLANE_NAMESPACE})`,
  },
  {
    name: 'revision',
    value: true,
    placeholder: 'SHA',
    help: 'the commit checked out, as ARGOCD_APP_REVISION (default: HEAD); with --repo-url, git is not needed',
  },
  {
    name: 'base',
    value: true,
    placeholder: 'REF',
    help: 'the revision the change started from: deletions locks accepted since then count in the repository budget (default: the merge base of HEAD with origin/HEAD, main or master, when git has one)',
  },
  { name: 'kube-version', value: true, placeholder: 'X.Y.Z', help: 'cluster version (KUBE_VERSION) for every app' },
  {
    name: 'api-versions',
    value: true,
    placeholder: 'LIST',
    help: 'comma-separated API versions (KUBE_API_VERSIONS) for every app',
  },
  {
    name: 'policy',
    value: true,
    placeholder: 'FILE',
    help: 'platform policy to apply (default: $SAFE_RENDER_POLICY, else the sidecar path if present)',
  },
  { name: 'jobs', short: 'j', value: true, placeholder: 'N', help: 'apps rendered at once (default: the CPU count)' },
  {
    name: 'shard',
    value: true,
    placeholder: 'K/N',
    help: 'check only shard K of N (a stable share of the apps); join the reports with ci merge',
  },
  {
    name: 'max-deletions',
    value: true,
    placeholder: 'N',
    help: `repository-wide deletion budget, summed over every app (default ${DEFAULT_MAX_DELETIONS})`,
  },
  ...ADOPT_FLAGS,
  ...OUTPUT_FLAGS,
];

const MERGE_FLAGS: FlagSpec[] = OUTPUT_FLAGS.filter((f) => f.name !== 'verbose');

export const CI_HELP = helpText(
  'safe-render ci [REPO] [flags]\n       safe-render ci merge REPORT.json... [flags]',
  `Checks every Argo CD app of the repository REPO (default .) exactly as the sidecar would, before the
merge: the Applications and ApplicationSets of its YAML files and those its apps render (app-of-apps),
for each app whose source is this repository and names this plugin. Others are listed as skipped.
With --include-native, apps of this repository that use Argo CD's directory, kustomize or helm are
checked too, each as safe-render would render its folder: the Application's directory.recurse,
include and exclude, helm.valueFiles, releaseName and parameters, kustomize.images and namePrefix
become plugin parameters; any other setting is not applied and is named in the JSON report
(apps[].native.notMapped).
ARGOCD_APP_REVISION is the HEAD commit. Nothing is printed on stdout unless --report FORMAT=-.
Exit 0 every checked app passed, 1 an app was refused or failed or a cross-app check fired, 2 ci
could not run (usage, not a Git repository, an unreadable report for merge).

ci merge joins the JSON reports of --shard runs into one verdict and writes the reports.`,
  FLAGS,
);

const MERGE_HELP = helpText(
  'safe-render ci merge REPORT.json... [flags]',
  'Joins the JSON reports of `safe-render ci --shard K/N` runs into one verdict (exit 0 or 1), with the\ncross-app checks over every app, and writes the reports.',
  MERGE_FLAGS,
);

/** A positive integer flag within bounds. */
function intFlag(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${flag} takes a whole number from ${min} to ${max}, not "${v.slice(0, 40)}"`);
  return Number(v);
}

function shardFlag(v: string | undefined): Shard | undefined {
  if (v === undefined) return undefined;
  const s = parseShard(v);
  if ('error' in s) throw new UsageError(s.error);
  return s;
}

interface ReportTarget {
  format: ReportFormat;
  file: string;
}

function reportTargets(values: readonly string[]): ReportTarget[] {
  return values.map((v) => {
    const eq = v.indexOf('=');
    const format = v.slice(0, eq) as ReportFormat;
    const file = v.slice(eq + 1);
    if (eq <= 0 || !REPORT_FORMATS.includes(format) || file === '')
      throw new UsageError(
        `--report takes FORMAT=FILE with FORMAT one of ${REPORT_FORMATS.join(', ')} (FILE - for stdout), not "${v.slice(0, 80)}"`,
      );
    return { format, file };
  });
}

function writeReports(
  report: CiReport,
  targets: readonly ReportTarget[],
  io: Io,
  cwd: string,
  base: string | undefined,
): void {
  for (const t of targets) {
    const text = writeReport(t.format, report, { runbookBase: base });
    if (t.file === '-') io.out(text);
    else {
      const abs = resolve(cwd, t.file);
      // In CI the working folder is the pull request's checkout: a folder of it may be a committed
      // symlink (`reports -> /elsewhere`), so below the working folder no link is followed.
      const rel = relative(cwd, abs);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) writeFileNoFollow(cwd, rel, text);
      else writeFileNoFollow(dirname(abs), basename(abs), text);
    }
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The last line: the verdict in counts. */
export function verdictLine(r: CiReport): string {
  const by = (v: CiApp['verdict']) => r.apps.filter((a) => a.verdict === v).length;
  const checked = r.apps.length - by('skipped');
  const repoErrors = r.findings.filter((f) => f.severity === 'error').length;
  const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
  return `safe-render ci${shard}: ${plural(checked, 'app')} checked: ${by('passed')} passed, ${by('refused')} refused, ${by('failed')} failed; ${by('skipped')} skipped; ${plural(r.findings.length, 'repository finding')}${repoErrors ? ` (${repoErrors} errors)` : ''}: ${r.exitCode === 0 ? 'passed' : 'refused'}\n`;
}

/** What stderr says at the end: the summary table (which lists every finding under its app) and the
 * verdict; with --quiet, only each refused or failed app's errors (one line each, under the app's
 * name) and the repository's errors. */
function printOutcome(io: Io, r: CiReport, quiet: boolean, runbookBase?: string): void {
  // Capped per rule like the sidecar's refusal: the reports (--report) keep every finding.
  const opts = { ...(runbookBase ? { runbookBase } : {}), fullList: 'a --report file lists them all' };
  const summary = quiet ? '' : terminalSummary(r);
  if (summary) {
    io.err(summary.endsWith('\n') ? summary : `${summary}\n`);
    io.err(verdictLine(r));
    return;
  }
  for (const app of r.apps) {
    if (app.verdict !== 'refused' && app.verdict !== 'failed') continue;
    const parent = app.parent ? `, rendered by ${app.parent}` : '';
    io.err(
      `${flatLine(`safe-render: app ${app.id} ${app.verdict} (${app.definedIn.file}:${app.definedIn.line}${parent}):`)}\n`,
    );
    reportFindings(io, quiet ? app.findings.filter((f) => f.severity === 'error') : app.findings, undefined, opts);
  }
  if (r.findings.length) {
    io.err('safe-render: repository:\n');
    reportFindings(io, quiet ? r.findings.filter((f) => f.severity === 'error') : r.findings, undefined, opts);
  }
  if (!quiet) io.err(verdictLine(r));
}

function progressLine(p: Progress): string {
  const slow = p.slowest ? `, slowest ${p.slowest.id} ${(p.slowest.ms / 1000).toFixed(1)}s` : '';
  return flatLine(`safe-render ci: ${p.done} apps done, ${p.left} left, ${plural(p.failures, 'failure')}${slow}`);
}

export async function ciCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), io, host);
  const a = parseArgs(argv, FLAGS, 'ci');
  if (has(a, 'help')) {
    io.out(CI_HELP);
    return 0;
  }
  if (a.positional.length > 1)
    throw new UsageError(`ci takes one REPO, got ${a.positional.length}: ${a.positional.join(' ').slice(0, 200)}`);
  const quiet = has(a, 'quiet');
  const verbose = has(a, 'verbose') && !quiet;
  const targets = reportTargets(many(a, 'report'));
  const base = runbookBaseFor(one(a, 'runbook-url'), host.env);
  const shard = shardFlag(one(a, 'shard'));
  const jobs = intFlag(one(a, 'jobs'), 'jobs', 1, 1024) ?? availableParallelism();
  const maxDeletions = intFlag(one(a, 'max-deletions'), 'max-deletions', 0, 1e9) ?? DEFAULT_MAX_DELETIONS;
  const pluginName = one(a, 'plugin-name') ?? 'safe-render';
  const controlPlaneNamespace = one(a, 'control-plane-namespace') ?? DEFAULT_CONTROL_PLANE_NAMESPACE;
  if (pluginName === '' || controlPlaneNamespace === '')
    throw new UsageError('--plugin-name and --control-plane-namespace cannot be empty');
  const includeNative = has(a, 'include-native');
  // The adoption writes safe-render.yaml and locks into app folders: not for apps that do not use the
  // plugin yet (a directory app would even read safe-render.yaml as a manifest).
  if (includeNative && (has(a, 'init') || has(a, 'fix-locks')))
    throw new UsageError(
      '--include-native previews apps that do not use the plugin; it cannot be combined with --init or --fix-locks',
    );
  const repo = repositoryFacts(
    resolve(host.cwd, a.positional[0] ?? '.'),
    host.env,
    one(a, 'repo-url'),
    one(a, 'revision'),
  );

  // Refused before anything runs, as for `lock --base`: a ref git could read as a flag never reaches git.
  const baseRef = one(a, 'base');
  const found = baseRef !== undefined ? explicitBase(repo.root, baseRef, host.env) : defaultBase(repo.root, host.env);
  const baseRevision = 'commit' in found ? found : undefined;
  if (!baseRevision && verbose)
    io.err(
      `safe-render: no base revision (${'reason' in found ? found.reason : ''}): only pending deletions count in the repository budget; pass --base REF\n`,
    );

  const runner: ToolRunner | undefined = verbose
    ? async (run, home) => {
        const t0 = Date.now();
        try {
          return await runTool(run, home);
        } finally {
          io.err(`${flatLine(`safe-render: ran ${shownArgv(run.argv)} in ${run.cwd} (${Date.now() - t0} ms)`)}\n`);
        }
      }
    : undefined;
  const tty = quiet ? undefined : host.terminal;
  let shown = false;
  const { report, notes } = await ciRunner(
    a,
    io,
    runCi,
  )({
    repo,
    pluginName,
    includeNative,
    controlPlaneNamespace,
    kubeVersion: one(a, 'kube-version') ?? '',
    apiVersions: splitList(one(a, 'api-versions')),
    policyFile: one(a, 'policy'),
    jobs,
    shard,
    maxDeletions,
    base: baseRevision,
    env: host.env,
    cwd: host.cwd,
    signal: host.signal,
    tool: typeof SAFE_RENDER_VERSION === 'string' ? SAFE_RENDER_VERSION : 'dev',
    runner,
    onApp: verbose
      ? (app) =>
          io.err(
            `${flatLine(`safe-render: app ${app.id}: ${app.verdict}${app.engine ? ` (engine: ${app.engine}, ${plural(app.objects.length, 'object')})` : ''} in ${app.durationMs} ms`)}\n`,
          )
      : undefined,
    onProgress: tty
      ? (p) => {
          shown = true;
          tty.write(`\r\x1b[K${progressLine(p)}`);
        }
      : undefined,
  });
  if (shown) tty?.write('\r\x1b[K');
  if (verbose) {
    for (const n of notes) io.err(`${flatLine(`safe-render: discovery: ${n}`)}\n`);
    for (const app of report.apps.filter((x) => x.verdict === 'skipped'))
      io.err(`${flatLine(`safe-render: skipped ${app.id}: ${app.skipped}`)}\n`);
    for (const n of report.notEvaluated)
      io.err(
        `${flatLine(`safe-render: ApplicationSet ${n.appSet}: generator ${n.generator} not evaluated: ${n.why}`)}\n`,
      );
  }
  writeReports(report, targets, io, host.cwd, base);
  printOutcome(io, report, quiet, base);
  return report.exitCode;
}

/** Largest JSON report `ci merge` reads. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

function mergeCommand(argv: readonly string[], io: Io, host: Host): number {
  const a = parseArgs(argv, MERGE_FLAGS, 'ci merge');
  if (has(a, 'help')) {
    io.out(MERGE_HELP);
    return 0;
  }
  if (!a.positional.length) throw new UsageError('ci merge needs the JSON reports of the shards (REPORT.json...)');
  const targets = reportTargets(many(a, 'report'));
  const base = runbookBaseFor(one(a, 'runbook-url'), host.env);
  const reports = a.positional.map((file) => {
    const abs = resolve(host.cwd, file);
    let text: string;
    try {
      // The guarded reader, rooted at the report's own folder: a regular file, bounded, strict UTF-8.
      text = readRepoFile(dirname(abs), abs, { shown: file, kind: 'manifest', maxBytes: MAX_REPORT_BYTES });
    } catch (e) {
      throw new UsageError(`cannot read the report ${file}: ${(e as Error).message}`);
    }
    try {
      return { file, value: JSON.parse(text) as unknown };
    } catch {
      throw new UsageError(`${file} is not a JSON report (write it with --report json=FILE)`);
    }
  });
  const merged = mergeReports(reports);
  if ('error' in merged) throw new UsageError(merged.error);
  writeReports(merged, targets, io, host.cwd, base);
  printOutcome(io, merged, has(a, 'quiet'), base);
  return merged.exitCode;
}
