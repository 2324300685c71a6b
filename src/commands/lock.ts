// `safe-render lock`: write (or check) the app's lock. The render must pass every check that does
// not compare with the lock; changes against the old lock that can delete are refused unless accepted
// by name with --accept, and accepted tokens are written into the lock for review.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromFlags, findRepoRoot, type RenderFlags } from '../context/build-context';
import { flagsFromApplication } from '../context/application-manifest';
import { deletionBudget, requiredAcceptances } from '../lock/acceptance';
import { diffLock } from '../lock/diff';
import { serializeLock, type LockFile } from '../lock/lock-file';
import { snapshotRender } from '../lock/snapshot';
import { writeLock } from '../lock/store';
import { UsageError } from '../util/errors';
import type { Finding } from '../checks/finding';
import { lockCommand as lockHint } from '../checks/lock-hint';
import { runPipeline } from './pipeline';
import { CONTEXT_FLAGS } from './render';
import { hasErrors, refusalSummary, reportFindings, type Io } from './report';

/** Findings that compare the render with the old lock: reconciling them is what `lock` is for. */
const LOCK_COMPARISON_RULES = new Set(['lock-missing', 'lock-stale', 'unacknowledged-deletion', 'app-source-drift', 'app-destination-change', 'finalizer-change', 'safety-weakened']);

