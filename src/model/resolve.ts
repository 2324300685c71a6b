// Turns valid documents into ManifestObjects: the identity Argo CD gives them and their scope. A model
// step, not a check (issue 10): it reads only the documents and the scope tables it is given
// (ScopeSources), so a caller without the checks (split, a fleet run) resolves objects the same way.
// Namespaces are defaulted as Argo CD's controller does: a namespaced object without one gets the
// destination namespace; a cluster-scoped object has none.
//
// Scope, first source that knows the kind wins (issue 8 §3: what the render or an app config says can
// never redefine what is known, or it becomes a quiet way around cluster-scoped and namespace-escape):
//   1. Kubernetes' own kinds (src/model/kube-scopes.ts). A CRD cannot redefine them: the API server
//      refuses a CRD for a Kubernetes group, and serves the built-in kinds itself anyway.
//   2. The platform policy's `scopes:`: the platform team's statement about its cluster (trusted, the
//      ceiling), which may also correct the well-known table.
//   3. The table of well-known CRD kinds. A CRD in the render that disagrees cannot win: on a cluster
//      where that project is installed its CRD is established and `spec.scope` is immutable, so the
//      API server refuses the change and the object keeps the published scope.
//   4. CRDs in this render (`spec.scope`), for kinds 1 to 3 do not know.
//   5. The app's `scopes:`, for kinds nobody else knows.
// Every disagreement with a higher source is a finding (scopeConflicts, reported by cluster-scoped), so nothing is silently
// ignored, and every finding about an object names the source that decided its scope.
import { isKubernetesGroup, kubernetesScope, wellKnownScope, type KnownScope } from './kube-scopes';
import { annotationsOf, canonicalGroup, groupOf, identityKey, metadataOf } from './identity';
import { formatSource, type JsonObject, type ManifestObject, type Scope, type SourceRef } from './object';

/** A `scopes:` table (`group/Kind: Namespaced | Cluster`) and the file it was read from, for messages. */
export interface ScopeTable {
  file: string;
  /** Absent in policies built by hand (tests). */
  scopes?: Readonly<Record<string, KnownScope>>;
}

/** The scope tables resolution reads besides Kubernetes' own kinds, the well-known table and the
 * render's CRDs: the platform policy's (ranked above the well-known table) and the app's (for kinds
 * nobody else knows). Whether the app may declare scopes at all, and what an unknown scope costs, are
 * the policy's rules for the checks (cluster-scoped), not part of resolving. */
export interface ScopeSources {
  app: ScopeTable;
  policy?: ScopeTable;
}

export interface ValidDoc {
  body: JsonObject;
  source: SourceRef;
}

/** What a CRD in the render says about one kind. */
export interface CrdClaim {
  group: string;
  kind: string;
  scope: KnownScope;
  source: SourceRef;
  /** `apiextensions.k8s.io/CustomResourceDefinition widgets.example.com`, for messages. */
  ref: string;
  annotations: Record<string, unknown>;
}

const isCrd = (body: JsonObject) =>
  body.kind === 'CustomResourceDefinition' && groupOf(String(body.apiVersion)) === 'apiextensions.k8s.io';

/** Every CRD in the render that names a group, a kind and a valid scope, whatever the group. */
export function crdClaims(docs: readonly ValidDoc[]): CrdClaim[] {
  const out: CrdClaim[] = [];
  for (const { body, source } of docs) {
    if (!isCrd(body)) continue;
    const spec = body.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (
      typeof spec?.group === 'string' &&
      typeof spec.names?.kind === 'string' &&
      (spec.scope === 'Namespaced' || spec.scope === 'Cluster')
    ) {
      const name = metadataOf(body).name;
      out.push({
        group: spec.group,
        kind: spec.names.kind,
        scope: spec.scope,
        source,
        ref: `apiextensions.k8s.io/CustomResourceDefinition ${typeof name === 'string' ? name : '(unnamed)'}`,
        annotations: annotationsOf(body),
      });
    }
  }
  return out;
}

