// The rule catalog: every id a finding can carry, and what the rest of safe-render needs to know about
// it (issue 10, "One rule catalog"). It is the single source for which findings `safe-render lock`
// reconciles instead of refusing on, which can be accepted with `--accept` and how the token is built,
// the runbook page, and the index in docs/rules/README.md. Data only, with no imports, so that every
// layer (render, parse, checks, lock, commands) can read it. How to add a rule: docs/development/catalog.md.

/** Where a finding with this id comes from. */
export type Origin =
  /** the render itself failed (exit 2): a tool, a file, a limit, the YAML */
  | 'render'
  /** a raw document that is not an object (src/checks/rules/invalid-object.ts) */
  | 'documents'
  /** an object rule in src/checks/rules/index.ts */
  | 'check'
  /** the `lock` command itself, when writing or checking a lock */
  | 'lock'
  /** `safe-render ci` (and `ci merge`) about the repository as a whole: what no single app's render shows */
  | 'repository';

export interface CatalogEntry {
  /** What it refuses, as the index in docs/rules/README.md says it (a short phrase; SARIF's shortDescription). */
  readonly title: string;
  /** One line on why it exists: what Argo CD would do without it. */
  readonly description: string;
  readonly origin: Origin;
  /** Which table of docs/rules/README.md lists it: the rules measured against the app's lock, whose
   * runbook pages show a `safe-render lock` command, or the others. */
  readonly index: 'rules' | 'lock-rules';
  /** The finding measures the render against the app's lock (or one lock against another): `safe-render
   * lock`, which rewrites the lock, reconciles it (asking for --accept where `accept` says so) instead
   * of refusing on it. */
  readonly comparesWithLock: boolean;
  /** How `safe-render lock --accept RULE:REF` accepts it, when it can be accepted: REF is the app's name
   * (`app`, placeholder APP) or the object's reference `group/Kind/namespace/name` (`object`, placeholder REF). */
  readonly accept?: 'app' | 'object';
}