const FLAGS: FlagSpec[] = [
  ...CONTEXT_FLAGS,
  { name: 'application', value: true, placeholder: 'FILE', help: 'read name, destination, source and plugin settings from an Argo CD Application manifest' },
  { name: 'control-plane-namespace', value: true, placeholder: 'NS', help: 'Argo CD\'s own namespace (default argocd); apps elsewhere are named NS_NAME' },
  { name: 'accept', value: true, repeat: true, placeholder: 'RULE:REF', help: 'accept one dangerous change, e.g. protected-deletion:apps/StatefulSet/prod/kafka' },
  { name: 'empty', help: 'declare that the app is meant to render nothing' },
  { name: 'check', help: 'do not write; exit 1 if the lock is missing or out of date (for CI)' },
  { name: 'policy', value: true, placeholder: 'FILE', help: 'platform policy to apply' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const LOCK_HELP = helpText('safe-render lock [PATH] [flags]',
  'Write the lock of the app in PATH (relative to the repository root) under .safe-render/: the reviewed\nbaseline that the sidecar compares every render with. Dangerous changes need --accept RULE:REF.', FLAGS);

function lockFlags(a: ReturnType<typeof parseArgs>, cwd: string): RenderFlags {
  const common = {
    path: a.positional[0], app: one(a, 'app'), namespace: one(a, 'namespace'), project: one(a, 'project'),
    repoURL: one(a, 'repo-url'), revision: one(a, 'revision'), repoRoot: one(a, 'repo-root'),
    kubeVersion: one(a, 'kube-version'), apiVersions: one(a, 'api-versions'), env: many(a, 'env'), params: many(a, 'param'),
  };
  const appFile = one(a, 'application');
  if (!appFile) return common;
  const fromApp = flagsFromApplication(readFileSync(resolve(cwd, appFile), 'utf8'), appFile, one(a, 'control-plane-namespace') ?? 'argocd');
  // Flags given explicitly win over the manifest.
  const merged: RenderFlags = { ...fromApp };
  for (const [k, v] of Object.entries(common)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (merged as unknown as Record<string, unknown>)[k] = v;
  return merged;
}

export async function lockCommand(argv: readonly string[], io: Io, cwd: string): Promise<number> {
  const a = parseArgs(argv, FLAGS, 'lock');
  if (has(a, 'help')) {
    io.out(LOCK_HELP);
    return 0;
  }
  if (a.positional.length > 1) throw new UsageError(`lock takes one PATH, got ${a.positional.length}`);
  const flags = lockFlags(a, cwd);
  // An Application's spec.source.path is relative to the repository root, not to the working directory.
  const fromManifest = one(a, 'application') !== undefined && a.positional[0] === undefined;
  const repoRoot = flags.repoRoot ? resolve(cwd, flags.repoRoot) : findRepoRoot(cwd);
  const app = contextFromFlags(fromManifest ? { ...flags, path: resolve(repoRoot, flags.path ?? '.'), repoRoot } : flags, cwd);
  const result = await runPipeline(app, { mode: 'preview', env: process.env, policyFile: one(a, 'policy') });
  const declaredEmpty = has(a, 'empty');
  const findings = result.findings.filter((f) => !LOCK_COMPARISON_RULES.has(f.rule) && !(declaredEmpty && f.rule === 'empty-render'));
  reportFindings(io, findings);
  if (hasErrors(findings)) {
    io.err(refusalSummary(findings).replace('nothing was emitted', 'the lock was not written'));
    return 1;
  }
  if (declaredEmpty && result.objects.length) throw new UsageError(`--empty, but the app renders ${result.objects.length} objects`);

  const state = result.lockState;
  const next: LockFile = snapshotRender(result.objects, app, result.protectedKinds, declaredEmpty || (result.objects.length === 0 && state.lock?.empty === true));
  // Without --repo-url the repository is unknown here, not changed: keep the one the lock records.
  // Writing "" would silently switch off the repository half of app-source-drift for good.
  if (!next.source.repoURL && state.lock?.source.repoURL) next.source.repoURL = state.lock.source.repoURL;
  const accepts = many(a, 'accept');
  const changes = state.lock ? diffLock(state.lock, next) : [];
  if (state.lock) {
    const required = requiredAcceptances(app.appName, changes, state.lock.objects.size, deletionBudget(result.policy?.limits));
    const missing = required.filter((r) => !accepts.includes(r.token));
    const unused = accepts.filter((t) => !required.some((r) => r.token === t));
    if (unused.length) throw new UsageError(`nothing to accept for ${unused.join(', ')}; the changes that need acceptance are: ${required.map((r) => r.token).join(', ') || 'none'}`);
    if (missing.length) {
      const refusals: Finding[] = missing.map((r) => ({
        rule: r.rule, severity: 'error', object: r.token.slice(r.rule.length + 1), sources: [],
        message: `${r.message}; the lock was not written`,
        fix: `if this is intended, run the same command with --accept ${r.token}`,
      }));
      reportFindings(io, refusals);
      io.err(refusalSummary(refusals).replace('nothing was emitted', 'the lock was not written'));
      return 1;
    }
    next.accepted = changes.length ? required.map((r) => r.token) : state.lock.accepted;
  } else if (state.indexed) {
    // The index says this app had a lock: writing a fresh one would silently reset its baseline,
    // forgetting every object (and protection) the lost lock recorded.
    const token = `lock-missing:${app.appName}`;
    const unused = accepts.filter((t) => t !== token);
    if (unused.length) throw new UsageError(`nothing to accept for ${unused.join(', ')}; the change that needs acceptance is: ${token}`);
    if (!accepts.includes(token)) {
      const refusal: Finding = {
        rule: 'lock-missing', severity: 'error', object: `app ${app.appName}`, sources: [],
        message: `${state.file} is missing although the lock index lists the app; a new lock would reset its baseline; the lock was not written`,
        fix: `restore the lock from Git (\`git log --diff-filter=D -- ${state.file}\`, then \`git checkout <commit>^ -- ${state.file}\`); to start a new baseline on purpose, run the same command with --accept ${token}`,
      };
      reportFindings(io, [refusal]);
      io.err(refusalSummary([refusal]).replace('nothing was emitted', 'the lock was not written'));
      return 1;
    }
    next.accepted = [token];
  } else if (accepts.length) {
    throw new UsageError(`nothing to accept: ${app.appName} has no lock yet`);
  }

  const text = serializeLock(next);
  const summary = `${next.objects.size} objects, ${changes.filter((c) => c.kind === 'added').length} added, ${changes.filter((c) => c.kind === 'deleted').length} removed${next.accepted.length ? `, accepted: ${next.accepted.join(', ')}` : ''}`;
  if (has(a, 'check')) {
    const current = state.lock ? serializeLock(state.lock) : undefined;
    if (current === text) {
      io.err(`safe-render: ${state.file} is up to date (${next.objects.size} objects)\n`);
      return 0;
    }
    reportFindings(io, [{
      rule: 'lock-stale', severity: 'error', object: `app ${app.appName}`, sources: [],
      message: state.lock ? `${state.file} is out of date (${summary})` : `${state.file} does not exist`,
      fix: `run ${lockHint(app)} and commit the lock`,
    }]);
    return 1;
  }
  const file = writeLock(app.repoRoot, next);
  io.err(`safe-render: wrote ${file}: ${summary}\n`);
  return 0;
}
