// The platform team's policy, mounted into the sidecar: a ceiling that an app's safe-render.yaml can
// narrow but never raise. A policy that cannot be read refuses every render (exit 2) instead of
// falling back to no policy; only a policy that is absent at the default path means "none installed".
import { minimatch } from 'minimatch';
import { ConfigReader, type ConfigSource, type FieldType } from './schema';
import { SCOPE_MAP_FIELD, type ScopeOverride } from './app-config';
import { kubernetesScope } from '../model/kube-scopes';
import { httpBase } from '../util/http-url';

export const DEFAULT_POLICY_PATH = '/home/argocd/cmp-server/policy/policy.yaml';
export const POLICY_ENV = 'SAFE_RENDER_POLICY';

export interface PolicyLimits {
  /** Namespace globs any app matched here may write; undefined: no ceiling. */
  namespaces?: string[];
  /** Cluster-scoped kinds an app may own; undefined: no ceiling. */
  clusterScoped?: string[];
  /** Kinds protected from deletion on top of the built-in list and the app's own. */
  protectedKinds?: string[];
  requireLock?: boolean;
  /** May an app declare `allowEmpty: true`? Default yes. */
  allowEmpty?: boolean;
  /** How much one lock change may remove without `--accept mass-deletion:APP`. */
  /** `floor`: the share counts only from this many removed objects (issue 14; default 3). */
  deletionBudget?: { objects?: number; percent?: number; floor?: number };
  engines?: EnginePolicy;
  /** An object whose scope no source knows: `warning` (default; treated as namespaced, and invisible
   * in Argo CD) or `error` (refused until a CRD in the render, the policy's or the app's `scopes:`
   * says what it is). Issue 8 §9. */
  unknownScopes?: 'warning' | 'error';
  /** May an app's safe-render.yaml declare `scopes:` for kinds nobody else knows? Default yes. */
  allowAppScopes?: boolean;
  /** The one-object-per-file rule (issue 13) for the apps matched here; an app may be stricter. */
  oneObjectPerFile?: 'warning' | 'error';
}

/** Engine settings only the platform may make: which binaries run, and what they may execute. The
 * repository cannot name a command, since that would run arbitrary code in the sidecar. */
export interface EnginePolicy {
  kustomizeCommand?: string[];
  helmCommand?: string[];
  /** Let kustomize run exec and container KRM functions (--enable-alpha-plugins --enable-exec). */
  allowKustomizeExec?: boolean;
  /** Let apps inflate helmCharts in kustomize (--enable-helm). Default true. */
  allowKustomizeHelm?: boolean;
  timeoutSeconds?: number;
}

/** How the Argo CD install is configured, where a rule's verdict depends on it (contract §10). One
 * section for the whole install: these are settings of Argo CD's controllers and argocd-cm, the same
 * for every app, so they sit beside `default` and never in an `apps` entry. */
export interface ArgoInstall {
  /** argocd-cm `application.resourceTrackingMethod`; default `annotation` (Argo CD 3.0 and later). */
  trackingMethod?: 'annotation' | 'label' | 'annotation+label';
  /** argocd-cm `application.instanceLabelKey`; default `app.kubernetes.io/instance`. */
  instanceLabelKey?: string;
  applicationSet?: {
    /** The ApplicationSet controller's `--policy` (`applicationsetcontroller.policy`); default none (`sync`). */
    policy?: 'sync' | 'create-only' | 'create-update' | 'create-delete';
    /** `--enable-policy-override`; Argo CD's default is true exactly when `policy` is not set. */
    enablePolicyOverride?: boolean;
    /** The repo-server's `--include-hidden-directories` (git directory generator); default false. */
    includeHiddenDirectories?: boolean;
    /** `--enable-new-git-file-globbing` (git files generator uses doublestar); default false. */
    newGitFileGlobbing?: boolean;
  };
}

export interface PolicyEntry extends PolicyLimits {
  match: { names?: string[]; projects?: string[] };
}

export interface Policy {
  file: string;
  default: PolicyLimits;
  apps: PolicyEntry[];
  /** Scopes of kinds the platform installs (CRDs managed outside the apps): facts about the cluster,
   * so one table for every app. They may name kinds safe-render does not know or correct its
   * well-known CRD table, never a Kubernetes kind. */
  scopes: Record<string, ScopeOverride>;
  argocd?: ArgoInstall;
  /** Absolute http(s) base of runbook links on stderr (issue 14), ending in "/"; unset: the relative
   * path docs/rules/<id>.md. One setting for the whole install, like `argocd`. */
  runbookUrl?: string;
}

/** The limits that apply to one app, and where they came from (for messages). */
export interface AppliedPolicy {
  file: string;
  /** `default` or `apps[2]`. */
  entry: string;
  limits: PolicyLimits;
  /** The policy's top-level `scopes:` (absent in policies built by hand, e.g. in tests). */
  scopes?: Record<string, ScopeOverride>;
  /** The policy's `argocd` section: how the install is configured. */
  argocd?: ArgoInstall;
  /** The policy's `runbookUrl`, ending in "/". */
  runbookUrl?: string;
}

