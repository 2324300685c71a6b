// `safe-render lock`: write (or check) the app's lock. This parses the flags, runs the app, asks
// src/lock/reconcile.ts what the lock may become, and prints that (writing the lock when allowed).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromFlags, findRepoRoot, type RenderFlags } from '../context/build-context';
import { flagsFromApplication, flagsFromApplicationObject, manifestDocs } from '../context/application-manifest';
import { listRepoTree } from '../render/repo-tree';
import { loadPolicy } from '../pipeline/policy';
import { repoFileReader } from '../pipeline/repo-file-reader';
import { generatedApplication, templateRepoURL } from './generated-application';
import { defaultBase, explicitBase, type BaseRevision, type GitEnv } from '../lock/base-revision';
import { lockGateFindings, LOCK_NOT_WRITTEN, reconcileLock, type NamedChanges } from '../lock/reconcile';
import { writeLock } from '../lock/store';
import { gitRemoteURL } from '../lock/remote-url';
import type { LockState } from '../lock/store';
import type { AppContext } from '../context/app-context';
import { runApp } from '../pipeline/run-app';
import { UsageError } from '../util/errors';
import type { Host } from './command';
import { CONTEXT_FLAGS, contextFlags } from './render';
import { flatLine, hasErrors, refusalSummary, reportFindings, type Io } from './report';