export const CATALOG = {
  'render-failed': {
    title: 'YAML that does not parse, unreadable or oversized files, symlinks out of the repo',
    description:
      'the render itself failed; safe-render exits 2 with stdout empty, so Argo CD applies and prunes nothing instead of syncing a partial render',
    origin: 'render',
    index: 'rules',
    comparesWithLock: false,
  },
  'invalid-object': {
    title: 'a document that is not a Kubernetes object with apiVersion, kind and a valid name',
    description:
      'a document Argo CD or the API server cannot take as an object would fail the sync halfway or be dropped from what Argo CD compares',
    origin: 'documents',
    index: 'rules',
    comparesWithLock: false,
  },
  'empty-render': {
    title: 'a render with no objects at all',
    description: 'with auto-prune an empty desired state deletes the whole app',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'duplicate-object': {
    title: 'the same object defined twice with different content',
    description: 'Argo CD keeps one copy of an object defined twice, and which one is not what the author reviewed',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'namespace-escape': {
    title: 'an object outside the destination namespace and the allowed ones',
    description:
      'an app that writes into another namespace can overwrite, and with prune delete, what another team runs',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'cluster-scoped': {
    title: 'a cluster-scoped object the app may not own',
    description:
      'a cluster-scoped object (a CRD, a Namespace, RBAC) is shared by every app, and deleting it deletes what depends on it',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'foreign-tracking': {
    title: "an object carrying another Argo CD app's tracking-id (or, under label tracking, instance label)",
    description: "an object tracked as another app's moves between apps, and the other app prunes it",
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'policy-widening': {
    title: '`safe-render.yaml` asks for more than the platform policy allows',
    description: "an app's own configuration may narrow the platform policy, never widen it",
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'deploy-freeze': {
    title: 'a deploy freeze is declared',
    description:
      'while a freeze is declared the sidecar refuses every render, so Argo CD neither syncs nor prunes from new commits',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'source-override': {
    title:
      "`.argocd-source.yaml` / `.argocd-source-<app>.yaml` in the app folder, which Argo CD merges into the Application's source",
    description:
      "a file in the app folder that Argo CD merges into the Application's source rewrites what is rendered behind the reviewed Application",
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
  'lock-missing': {
    title: 'the index lists the app but its lock is gone, or the policy requires a lock',
    description: 'without its lock no deletion can be measured, so a deleted lock would silently reset the baseline',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'app',
  },
  'unacknowledged-deletion': {
    title: 'an object in the lock is missing from the render',
    description:
      'with auto-prune Argo CD deletes from the cluster every object that leaves the render; a deletion is accepted by rewriting the lock in a reviewed commit',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
  },
  'protected-deletion': {
    title: 'writing a lock that drops a protected object',
    description:
      'a protected object (a database, a volume, a namespace) leaves the lock only when a person accepts it by name',
    origin: 'lock',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'object',
  },
  'mass-deletion': {
    title: 'writing a lock that removes more than the deletion budget',
    description: 'a change that removes a large part of the app leaves the lock only when a person accepts it by name',
    origin: 'lock',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'app',
  },
  'app-source-drift': {
    title: 'the app renders from another repo or path than its lock records',
    description: 'an Application re-pointed at another path renders something else, and auto-prune deletes the rest',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'app',
  },
  'app-destination-change': {
    title: "a rendered Application's destination or source changes",
    description:
      're-pointing a rendered Application prunes everything it deployed at the old place or from the old source',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'object',
  },
  'finalizer-change': {
    title: 'the resources finalizer or preserveResourcesOnDeletion changes',
    description: 'these decide whether deleting an Application or ApplicationSet cascades to everything it manages',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'object',
  },
  'safety-weakened': {
    title: 'a safety switch (Prune=false, resource-policy keep, ...) is removed',
    description:
      'a safety switch recorded in the lock is lost by editing the object that carries it; the lock keeps the old value so the removal is seen',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'object',
  },
  'appset-may-shrink': {
    title:
      'an ApplicationSet that can yield fewer or no Applications (generators read as Argo CD reads them) and may delete them',
    description:
      'an ApplicationSet whose generators can yield fewer Applications deletes the missing ones and everything they deployed',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: false,
  },
  'appset-app-removed': {
    title: 'an ApplicationSet in the lock no longer generates an Application it recorded',
    description:
      'the ApplicationSet controller deletes an Application its generators stop yielding, and its resources finalizer deletes everything it deployed',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
    accept: 'object',
  },
  'lock-tampered': {
    title:
      'the lock (or the index) lost since the base revision what `lock` only writes with `--accept`, without an `accepted` line',
    description:
      'a lock edited by hand or by a bad merge skips the acceptance `lock` asks for; every such change must be witnessed by an accepted line',
    origin: 'lock',
    index: 'lock-rules',
    comparesWithLock: true,
  },
  'cross-app-collision': {
    title: 'two or more apps render the same object',
    description:
      'Argo CD lets each app take the object over at its sync, so the apps fight over it, and the one that stops rendering it prunes it from under the other',
    origin: 'repository',
    index: 'rules',
    comparesWithLock: false,
  },
  'repo-mass-deletion': {
    title: 'deletions summed over every app of the repository exceed the repository budget',
    description:
      'one shared template or values change can shrink many apps, each under its own budget, and auto-prune deletes all of it at once',
    origin: 'repository',
    index: 'lock-rules',
    comparesWithLock: false,
  },
  'lock-orphaned': {
    title: 'a lock in the index whose app no Application of the repository generates any more',
    description:
      'an Application renamed or removed is deleted by its parent: with auto-prune everything it deployed goes, without cascade it is orphaned, and its lock no longer guards anything',
    origin: 'repository',
    index: 'lock-rules',
    comparesWithLock: false,
  },
  'lock-stale': {
    title: 'the render adds objects or changes recorded state',
    description: 'safe to deploy, but the next deletion must be measured against an up-to-date baseline',
    origin: 'check',
    index: 'lock-rules',
    comparesWithLock: true,
  },
  'one-object-per-file': {
    title: 'a source file that holds more than one object (off by default; `oneObjectPerFile` turns it on)',
    description:
      'in a file of many objects a second object with the same name is a silent copy further down, which Argo CD resolves by keeping one; one object per file makes it two edits to one file in review',
    origin: 'check',
    index: 'rules',
    comparesWithLock: false,
  },
} as const satisfies Record<string, CatalogEntry>;

/** Every id a finding can carry. */
export type RuleId = keyof typeof CATALOG;

/** The ids `safe-render lock --accept` takes. */
export type AcceptableRuleId = {
  [K in RuleId]: (typeof CATALOG)[K] extends { accept: 'app' | 'object' } ? K : never;
}[RuleId];

export const RULE_IDS = Object.keys(CATALOG) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(CATALOG, id);
}

export function catalogEntry(id: RuleId): CatalogEntry {
  return CATALOG[id];
}

/** The runbook page a finding links, relative to the repository root. */
export function runbookPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}

/** The `--accept` token for a finding of `rule` about `object` (a `group/Kind/namespace/name`
 * reference) in app `app`: `rule:APP` or `rule:REF`, as the catalog says. */
export function acceptToken(rule: AcceptableRuleId, of: { app: string; object?: string }): string {
  const ref = CATALOG[rule].accept === 'app' ? of.app : of.object;
  // A caller bug, not a user's mistake: every object-accepted rule is about one object.
  if (ref === undefined) throw new Error(`the --accept token of ${rule} names an object, and none was given`);
  return `${rule}:${ref}`;
}

/** The placeholder runbooks and help texts use for the REF part of `rule`'s token. */
export function acceptPlaceholder(rule: AcceptableRuleId): 'APP' | 'REF' {
  return CATALOG[rule].accept === 'app' ? 'APP' : 'REF';
}