/** Can a CRD for this group define a kind at all? Not for a Kubernetes group (see kube-scopes.ts), and
 * not for a group without a dot, which the API server refuses ("should be a domain with at least one
 * dot", apiextensions validation). */
function crdGroupUsable(group: string): boolean {
  return !isKubernetesGroup(group) && group.includes('.');
}

/** The app's `scopes:` entry for a kind: `group/Kind`, or `core/Kind` or `/Kind` for the core group. */
function entryFor(table: Record<string, KnownScope> | undefined, group: string, kind: string): KnownScope | undefined {
  if (!table) return undefined;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(table, k) ? table[k] : undefined);
  return own(`${group}/${kind}`) ?? (group === '' ? own(`core/${kind}`) : undefined);
}

export function scopeOverride(app: ScopeTable, group: string, kind: string): KnownScope | undefined {
  return entryFor(app.scopes, group, kind);
}

export interface ScopeDecision {
  scope: Scope;
  /** Which source decided, for messages: "Kubernetes' own API", "the CRD at a.yaml:1", ...; "" when unknown. */
  from: string;
  /** Which rank decided (see the header): used to tell a contradiction from a new fact. */
  rank: 'kubernetes' | 'policy' | 'well-known' | 'crd' | 'app' | 'unknown';
}

export const KUBERNETES_SOURCE = "Kubernetes' own API";
export const WELL_KNOWN_SOURCE = "safe-render's table of well-known CRDs";
const policySource = (p: ScopeTable) => `the platform policy's scopes (${p.file})`;
const appSource = (a: ScopeTable) => `\`scopes:\` in ${a.file}`;

/** Everything scope resolution reads besides the object itself. */
export interface ScopeContext {
  sources: ScopeSources;
  /** Usable CRD claims of this render by `group/Kind`. */
  crds: Map<string, CrdClaim[]>;
}

export function scopeContext(docs: readonly ValidDoc[], sources: ScopeSources): ScopeContext {
  const crds = new Map<string, CrdClaim[]>();
  for (const c of crdClaims(docs)) {
    if (!crdGroupUsable(c.group)) continue;
    const gk = `${c.group}/${c.kind}`;
    const list = crds.get(gk);
    if (list) list.push(c);
    else crds.set(gk, [c]);
  }
  return { sources, crds };
}

/** A hostile render may hold thousands of CRDs for one kind: messages name the first few. */
const MAX_LISTED = 5;
function listed(items: readonly string[]): string {
  return items.length <= MAX_LISTED
    ? items.join(', ')
    : `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

/** The scope of a kind from the sources above the render's CRDs and the app's config. */
function knownScope(group: string, kind: string, policy: ScopeTable | undefined): ScopeDecision | undefined {
  const k8s = kubernetesScope(group, kind);
  if (k8s) return { scope: k8s, from: KUBERNETES_SOURCE, rank: 'kubernetes' };
  const fromPolicy = policy ? entryFor(policy.scopes, group, kind) : undefined;
  if (fromPolicy) return { scope: fromPolicy, from: policySource(policy!), rank: 'policy' };
  const wk = wellKnownScope(group, kind);
  if (wk) return { scope: wk, from: WELL_KNOWN_SOURCE, rank: 'well-known' };
  return undefined;
}

/** The scope of a kind from every source but the app's `scopes:` (what that entry may not contradict). */
function scopeWithoutApp(group: string, kind: string, ctx: ScopeContext): ScopeDecision | undefined {
  const known = knownScope(group, kind, ctx.sources.policy);
  if (known) return known;
  const claims = ctx.crds.get(`${group}/${kind}`);
  if (!claims?.length) return undefined;
  // CRDs that disagree are a finding; until it is fixed, the stricter reading (cluster-scoped needs
  // an allowance) stands.
  const scope: KnownScope = claims.some((c) => c.scope === 'Cluster') ? 'Cluster' : 'Namespaced';
  const at = claims.filter((c) => c.scope === scope).map((c) => formatSource(c.source));
  return { scope, from: `the CRD at ${listed(at)}`, rank: 'crd' };
}

export function decideScope(group: string, kind: string, ctx: ScopeContext): ScopeDecision {
  const decided = scopeWithoutApp(group, kind, ctx);
  if (decided) return decided;
  const app = scopeOverride(ctx.sources.app, group, kind);
  if (app) return { scope: app, from: appSource(ctx.sources.app), rank: 'app' };
  return { scope: 'Unknown', from: '', rank: 'unknown' };
}

/** For a finding about an object: which source decided its scope, and that the app's `scopes:`
 * entry for the kind, when it says otherwise, was not used. */
export function scopeNote(
  app: ScopeTable,
  o: { group: string; kind: string; scope: Scope; scopeFrom?: string },
): string {
  if (o.scope === 'Unknown') return ' (its scope is unknown, so it is checked as namespaced)';
  if (!o.scopeFrom) return '';
  const override = scopeOverride(app, o.group, o.kind);
  const ignored = override && override !== o.scope ? `; its \`scopes:\` entry saying ${override} does not apply` : '';
  return ` (${o.scope} per ${o.scopeFrom}${ignored})`;
}

