// The lock: a committed, reviewable record of what an app renders, in the spirit of a package lock.
// Text, one object per line, sorted, no timestamps, stable byte for byte; never any Secret data (only
// identities and a few safety-relevant fields are recorded).
//
//   # comments
//   safe-render-lock 1
//   app web
//   source {"path":"apps/web","repoURL":"https://git.example.com/shop.git"}
//   empty false
//   object apps/StatefulSet/prod/kafka {"protected":"StatefulSet is a protected kind"}
//   object argoproj.io/ApplicationSet/argocd/shop {"generates":["argocd/cart","argocd/web"],...}
//   object core/ConfigMap/prod/settings
//   accepted protected-deletion:apps/StatefulSet/prod/zookeeper
import { RenderFailure } from '../util/errors';
import { MAX_NESTING_DEPTH } from '../util/yaml-depth';
import { canonicalJson, parseJsonExact } from '../util/canonical-json';
import { byCodeUnit } from '../util/compare';
import { excerpt } from '../util/repo-file';

/** 2: hooks recorded as `{"hook":...}`, every render-deciding field of an Application source
 * (app-source.ts), ApplicationSet `templatePatch`. Format 1 still reads (see diff.ts for how it compares).
 * The generated Applications of an ApplicationSet (`generates`, issue 11) did not bump it: they sit in
 * the ApplicationSet's state JSON, which every format-2 reader accepts; an older safe-render sees a
 * recorded state that differs from its render (lock-stale) and guards everything else as before. */
export const LOCK_VERSION = 2;
/** The formats this safe-render reads. */
export const READABLE_LOCK_VERSIONS: readonly number[] = [1, 2];

/** Safety-relevant state of one object; every field optional, absent when not applicable. */
export interface ObjectState {
  /** Why it is protected (recorded so protection survives the object's own edits). */
  protected?: string;
  /** sync-options, helm resource-policy, flux prune annotations, when set. */
  annotations?: Record<string, string>;
  /** Argo CD Application / ApplicationSet template / AppProject fields that decide what gets deleted. */
  destination?: unknown;
  source?: unknown;
  finalizers?: string[];
  syncPolicy?: unknown;
  preserveResourcesOnDeletion?: boolean;
  /** The object is an Argo CD hook (the annotation that makes it one): not synced, never pruned. */
  hook?: string;
  /** sha256 of an ApplicationSet's spec.templatePatch. */
  templatePatch?: string;
  /** An ApplicationSet: the Applications its generators yield offline (`namespace/name`, sorted), when
   * every generator could be evaluated (issue 11). Absent = nothing recorded (a lock written before
   * this field, or a generator that needs the cluster): no generated name is then guarded. */
  generates?: string[];
  /** An ApplicationSet whose effective applicationsSync policy never deletes an Application
   * (`create-only`, `create-update`): a name it stops generating is left running, so dropping it
   * deletes nothing (recorded only beside `generates`). */
  applicationsSync?: string;
}

/** The applicationsSync policies under which the ApplicationSet controller never deletes an
 * Application (argo-cd pkg/apis/application/v1alpha1/applicationset_types.go ApplicationsSyncPolicy.
 * AllowDelete: true for sync and create-delete only; the CRD's enum refuses any other value). */
export const KEEPING_POLICIES: readonly string[] = ['create-only', 'create-update'];

/** `namespace/name` of a generated Application: both parts DNS names, as the controller requires. */
export const GENERATED_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** What is wrong with the `generates`/`applicationsSync` of a state read from a lock, if anything. A lock
 * is hostile input: only sorted, unique, well-formed names are read, never guessed around. */
function generatedProblem(state: ObjectState): string | undefined {
  const g = state.generates as unknown;
  if (g !== undefined) {
    if (!Array.isArray(g) || g.some((x) => typeof x !== 'string' || !GENERATED_NAME.test(x)))
      return 'generates must be a list of namespace/name';
    for (let i = 1; i < g.length; i++)
      if (byCodeUnit(g[i - 1] as string, g[i] as string) >= 0) return 'generates must be sorted without repeats';
  }
  const p = state.applicationsSync as unknown;
  if (p !== undefined && (g === undefined || typeof p !== 'string' || !KEEPING_POLICIES.includes(p)))
    return `applicationsSync must be one of ${KEEPING_POLICIES.join(', ')}, beside generates`;
  return undefined;
}

export interface LockSource {
  repoURL: string;
  path: string;
}

export interface LockFile {
  app: string;
  source: LockSource;
  /** The app is meant to render nothing: declared here, never guessed. */
  empty: boolean;
  /** Object ref (see objectRef) -> state. */
  objects: Map<string, ObjectState>;
  /** Dangerous changes a person accepted for this lock, as `rule:ref`. */
  accepted: string[];
  /** The format the lock was read in (its `safe-render-lock N` line); undefined = LOCK_VERSION. A
   * format-1 lock records less, and is compared on what it records (diff.ts). */
  format?: number;
}

const HEADER = `# safe-render lock: the reviewed baseline of what this app renders. Written by \`safe-render lock\`;
# do not edit by hand. Argo CD's sidecar refuses a render that drops an object listed here
# (unacknowledged-deletion) or weakens what is recorded; change this file in the same commit to accept.
`;

/** A lock made from a render is written in the current format (LOCK_VERSION). A lock read in an older
 * format serialises with its own version line, so `lock --check` sees it differs from what `lock`
 * would write now and asks for the rewrite (the migration). */