const FLAGS: FlagSpec[] = [
  ...CONTEXT_FLAGS,
  {
    name: 'application',
    value: true,
    placeholder: 'FILE',
    help: 'read name, destination, source and plugin settings from an Argo CD Application manifest',
  },
  {
    name: 'generated',
    value: true,
    placeholder: 'NAME',
    help: 'with --application APPSET.yaml: lock the Application NAME (or NAMESPACE/NAME) its ApplicationSet generates',
  },
  {
    name: 'control-plane-namespace',
    value: true,
    placeholder: 'NS',
    help: "Argo CD's own namespace (default argocd); apps elsewhere are named NS_NAME",
  },
  {
    name: 'accept',
    value: true,
    repeat: true,
    placeholder: 'RULE:REF',
    help: 'accept one dangerous change, e.g. protected-deletion:apps/StatefulSet/prod/kafka',
  },
  { name: 'empty', help: 'declare that the app is meant to render nothing' },
  {
    name: 'check',
    help: 'do not write; exit 1 if the lock is missing or out of date, or lost since the base what no accepted line witnesses (for CI)',
  },
  {
    name: 'base',
    value: true,
    placeholder: 'REF',
    help: 'the revision the lock is compared with (default: the merge base of HEAD with origin/HEAD, main or master)',
  },
  { name: 'policy', value: true, placeholder: 'FILE', help: 'platform policy to apply' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const LOCK_HELP = helpText(
  'safe-render lock [PATH] [flags]',
  'Write the lock of the app in PATH (relative to the repository root) under .safe-render/: the reviewed\nbaseline that the sidecar compares every render with. Dangerous changes need --accept RULE:REF.\nRuns inside a Git checkout; without --repo-url the repoURL is that of the Git remote (origin, else the only one).',
  FLAGS,
);

function lockFlags(a: ReturnType<typeof parseArgs>, host: Host): RenderFlags {
  const { cwd } = host;
  const common = contextFlags(a);
  const appFile = one(a, 'application');
  const generated = one(a, 'generated');
  if (generated !== undefined && !appFile) throw new UsageError('--generated NAME needs --application APPSET.yaml');
  if (!appFile) return common;
  const text = readManifest(cwd, appFile);
  const controlPlane = one(a, 'control-plane-namespace') ?? 'argocd';
  const fromApp =
    generated === undefined
      ? flagsFromApplication(text, appFile, controlPlane)
      : flagsFromGenerated(a, host, text, appFile, generated, controlPlane);
  // Flags given explicitly win over the manifest.
  const merged: RenderFlags = { ...fromApp };
  for (const [k, v] of Object.entries(common))
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (merged as unknown as Record<string, unknown>)[k] = v;
  return merged;
}

function readManifest(cwd: string, file: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The flags of the Application NAME that the ApplicationSet in `file` generates (issue 11). Its git
 * generators read this repository when it is the one they name: --repo-url, else the literal repoURL
 * of the ApplicationSet's template. */
function flagsFromGenerated(
  a: ReturnType<typeof parseArgs>,
  host: Host,
  text: string,
  file: string,
  name: string,
  controlPlane: string,
): RenderFlags {
  const docs = manifestDocs(text, file);
  const rootFlag = one(a, 'repo-root');
  const repoRoot = rootFlag ? resolve(host.cwd, rootFlag) : findRepoRoot(host.cwd);
  const tree = memoOnce(() => listRepoTree(repoRoot));
  const repo = {
    repoURL: one(a, 'repo-url') ?? templateRepoURL(docs) ?? '',
    tree,
    readFile: repoFileReader(repoRoot),
  };
  const install = loadPolicy({ appName: '', project: '' }, host.env, host.cwd, one(a, 'policy'))?.argocd ?? {};
  const body = generatedApplication(docs, file, name, repo, install, controlPlane);
  return flagsFromApplicationObject(body, `${file} (generated ${name})`, controlPlane);
}

function memoOnce<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

/** The revision the lock is compared with (issue 8 §9): `--base REF` (errors are exit 2), else the
 * merge base with the default branch; without one, `--check` says so and checks the rest. */
function findBase(
  repoRoot: string,
  ref: string | undefined,
  check: boolean,
  io: Io,
  env: GitEnv,
): BaseRevision | undefined {
  if (ref !== undefined) return explicitBase(repoRoot, ref, env);
  const found = defaultBase(repoRoot, env);
  if ('commit' in found) return found;
  if (check)
    io.err(
      `safe-render: warning: the lock was not compared with a base revision: ${found.reason}; pass --base REF to compare with one\n`,
    );
  return undefined;
}

/** `lock` writes into the repository's `.safe-render/` and compares with its Git history: outside a
 * repository it would write a lock beside the app that nothing ever reads (issue 14). The repository
 * root is the folder holding `.git` (a folder, or a worktree's file), as findRepoRoot finds it. */
function requireRepository(repoRoot: string, appDir: string): void {
  if (!existsSync(join(repoRoot, '.git')))
    throw new UsageError(
      `lock writes into the repository's .safe-render/ folder, but ${appDir} is not inside a Git repository (no .git found at or above it); run it in a checkout of the repository Argo CD reads, or give --repo-root ROOT`,
    );
}

/** The app as the lock records it. The Git remote is only the default of a lock that records no URL:
 * a lock that records one keeps it unless --repo-url says otherwise, whether the remote spells the same
 * repository differently (`git@host:org/repo` against `https://host/org/repo`: two clones would rewrite
 * each other's lock) or names another one (Argo CD reads a mirror, people clone the original: the lock
 * records what Argo CD reads). Without any URL the recorded one also goes into the fix texts. */
function recordedURL(app: AppContext, state: LockState, fromRemote: boolean): AppContext {
  const recorded = state.lock?.source.repoURL ?? '';
  if (recorded !== '' && (app.repoURL === '' || fromRemote)) return { ...app, repoURL: recorded };
  return app;
}

/** How many new and gone objects `lock` names, each; the rest are counted. */
export const NAMED_CAP = 20;

/** `  new: REF` / `  gone: REF` lines, at most NAMED_CAP of each kind, then `  ... and N more new`. */
function namedLines(named: NamedChanges): string {
  const part = (refs: readonly string[], word: string) => [
    ...refs.slice(0, NAMED_CAP).map((r) => `  ${word}: ${flatLine(r)}\n`),
    ...(refs.length > NAMED_CAP ? [`  ... and ${refs.length - NAMED_CAP} more ${word}\n`] : []),
  ];
  return [...part(named.added, 'new'), ...part(named.removed, 'gone')].join('');
}

export async function lockCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  const { cwd, env } = host;
  const a = parseArgs(argv, FLAGS, 'lock');
  if (has(a, 'help')) {
    io.out(LOCK_HELP);
    return 0;
  }
  if (a.positional.length > 1) throw new UsageError(`lock takes one PATH, got ${a.positional.length}`);
  const baseRef = one(a, 'base');
  // Refused before anything runs: a ref that git could read as a flag never reaches git.
  if (baseRef !== undefined && (baseRef === '' || baseRef.startsWith('-'))) explicitBase(cwd, baseRef, env);
  const flags = lockFlags(a, host);
  // An Application's spec.source.path is relative to the repository root, not to the working directory.
  const fromManifest = one(a, 'application') !== undefined && a.positional[0] === undefined;
  const repoRoot = flags.repoRoot ? resolve(cwd, flags.repoRoot) : findRepoRoot(cwd);
  const located = contextFromFlags(
    fromManifest ? { ...flags, path: resolve(repoRoot, flags.path ?? '.'), repoRoot } : flags,
    cwd,
  );
  requireRepository(located.repoRoot, located.appDir);
  // No --repo-url (nor an Application's): the Git remote names the repository, as it does for `ci` (issue 14).
  const remote = !flags.repoURL ? gitRemoteURL(located.repoRoot, env) : undefined;
  const fromRemote = remote !== undefined && 'url' in remote;
  const rendered = fromRemote ? { ...located, repoURL: remote.url } : located;
  const check = has(a, 'check');
  const base = findBase(located.repoRoot, baseRef, check, io, env);
  const result = await runApp(rendered, {
    mode: 'preview',
    env,
    cwd,
    signal: host.signal,
    policyFile: one(a, 'policy'),
  });
  if (!result.ok) throw result.failure;
  const app = recordedURL(rendered, result.lockState, fromRemote);
  if (fromRemote && app.repoURL === remote.url)
    io.err(
      `safe-render: the lock's repoURL is ${flatLine(remote.url)} (Git remote ${flatLine(remote.remote)}; --repo-url URL overrides it)\n`,
    );
  if (app.repoURL === '')
    io.err(
      `safe-render: warning: the lock records no repoURL: no --repo-url was given and ${remote && 'reason' in remote ? remote.reason : 'none is known'}; without it app-source-drift cannot see the app re-pointed at another repository. Pass --repo-url URL (the repoURL of the app's Argo CD Application)\n`,
    );
  const declaredEmpty = has(a, 'empty');
  const gate = lockGateFindings(result.findings, declaredEmpty);
  reportFindings(io, gate);
  if (hasErrors(gate)) {
    io.err(refusalSummary(gate, LOCK_NOT_WRITTEN));
    return 1;
  }
  const { witness, outcome } = reconcileLock({
    app,
    objects: result.objects,
    generated: result.generated,
    protectedKinds: result.protectedKinds,
    lockState: result.lockState,
    limits: result.policy?.limits,
    accepts: many(a, 'accept'),
    declaredEmpty,
    check,
    base,
    env,
  });
  if (witness.length) reportFindings(io, witness);
  switch (outcome.kind) {
    case 'usage':
      throw outcome.error;
    case 'refused':
      reportFindings(io, outcome.findings);
      io.err(refusalSummary(outcome.findings, LOCK_NOT_WRITTEN));
      return 1;
    case 'witness-lost':
      io.err(
        `safe-render: ${outcome.file} matches the render, but lost since ${outcome.base.label} what no accepted line witnesses (${outcome.count} finding${outcome.count === 1 ? '' : 's'})\n`,
      );
      return 1;
    case 'up-to-date':
      io.err(`safe-render: ${outcome.file} is up to date (${outcome.objects} objects)\n`);
      return 0;
    case 'stale':
      reportFindings(io, [outcome.finding]);
      io.err(namedLines(outcome.named));
      return 1;
    case 'write': {
      const file = writeLock(app.repoRoot, outcome.lock);
      io.err(`safe-render: wrote ${file}: ${outcome.summary}\n`);
      io.err(namedLines(outcome.named));
      return 0;
    }
  }
}
