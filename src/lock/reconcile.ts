// What `safe-render lock` may make of the app's lock (issue 10: moved out of the command, returning
// values). The render must pass every check that does not compare with the lock; changes against the
// old lock that can delete are refused unless accepted by name, and accepted tokens are written into
// the lock for review. With a base revision, what the new lock loses since the base must be accepted
// too (or already witnessed by an accepted line), and `--check` reports what the lock on disk lost
// without a witness (issue 8 §9). Reads the lock at the base through Git; writes nothing.
import type { Finding } from '../model/finding';
import { acceptToken, CATALOG, type RuleId } from '../model/rule-catalog';
import { lockCommand as lockHint } from './lock-hint';
import type { AppContext } from '../context/app-context';
import type { ManifestObject } from '../model/object';
import { readFileNoFollow } from '../util/safe-write';
import { UsageError } from '../util/errors';
import { deletionBudget, requiredAcceptances, type Required } from './acceptance';
import { indexAtBase, lockAtBase, type BaseRevision, type GitEnv } from './base-revision';
import { diffLock, type LockChange } from './diff';
import { byCodeUnit } from '../util/compare';
import { serializeLock, type LockFile } from './lock-file';
import { snapshotRender, type GeneratedNames } from './snapshot';
import { INDEX_FILE, lockPath, parseIndex, type LockState } from './store';
import {
  formatLoweredFinding,
  indexLossFindings,
  lockGoneFinding,
  requiredSinceBase,
  unwitnessed,
  witnessFindings,
} from './witness';
import type { PolicyLimits } from '../config/platform-policy';

/** What the refusal summary says did not happen. */
export const LOCK_NOT_WRITTEN = 'the lock was not written';

/** Largest index read back for the comparison with the base. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

/** The render's findings that gate a lock: all but the lock comparisons (and empty-render when the
 * app is declared empty). An error among them means no lock is written. */
export function lockGateFindings(findings: readonly Finding[], declaredEmpty: boolean): Finding[] {
  return findings.filter((f) => !CATALOG[f.rule].comparesWithLock && !(declaredEmpty && f.rule === 'empty-render'));
}

export interface ReconcileInput {
  app: AppContext;
  /** The render, already through the gate. */
  objects: readonly ManifestObject[];
  /** What each ApplicationSet of the render generates offline (runChecks), recorded in the lock. */
  generated?: ReadonlyMap<string, GeneratedNames>;
  protectedKinds: readonly string[];
  lockState: LockState;
  limits?: PolicyLimits;
  /** --accept tokens. */
  accepts: readonly string[];
  /** --empty. */
  declaredEmpty: boolean;
  /** --check: compare, never write. */
  check: boolean;
  base?: BaseRevision;
  /** The environment git runs with (for the lock at the base). */
  env: GitEnv;
}

/** How the lock step ends. `refused` and `stale`: exit 1 with the findings; `usage`: exit 2 with the
 * error; `witness-lost`: exit 1; `up-to-date`: exit 0; `write`: the caller writes `lock`. */
export type LockOutcome =
  | { kind: 'usage'; error: UsageError }
  | { kind: 'refused'; findings: Finding[] }
  | { kind: 'up-to-date'; file: string; objects: number }
  | { kind: 'witness-lost'; file: string; base: BaseRevision; count: number }
  | { kind: 'stale'; finding: Finding; named: NamedChanges }
  | { kind: 'write'; lock: LockFile; summary: string; named: NamedChanges };

/** The objects a lock change adds and removes, by reference (issue 14: `lock --check` names them). */
export interface NamedChanges {
  added: string[];
  removed: string[];
}

/** The references of the changes of one kind, sorted (the render's order is not the lock's). */
const refsOf = (changes: readonly LockChange[], kind: 'added' | 'deleted'): string[] =>
  changes
    .filter((c) => c.kind === kind)
    .map((c) => (c as { ref: string }).ref)
    .sort(byCodeUnit);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export interface Reconciled {
  /** --check with a base: what the lock on disk lost since the base without a witness (reported
   * before the outcome, whatever it is). */
  witness: Finding[];
  outcome: LockOutcome;
}

