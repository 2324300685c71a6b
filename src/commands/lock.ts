// `safe-render lock`: write (or check) the app's lock. The render must pass every check that does
// not compare with the lock; changes against the old lock that can delete are refused unless accepted
// by name with --accept, and accepted tokens are written into the lock for review.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { contextFromFlags, findRepoRoot, type RenderFlags } from '../context/build-context';
import { flagsFromApplication } from '../context/application-manifest';
import { deletionBudget, requiredAcceptances, type Required } from '../lock/acceptance';
import { defaultBase, explicitBase, indexAtBase, lockAtBase, type BaseRevision } from '../lock/base-revision';
import { diffLock } from '../lock/diff';
import { serializeLock, type LockFile } from '../lock/lock-file';
import { snapshotRender } from '../lock/snapshot';
import { INDEX_FILE, lockPath, parseIndex, writeLock } from '../lock/store';
import { formatLoweredFinding, indexLossFindings, lockGoneFinding, requiredSinceBase, unwitnessed, witnessFindings } from '../lock/witness';
import { readFileNoFollow } from '../util/safe-write';
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
  { name: 'check', help: 'do not write; exit 1 if the lock is missing or out of date, or lost since the base what no accepted line witnesses (for CI)' },
  { name: 'base', value: true, placeholder: 'REF', help: 'the revision the lock is compared with (default: the merge base of HEAD with origin/HEAD, main or master)' },
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

/** The revision the lock is compared with (issue 8 §9): `--base REF` (errors are exit 2), else the
 * merge base with the default branch; without one, `--check` says so and checks the rest. */
function findBase(repoRoot: string, ref: string | undefined, check: boolean, io: Io): BaseRevision | undefined {
  if (ref !== undefined) return explicitBase(repoRoot, ref);
  const found = defaultBase(repoRoot);
  if ('commit' in found) return found;
  if (check) io.err(`safe-render: warning: the lock was not compared with a base revision: ${found.reason}; pass --base REF to compare with one\n`);
  return undefined;
}