const LIMITS: Record<string, FieldType> = {
  namespaces: { type: 'strings' },
  clusterScoped: { type: 'strings' },
  protectedKinds: { type: 'strings' },
  requireLock: { type: 'boolean' },
  allowEmpty: { type: 'boolean' },
  deletionBudget: {
    type: 'object',
    fields: { objects: { type: 'number' }, percent: { type: 'number' }, floor: { type: 'number' } },
  },
  engines: {
    type: 'object',
    fields: {
      kustomizeCommand: { type: 'strings' },
      helmCommand: { type: 'strings' },
      allowKustomizeExec: { type: 'boolean' },
      allowKustomizeHelm: { type: 'boolean' },
      timeoutSeconds: { type: 'number' },
    },
  },
  unknownScopes: { type: 'enum', values: ['warning', 'error'] },
  allowAppScopes: { type: 'boolean' },
  oneObjectPerFile: { type: 'enum', values: ['warning', 'error'] },
};

// A label key as Kubernetes validates it (IsQualifiedName): an optional DNS subdomain prefix, a name of
// at most 63 characters. The key is matched against manifests' labels, so a typo must not pass.
const QUALIFIED_NAME =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelKey = (v: string) =>
  QUALIFIED_NAME.test(v) && (v.indexOf('/') < 0 || v.indexOf('/') <= 253)
    ? undefined
    : 'must be a label key (prefix/name)';

const ARGOCD: FieldType = {
  type: 'object',
  fields: {
    trackingMethod: { type: 'enum', values: ['annotation', 'label', 'annotation+label'] },
    instanceLabelKey: { type: 'string', check: labelKey },
    applicationSet: {
      type: 'object',
      fields: {
        policy: { type: 'enum', values: ['sync', 'create-only', 'create-update', 'create-delete'] },
        enablePolicyOverride: { type: 'boolean' },
        includeHiddenDirectories: { type: 'boolean' },
        newGitFileGlobbing: { type: 'boolean' },
      },
    },
  },
};

const FIELDS: Record<string, FieldType> = {
  default: { type: 'object', fields: LIMITS },
  scopes: SCOPE_MAP_FIELD,
  argocd: ARGOCD,
  runbookUrl: { type: 'string', check: (v: string) => (httpBase(v) ? undefined : 'must be an absolute http(s) URL') },
  apps: {
    type: 'list',
    of: {
      type: 'object',
      fields: {
        ...LIMITS,
        match: { type: 'object', fields: { names: { type: 'strings' }, projects: { type: 'strings' } } },
      },
    },
  },
};

export function parsePolicy(src: ConfigSource): Policy {
  const raw = new ConfigReader(src).parse(FIELDS, ['default']) as {
    default: PolicyLimits;
    apps?: PolicyEntry[];
    scopes?: Record<string, ScopeOverride>;
    argocd?: ArgoInstall;
    runbookUrl?: string;
  };
  const scopes = raw.scopes ?? {};
  // Kubernetes' own kinds have one scope on every cluster: a policy that says otherwise is wrong, and
  // following it would let every app it covers past cluster-scoped or namespace-escape.
  for (const [key, scope] of Object.entries(scopes)) {
    const slash = key.lastIndexOf('/');
    const group = key.slice(0, slash);
    const known = kubernetesScope(group === 'core' ? '' : group, key.slice(slash + 1));
    if (known && known !== scope) {
      throw new ConfigReader(src).error(
        `scopes declares ${key} ${scope}, but Kubernetes serves it ${known}; remove the entry (the policy may declare only kinds that are not Kubernetes' own)`,
      );
    }
  }
  const apps = (raw.apps ?? []).map((a, i) => {
    if (!a.match || (!a.match.names && !a.match.projects)) {
      throw new ConfigReader(src).error(`apps[${i}] needs match.names or match.projects`);
    }
    return a;
  });
  const runbookUrl = raw.runbookUrl !== undefined ? { runbookUrl: httpBase(raw.runbookUrl)! } : {};
  return {
    file: src.file,
    default: raw.default,
    apps,
    scopes,
    ...(raw.argocd ? { argocd: raw.argocd } : {}),
    ...runbookUrl,
  };
}

/** First entry whose every given criterion matches; else `default`. */
export function policyFor(policy: Policy, appName: string, project: string): AppliedPolicy {
  const hit = (globs: string[] | undefined, v: string) =>
    globs === undefined || globs.some((g) => minimatch(v, g, { nocomment: true }));
  const i = policy.apps.findIndex((a) => hit(a.match.names, appName) && hit(a.match.projects, project));
  const argocd = {
    ...(policy.argocd ? { argocd: policy.argocd } : {}),
    ...(policy.runbookUrl ? { runbookUrl: policy.runbookUrl } : {}),
  };
  if (i < 0) return { file: policy.file, entry: 'default', limits: policy.default, scopes: policy.scopes, ...argocd };
  const { match: _match, ...limits } = policy.apps[i]!;
  return { file: policy.file, entry: `apps[${i}]`, limits, scopes: policy.scopes, ...argocd };
}