/** A refusal about the app's lock as a whole (no one object, no source lines). */
function lockFinding(rule: RuleId, app: string, message: string, fix: string): Finding {
  return { rule, severity: 'error', object: `app ${app}`, sources: [], message, fix };
}

/** A change that needs `--accept token`, refused: the object is the token's reference. */
function acceptanceFinding(r: Required, message: string): Finding {
  return {
    rule: r.rule,
    severity: 'error',
    object: r.ref,
    sources: [],
    message,
    fix: `if this is intended, run the same command with --accept ${r.token}`,
  };
}

/** The witness findings of --check against the base. */
function witnessOf(input: ReconcileInput, baseLock: LockFile | undefined): Finding[] {
  const { app, lockState: state, base, env } = input;
  if (!input.check || !base) return [];
  const witness: Finding[] = [];
  const budget = deletionBudget(input.limits);
  if (state.lock && baseLock) {
    // A lock lowered to an older format is compared on what that format records (review8, issue 8 §9).
    const lowered = formatLoweredFinding(state.file, baseLock, state.lock, base, lockHint(app, []));
    if (lowered) witness.push(lowered);
    witness.push(
      ...witnessFindings(unwitnessed(app.appName, baseLock, state.lock, budget), state.file, base, (t) =>
        lockHint(app, [t]),
      ),
    );
  }
  const gone = !state.lock && baseLock !== undefined && baseLock.objects.size > 0;
  if (gone) witness.push(lockGoneFinding(app.appName, state.file, baseLock, base));
  const headIndex = new Set(parseIndex(readFileNoFollow(app.repoRoot, INDEX_FILE, MAX_INDEX_BYTES) ?? ''));
  // The checked app's own deleted lock is reported once, above.
  const lost = indexAtBase(app.repoRoot, base, env).filter((x) => !headIndex.has(x) && !(x === app.appName && gone));
  witness.push(
    ...indexLossFindings(
      lost.map((x) => ({ app: x, file: lockPath(x), lock: lockAtBase(app.repoRoot, base, lockPath(x), env) })),
      INDEX_FILE,
      base,
    ),
  );
  return witness;
}