export function resolveObjects(
  docs: readonly ValidDoc[],
  destNamespace: string,
  sources: ScopeSources,
): ManifestObject[] {
  const ctx = scopeContext(docs, sources);
  const decisions = new Map<string, ScopeDecision>();
  return docs.map(({ body, source }) => {
    const apiVersion = body.apiVersion as string;
    const kind = body.kind as string;
    const group = canonicalGroup(groupOf(apiVersion), kind);
    const meta = metadataOf(body);
    const name = (meta.name as string | undefined) ?? `${meta.generateName as string}*`;
    const declaredNamespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    const gk = `${group}/${kind}`;
    let decision = decisions.get(gk);
    if (!decision) decisions.set(gk, (decision = decideScope(group, kind, ctx)));
    const { scope, from: scopeFrom } = decision;
    const namespace = scope === 'Cluster' ? '' : declaredNamespace || destNamespace;
    return {
      body,
      source,
      apiVersion,
      kind,
      group,
      name,
      declaredNamespace,
      namespace,
      scope,
      scopeFrom,
      key: identityKey(group, kind, namespace, name),
    };
  });
}

/** A problem with where a scope comes from, not with one object's scope: a CRD that tries to redefine
 * a known kind, CRDs that disagree, or an app `scopes:` entry that contradicts a source above it. */
export interface ScopeConflict {
  object?: string;
  sources: SourceRef[];
  message: string;
  fix: string;
}

const API_APPROVAL = 'api-approved.kubernetes.io';

/** Why the API server would not take a CRD for a Kubernetes group, in its own terms. */
function kubernetesGroupReason(group: string, annotations: Record<string, unknown>): string {
  if (group === '' || !group.includes('.')) {
    return `the API server refuses it (a CRD group must be a domain with at least one dot${group === '' ? ", and the core group is Kubernetes' own" : ''})`;
  }
  if (/(^|\.)(k8s|kubernetes)\.io$/.test(group) && typeof annotations[API_APPROVAL] !== 'string') {
    return `the API server refuses it (a CRD in a k8s.io or kubernetes.io group needs the ${API_APPROVAL} annotation of a reviewed Kubernetes API), and even with it Kubernetes serves its own kinds itself`;
  }
  return "Kubernetes serves this group's kinds itself, whatever a CRD says";
}