/** Largest index read back for the comparison with the base. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

export async function lockCommand(argv: readonly string[], io: Io, cwd: string): Promise<number> {
  const a = parseArgs(argv, FLAGS, 'lock');
  if (has(a, 'help')) {
    io.out(LOCK_HELP);
    return 0;
  }
  if (a.positional.length > 1) throw new UsageError(`lock takes one PATH, got ${a.positional.length}`);
  const baseRef = one(a, 'base');
  // Refused before anything runs: a ref that git could read as a flag never reaches git.
  if (baseRef !== undefined && (baseRef === '' || baseRef.startsWith('-'))) explicitBase(cwd, baseRef);
  const flags = lockFlags(a, cwd);
  // An Application's spec.source.path is relative to the repository root, not to the working directory.
  const fromManifest = one(a, 'application') !== undefined && a.positional[0] === undefined;
  const repoRoot = flags.repoRoot ? resolve(cwd, flags.repoRoot) : findRepoRoot(cwd);
  const app = contextFromFlags(fromManifest ? { ...flags, path: resolve(repoRoot, flags.path ?? '.'), repoRoot } : flags, cwd);
  const check = has(a, 'check');
  const base = findBase(app.repoRoot, baseRef, check, io);
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
  const budget = deletionBudget(result.policy?.limits);
  const baseLock = base ? lockAtBase(app.repoRoot, base, state.file) : undefined;
  // --check: what the lock on disk lost since the base must be witnessed by its accepted lines, and
  // the index must not have dropped an app whose lock recorded objects.
  const witness: Finding[] = [];
  if (check && base) {
    if (state.lock && baseLock) {
      const lowered = formatLoweredFinding(state.file, baseLock, state.lock, base, lockHint(app, []));
      if (lowered) witness.push(lowered);
      witness.push(...witnessFindings(unwitnessed(app.appName, baseLock, state.lock, budget), state.file, base, (t) => lockHint(app, [t])));
    }
    const gone = !state.lock && baseLock !== undefined && baseLock.objects.size > 0;
    if (gone) witness.push(lockGoneFinding(app.appName, state.file, baseLock, base));
    const headIndex = new Set(parseIndex(readFileNoFollow(app.repoRoot, INDEX_FILE, MAX_INDEX_BYTES) ?? ''));
    // The checked app's own deleted lock is reported once, above.
    const lost = indexAtBase(app.repoRoot, base).filter((x) => !headIndex.has(x) && !(x === app.appName && gone));
    witness.push(...indexLossFindings(lost.map((x) => ({ app: x, file: lockPath(x), lock: lockAtBase(app.repoRoot, base, lockPath(x)) })), INDEX_FILE, base));
    reportFindings(io, witness);
  }

  const next: LockFile = snapshotRender(result.objects, app, result.protectedKinds, declaredEmpty || (result.objects.length === 0 && state.lock?.empty === true));
  // Without --repo-url the repository is unknown here, not changed: keep the one the lock records.
  // Writing "" would silently switch off the repository half of app-source-drift for good.
  if (!next.source.repoURL && state.lock?.source.repoURL) next.source.repoURL = state.lock.source.repoURL;
  const accepts = many(a, 'accept');
  const changes = state.lock ? diffLock(state.lock, next) : [];
  const lockMissingToken = `lock-missing:${app.appName}`;
  // What this step changes against the current lock: accepted only by --accept.
  const stepRequired: Required[] = state.lock ? requiredAcceptances(app.appName, changes, state.lock.objects.size, budget) : state.indexed ? [{ rule: 'lock-missing', token: lockMissingToken, message: '' }] : [];
  // What the new lock loses against the base (writing only; --check reports it as lock-tampered):
  // accepted by --accept or by an accepted line already in the lock, and written into the new lock,
  // so the lock keeps witnessing every change since the base, over any number of commits.
  const witnessedBefore = new Set(state.lock?.accepted ?? []);
  const sinceBase = check || !baseLock ? [] : requiredSinceBase(app.appName, baseLock, next, budget).filter((r) => !stepRequired.some((x) => x.token === r.token));
  const acceptable = [...stepRequired, ...sinceBase];
  const unused = accepts.filter((t) => !acceptable.some((r) => r.token === t));
  if (unused.length) {
    if (!acceptable.length && !state.lock) throw new UsageError(`nothing to accept: ${app.appName} has no lock yet`);
    if (!state.lock && state.indexed && !sinceBase.length) throw new UsageError(`nothing to accept for ${unused.join(', ')}; the change that needs acceptance is: ${lockMissingToken}`);
    throw new UsageError(`nothing to accept for ${unused.join(', ')}; the changes that need acceptance are: ${acceptable.map((r) => r.token).join(', ') || 'none'}`);
  }
  if (!state.lock && state.indexed && !accepts.includes(lockMissingToken)) {
    // The index says this app had a lock: writing a fresh one would silently reset its baseline,
    // forgetting every object (and protection) the lost lock recorded.
    const refusal: Finding = {
      rule: 'lock-missing', severity: 'error', object: `app ${app.appName}`, sources: [],
      message: `${state.file} is missing although the lock index lists the app; a new lock would reset its baseline; the lock was not written`,
      fix: `restore the lock from Git (\`git log --diff-filter=D -- ${state.file}\`, then \`git checkout <commit>^ -- ${state.file}\`); to start a new baseline on purpose, run the same command with --accept ${lockMissingToken}`,
    };
    reportFindings(io, [refusal]);
    io.err(refusalSummary([refusal]).replace('nothing was emitted', 'the lock was not written'));
    return 1;
  }
  const missing = [
    ...(state.lock ? stepRequired.filter((r) => !accepts.includes(r.token)) : []),
    ...sinceBase.filter((r) => !accepts.includes(r.token) && !witnessedBefore.has(r.token)).map((r) => ({ ...r, message: `${r.message}, compared with the lock at ${base!.label} (${base!.commit.slice(0, 12)}), and the lock has no accepted line for it` })),
  ];
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
  const newlyAccepted = sinceBase.some((r) => accepts.includes(r.token) && !witnessedBefore.has(r.token));
  if (state.lock) next.accepted = changes.length || newlyAccepted ? [...new Set(acceptable.map((r) => r.token))] : state.lock.accepted;
  else next.accepted = [...new Set(acceptable.map((r) => r.token))];

  const text = serializeLock(next);
  const summary = `${next.objects.size} objects, ${changes.filter((c) => c.kind === 'added').length} added, ${changes.filter((c) => c.kind === 'deleted').length} removed${next.accepted.length ? `, accepted: ${next.accepted.join(', ')}` : ''}`;
  if (check) {
    const current = state.lock ? serializeLock(state.lock) : undefined;
    if (current === text) {
      if (witness.length) {
        io.err(`safe-render: ${state.file} matches the render, but lost since ${base!.label} what no accepted line witnesses (${witness.length} finding${witness.length === 1 ? '' : 's'})\n`);
        return 1;
      }
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