/** Decides what the lock becomes. Throws only for what it cannot read (the lock at the base). */
export function reconcileLock(input: ReconcileInput): Reconciled {
  const { app, objects, lockState: state, accepts, declaredEmpty, check, base } = input;
  if (declaredEmpty && objects.length)
    return {
      witness: [],
      outcome: { kind: 'usage', error: new UsageError(`--empty, but the app renders ${objects.length} objects`) },
    };
  const budget = deletionBudget(input.limits);
  const baseLock = base ? lockAtBase(app.repoRoot, base, state.file, input.env) : undefined;
  const witness = witnessOf(input, baseLock);
  const end = (outcome: LockOutcome): Reconciled => ({ witness, outcome });

  const next: LockFile = snapshotRender(
    objects,
    app,
    input.protectedKinds,
    declaredEmpty || (objects.length === 0 && state.lock?.empty === true),
    input.generated,
  );
  // Without --repo-url the repository is unknown here, not changed: keep the one the lock records.
  // Writing "" would silently switch off the repository half of app-source-drift for good.
  if (!next.source.repoURL && state.lock?.source.repoURL) next.source.repoURL = state.lock.source.repoURL;
  const changes = state.lock ? diffLock(state.lock, next) : [];
  const lockMissingToken = acceptToken('lock-missing', { app: app.appName });
  // What this step changes against the current lock: accepted only by --accept.
  const stepRequired: Required[] = state.lock
    ? requiredAcceptances(app.appName, changes, state.lock.objects.size, budget)
    : state.indexed
      ? [{ rule: 'lock-missing', ref: app.appName, token: lockMissingToken, message: '' }]
      : [];
  // What the new lock loses against the base (writing only; --check reports it as lock-tampered):
  // accepted by --accept or by an accepted line already in the lock, and written into the new lock,
  // so the lock keeps witnessing every change since the base, over any number of commits.
  const witnessedBefore = new Set(state.lock?.accepted ?? []);
  const sinceBase =
    check || !baseLock
      ? []
      : requiredSinceBase(app.appName, baseLock, next, budget).filter(
          (r) => !stepRequired.some((x) => x.token === r.token),
        );
  const acceptable = [...stepRequired, ...sinceBase];
  const unused = accepts.filter((t) => !acceptable.some((r) => r.token === t));
  if (unused.length) {
    const message =
      !acceptable.length && !state.lock
        ? `nothing to accept: ${app.appName} has no lock yet`
        : !state.lock && state.indexed && !sinceBase.length
          ? `nothing to accept for ${unused.join(', ')}; the change that needs acceptance is: ${lockMissingToken}`
          : `nothing to accept for ${unused.join(', ')}; the changes that need acceptance are: ${acceptable.map((r) => r.token).join(', ') || 'none'}`;
    return end({ kind: 'usage', error: new UsageError(message) });
  }
  if (!state.lock && state.indexed && !accepts.includes(lockMissingToken)) {
    // The index says this app had a lock: writing a fresh one would silently reset its baseline,
    // forgetting every object (and protection) the lost lock recorded.
    return end({
      kind: 'refused',
      findings: [
        lockFinding(
          'lock-missing',
          app.appName,
          `${state.file} is missing although the lock index lists the app; a new lock would reset its baseline; ${LOCK_NOT_WRITTEN}`,
          `restore the lock from Git (\`git log --diff-filter=D -- ${state.file}\`, then \`git checkout <commit>^ -- ${state.file}\`); to start a new baseline on purpose, run the same command with --accept ${lockMissingToken}`,
        ),
      ],
    });
  }
  const missing = [
    ...(state.lock
      ? stepRequired
          .filter((r) => !accepts.includes(r.token))
          .map((r) => acceptanceFinding(r, `${r.message}; ${LOCK_NOT_WRITTEN}`))
      : []),
    ...sinceBase
      .filter((r) => !accepts.includes(r.token) && !witnessedBefore.has(r.token))
      .map((r) =>
        acceptanceFinding(
          r,
          `${r.message}, compared with the lock at ${base!.label} (${base!.commit.slice(0, 12)}), and the lock has no accepted line for it; ${LOCK_NOT_WRITTEN}`,
        ),
      ),
  ];
  if (missing.length) return end({ kind: 'refused', findings: missing });
  const newlyAccepted = sinceBase.some((r) => accepts.includes(r.token) && !witnessedBefore.has(r.token));
  if (state.lock)
    next.accepted =
      changes.length || newlyAccepted ? [...new Set(acceptable.map((r) => r.token))] : state.lock.accepted;
  else next.accepted = [...new Set(acceptable.map((r) => r.token))];

  const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
  const generatedCount = [...next.objects.values()].reduce((n, s) => n + (s.generates?.length ?? 0), 0);
  const generatedPart =
    generatedCount || count('generated-added') || count('generated-removed')
      ? `, ${generatedCount} generated Applications (${count('generated-added')} added, ${count('generated-removed')} removed)`
      : '';
  const acceptedPart = next.accepted.length ? `, accepted: ${next.accepted.join(', ')}` : '';
  // A first lock adds nothing to a baseline: it is one (issue 14).
  const summary = state.lock
    ? `${next.objects.size} objects, ${count('added')} added, ${count('deleted')} removed${generatedPart}${acceptedPart}`
    : `locked ${plural(next.objects.size, 'object')}${generatedCount ? `, ${plural(generatedCount, 'generated Application')}` : ''}${acceptedPart}`;
  const named: NamedChanges = {
    added: refsOf(changes, 'added'),
    removed: refsOf(changes, 'deleted'),
  };
  if (!check) return end({ kind: 'write', lock: next, summary, named });
  const current = state.lock ? serializeLock(state.lock) : undefined;
  if (current === serializeLock(next)) {
    if (witness.length) return end({ kind: 'witness-lost', file: state.file, base: base!, count: witness.length });
    return end({ kind: 'up-to-date', file: state.file, objects: next.objects.size });
  }
  return end({
    kind: 'stale',
    finding: lockFinding(
      'lock-stale',
      app.appName,
      state.lock ? `${state.file} is out of date (${summary})` : `${state.file} does not exist`,
      `run ${lockHint(app)} and commit the lock`,
    ),
    named,
  });
}