export function serializeLock(lock: LockFile): string {
  const lines = [
    HEADER.trimEnd(),
    `safe-render-lock ${lock.format ?? LOCK_VERSION}`,
    `app ${lock.app}`,
    `source ${canonicalJson(lock.source)}`,
    `empty ${lock.empty}`,
  ];
  for (const ref of [...lock.objects.keys()].sort(byCodeUnit)) {
    const state = lock.objects.get(ref)!;
    lines.push(Object.keys(state).length ? `object ${ref} ${canonicalJson(state)}` : `object ${ref}`);
  }
  for (const a of [...new Set(lock.accepted)].sort(byCodeUnit)) lines.push(`accepted ${a}`);
  return `${lines.join('\n')}\n`;
}

/** How to recover from a lock that cannot be used. `safe-render lock` reads the old lock too, so it
 * refuses while the bad file is there: the file must be restored, or deleted before it is rewritten. */
export function unreadableLockFix(file: string): string {
  return `restore the last good version from Git (\`git log -- ${file}\`, then \`git checkout COMMIT -- ${file}\`); or delete it and write it again with \`safe-render lock ... --accept lock-missing:APP\`, reviewing every object in the diff`;
}

/** The deepest nesting of brackets and braces in JSON text, outside strings. Linear, no recursion. */
export function jsonDepth(s: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Parses a lock; anything unexpected is a failure (the render is refused, never let through). */
export function parseLock(text: string, file: string): LockFile {
  const fail = (line: number, msg: string): never => {
    // msg quotes the lock's own text: escaped and bounded to one short line (issue 8 §7).
    throw new RenderFailure(`lock cannot be read: ${excerpt(msg)}`, `${file}:${line}`, unreadableLockFix(file));
  };
  const lock: Partial<LockFile> & { objects: Map<string, ObjectState>; accepted: string[] } = {
    objects: new Map(),
    accepted: [],
  };
  let version: number | undefined;
  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) return;
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    const json = (s: string): unknown => {
      // We only ever write state of objects the parse bounded to MAX_NESTING_DEPTH; anything deeper
      // is hand-made, and our recursive readers of it (canonicalJson, the diff) would overflow.
      if (jsonDepth(s) > MAX_NESTING_DEPTH) return fail(n, `"${key}" nests deeper than ${MAX_NESTING_DEPTH} levels`);
      try {
        // Exact: a big integer the render recorded (a syncPolicy, a source) reads back as written (issue 9 §1).
        return parseJsonExact(s);
      } catch {
        return fail(n, `invalid JSON after "${key}"`);
      }
    };
    switch (key) {
      case 'safe-render-lock':
        version = /^[0-9]{1,3}$/.test(rest) ? Number(rest) : NaN;
        if (!READABLE_LOCK_VERSIONS.includes(version))
          fail(
            n,
            `unsupported lock version ${JSON.stringify(rest.slice(0, 20))} (this safe-render reads ${READABLE_LOCK_VERSIONS.join(' and ')})`,
          );
        lock.format = version;
        break;
      case 'app':
        lock.app = rest;
        break;
      case 'source': {
        const s = json(rest) as Partial<LockSource>;
        if (typeof s?.repoURL !== 'string' || typeof s.path !== 'string') fail(n, 'source needs repoURL and path');
        lock.source = s as LockSource;
        break;
      }
      case 'empty':
        if (rest !== 'true' && rest !== 'false') fail(n, 'empty must be true or false');
        lock.empty = rest === 'true';
        break;
      case 'object': {
        const sp2 = rest.indexOf(' ');
        const ref = sp2 < 0 ? rest : rest.slice(0, sp2);
        if (!/^[^/\s]+\/[^/\s]+\/([^/\s]+\/)?[^/\s]+$/.test(ref)) fail(n, `bad object reference "${ref}"`);
        if (lock.objects.has(ref)) fail(n, `object ${ref} listed twice`);
        const state = sp2 < 0 ? {} : json(rest.slice(sp2 + 1));
        if (state === null || typeof state !== 'object' || Array.isArray(state))
          fail(n, 'object state must be a JSON object');
        const bad = generatedProblem(state as ObjectState);
        if (bad) fail(n, `object ${ref}: ${bad}`);
        lock.objects.set(ref, state as ObjectState);
        break;
      }
      case 'accepted':
        lock.accepted.push(rest);
        break;
      default:
        fail(n, `unknown line "${key}"`);
    }
  });
  if (version === undefined) fail(1, 'missing "safe-render-lock" version line');
  if (lock.app === undefined) fail(1, 'missing "app" line');
  if (lock.source === undefined) fail(1, 'missing "source" line');
  if (lock.empty === undefined) fail(1, 'missing "empty" line');
  // Format 1 could not record hooks or templatePatch: such a lock had its version line edited down, which
  // would switch off the checks format 1 cannot make (diff.ts compares on what the older format records).
  if (version === 1) {
    for (const [ref, state] of lock.objects) {
      if (state.hook !== undefined || state.templatePatch !== undefined)
        fail(
          1,
          `format 1 cannot record ${state.hook !== undefined ? 'a hook' : 'a templatePatch'} (object ${ref}): the version line was changed by hand; restore "safe-render-lock ${LOCK_VERSION}"`,
        );
    }
  }
  return lock as LockFile;
}