/** Every scope conflict of the render and the app config. Pure; the cluster-scoped rule reports them. */
export function scopeConflicts(objects: readonly ManifestObject[], sources: ScopeSources): ScopeConflict[] {
  const { app, policy } = sources;
  const docs = objects.map((o) => ({ body: o.body, source: o.source }));
  const ctx = scopeContext(docs, sources);
  const out: ScopeConflict[] = [];
  const removeCrd = "remove this CRD from the render and let the project's own install bring its published CRD";
  // Copies of one CRD (a hostile render may hold thousands) are one finding naming the first few places.
  const byCrd = new Map<string, ScopeConflict>();
  const report = (c: CrdClaim, message: string, fix: string) => {
    const key = `${c.ref}\0${c.group}/${c.kind}\0${c.scope}`;
    const seen = byCrd.get(key);
    if (seen) {
      if (seen.sources.length < MAX_LISTED) seen.sources.push(c.source);
      return;
    }
    const conflict = { object: c.ref, sources: [c.source], message, fix };
    byCrd.set(key, conflict);
    out.push(conflict);
  };
  for (const c of crdClaims(docs)) {
    const gk = `${c.group ? `${c.group}/` : ''}${c.kind}`;
    if (isKubernetesGroup(c.group)) {
      const k8s = kubernetesScope(c.group, c.kind);
      report(
        c,
        `defines ${gk} ${c.scope} in ${c.group ? `group ${c.group}` : 'the core group'}, which Kubernetes serves itself: ${kubernetesGroupReason(c.group, c.annotations)}; ${k8s ? `${c.kind} stays ${k8s} per ${KUBERNETES_SOURCE}` : 'the kind is never checked as this CRD says'}`,
        'remove this CRD from the render: Kubernetes defines the kinds of its own groups; a custom resource belongs in a group of a domain you own',
      );
      continue;
    }
    if (!crdGroupUsable(c.group)) {
      report(
        c,
        `defines ${gk} in group "${c.group}", which has no dot: the API server refuses the CRD (a CRD group must be a domain with at least one dot), so it defines no scope`,
        'put the kind in a group of a domain you own, for example example.com',
      );
      continue;
    }
    const known = knownScope(c.group, c.kind, policy);
    if (known && known.scope !== c.scope) {
      report(
        c,
        `says ${gk} is ${c.scope}, but it is ${known.scope} per ${known.from}; where that CRD is installed the API server refuses the change (spec.scope of an established CRD is immutable), so its objects are checked as ${known.scope}`,
        known.rank === 'policy'
          ? `${removeCrd}, or ask the platform team to correct scopes in ${policy!.file}`
          : removeCrd,
      );
    }
  }
  for (const [gk, claims] of ctx.crds) {
    if (knownScope(claims[0]!.group, claims[0]!.kind, policy) || new Set(claims.map((c) => c.scope)).size < 2) continue;
    out.push({
      object: gk,
      sources: claims.slice(0, MAX_LISTED).map((c) => c.source),
      message: `CRDs in this render disagree on the scope of ${gk} (${listed(claims.map((c) => `${c.scope} at ${formatSource(c.source)}`))}); the API server accepts only one of them, so its objects are checked as Cluster`,
      fix: 'keep one CRD for the kind',
    });
  }
  for (const [key, scope] of Object.entries(app.scopes ?? {})) {
    const slash = key.lastIndexOf('/');
    const g = key.slice(0, slash);
    const kind = key.slice(slash + 1);
    // An old alias (extensions/Deployment) names the same kind as its successor.
    const group = canonicalGroup(g === 'core' ? '' : g, kind);
    const decided = scopeWithoutApp(group, kind, ctx);
    if (!decided || decided.scope === scope) continue;
    out.push({
      object: group ? `${group}/${kind}` : kind,
      sources: [],
      message: `${app.file} \`scopes:\` declares ${key} ${scope}, but it is ${decided.scope} per ${decided.from}; \`scopes:\` may only declare kinds that no other source defines, so the entry is not used`,
      fix: `remove the ${key} entry from scopes in ${app.file}`,
    });
  }
  return out;
}
