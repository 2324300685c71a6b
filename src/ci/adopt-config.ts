// `safe-render ci --init` (issue 11, "Adoption in one command"): the smallest safe-render.yaml that
// lets today's render pass, decided from the render alone. Pure: the objects an app renders, its
// config and platform policy in, the entries to write, what stays refused and why out.
//
// "Smallest" is taken literally: only `namespaces` (literal names, never globs) and `clusterScoped`
// (group-qualified, `core/Kind` for the core group, so a kind of another group with the same name is
// not allowed with it), and only for objects the render already writes outside what the app may
// write. The checks themselves decide: the candidate config is run through the same rules the sidecar
// runs (namespace-escape, cluster-scoped, policy-widening), so `--init` can never write an entry the
// sidecar would still refuse or that asks more than the platform policy allows.
import { CONFIG_FILE, DEFAULT_CONFIG, parseAppConfig, type AppConfig } from '../config/app-config';
import type { AppliedPolicy } from '../config/platform-policy';
import type { AppContext } from '../context/app-context';
import { namespaceAllowed } from '../checks/namespaces';
import type { CheckInput } from '../checks/rule';
import { clusterScoped } from '../checks/rules/cluster-scoped';
import { namespaceEscape } from '../checks/rules/namespace-escape';
import { policyWidening } from '../checks/rules/policy-widening';
import { displayRef, DNS1123_LABEL, DNS1123_SUBDOMAIN, isValidKind } from '../model/identity';
import type { Finding } from '../model/finding';
import { kindListed } from '../model/kind-match';
import type { ManifestObject } from '../model/object';
import { CATALOG } from '../model/rule-catalog';
import { byCodeUnit } from '../util/compare';

/** What `--init` knows about one rendered app. */
export interface AdoptInput {
  /** Argo CD's name for it (the report's id). */
  id: string;
  /** The context it rendered in: only the destination namespace and the app name are read. */
  app: AppContext;
  /** Repo-relative folder of its safe-render.yaml, forward slashes, '' for the root. */
  dir: string;
  /** A safe-render.yaml (or anything by that name) is already there: never rewritten. */
  hasConfigFile: boolean;
  objects: readonly ManifestObject[];
  /** The config the render used (the file's, or the defaults). */
  config: AppConfig;
  policy?: AppliedPolicy;
  /** Every finding of its `ci` run. */
  findings: readonly Finding[];
}

/** An object the config cannot allow, and why (the platform policy, no destination namespace...). */
export interface Refusal {
  object: string;
  why: string;
}

export interface AppAdoption {
  id: string;
  appName: string;
  dir: string;
  /** Entries this app needs beyond its current config (written, or listed when the file exists). */
  namespaces: string[];
  clusterScoped: string[];
  /** What stays refused after the change: that app still fails. */
  refused: Refusal[];
  /** Error findings no config entry fixes (duplicate objects, invalid objects, an existing file's
   * policy-widening...): the app is listed, not fixed, and nothing is written for it. */
  blocking: Finding[];
}

export interface ConfigPlan {
  /** Repo-relative path of the safe-render.yaml. */
  file: string;
  dir: string;
  /** `write`: a new file; `exists`: a file is there, so it is listed, not rewritten. */
  action: 'write' | 'exists';
  namespaces: string[];
  clusterScoped: string[];
  /** Ids of the apps whose needs it holds. */
  apps: string[];
  /** The file's text (`write` only). */
  text?: string;
}

export interface AdoptionPlan {
  apps: AppAdoption[];
  configs: ConfigPlan[];
}

/** The rules a config entry can satisfy. */
const CONFIG_RULES = new Set(['namespace-escape', 'cluster-scoped']);

/** `group/Kind` as written in `clusterScoped`: `core/Kind` for the core group (a bare `Kind` would match
 * every group). */
export function kindEntry(group: string, kind: string): string {
  return `${group || 'core'}/${kind}`;
}

const policyName = (p: AppliedPolicy) => `the platform policy ${p.file} (${p.entry})`;

const isNamespaceObject = (o: ManifestObject) => o.scope === 'Cluster' && o.group === '' && o.kind === 'Namespace';

/** The two rules a config entry can satisfy, and policy-widening, run as the sidecar runs them. */
function configFindings(a: AdoptInput, config: AppConfig): Finding[] {
  const input = {
    app: a.app,
    config,
    policy: a.policy,
    objects: a.objects,
    freezes: [],
    mode: 'ci',
    lockState: { file: '', indexed: false },
    repoTree: () => ({ files: new Set(), dirs: new Set() }),
    lockChanges: [],
    protectedKinds: [],
  } as unknown as CheckInput;
  return [...namespaceEscape.check(input), ...clusterScoped.check(input), ...policyWidening.check(input)].filter(
    (f) => f.severity === 'error',
  );
}

/** Would these entries in an app's config ask more than its platform policy allows? */
function widens(policy: AppliedPolicy | undefined, add: Partial<AppConfig>): boolean {
  if (!policy) return false;
  const input = { config: { ...DEFAULT_CONFIG, ...add }, policy } as unknown as CheckInput;
  return policyWidening.check(input).length > 0;
}

interface Wanted {
  namespaces: Map<string, string>;
  kinds: Map<string, string>;
  refused: Map<string, string>;
}

/** Per object outside what the app may write: the entry that would allow it, or why none may. */
function wanted(a: AdoptInput): Wanted {
  const out: Wanted = { namespaces: new Map(), kinds: new Map(), refused: new Map() };
  const env = { app: a.app, config: a.config, policy: a.policy };
  const withNamespace = (ns: string) => ({ ...env, config: { ...a.config, namespaces: [...a.config.namespaces, ns] } });
  for (const o of a.objects) {
    const ref = displayRef(o);
    if (o.scope !== 'Cluster') {
      // Unknown scopes are treated as namespaced, as namespace-escape does.
      if (namespaceAllowed(o.namespace, env)) continue;
      if (o.namespace === '')
        out.refused.set(
          ref,
          'a namespaced object without metadata.namespace, and the app has no destination namespace: set spec.destination.namespace',
        );
      else if (!DNS1123_LABEL.test(o.namespace))
        out.refused.set(ref, `"${o.namespace.slice(0, 80)}" is not a namespace name, so it cannot be listed`);
      else if (!namespaceAllowed(o.namespace, withNamespace(o.namespace)))
        out.refused.set(ref, `${policyName(a.policy!)} does not allow namespace "${o.namespace}"`);
      else out.namespaces.set(o.namespace, ref);
      continue;
    }
    const ceiling = a.policy?.limits.clusterScoped;
    const kindOk = (list: readonly string[]) =>
      kindListed(list, o.group, o.kind) && (ceiling === undefined || kindListed(ceiling, o.group, o.kind));
    if (kindOk(a.config.clusterScoped)) continue;
    if (isNamespaceObject(o)) {
      // The rule allows a Namespace named exactly like a namespace the app may write; `namespaces:
      // [name]` is narrower than owning every Namespace (clusterScoped: [core/Namespace]).
      const named = o.name === a.app.namespace || a.config.namespaces.includes(o.name);
      if (named && namespaceAllowed(o.name, env)) continue;
      if (!DNS1123_LABEL.test(o.name))
        out.refused.set(ref, `"${o.name.slice(0, 80)}" is not a namespace name, so it cannot be listed`);
      else if (namespaceAllowed(o.name, withNamespace(o.name))) out.namespaces.set(o.name, ref);
      else out.refused.set(ref, `${policyName(a.policy!)} does not allow namespace "${o.name}", so not its Namespace`);
      continue;
    }
    const entry = kindEntry(o.group, o.kind);
    if ((o.group !== '' && !DNS1123_SUBDOMAIN.test(o.group)) || !isValidKind(o.kind))
      out.refused.set(ref, `${entry.slice(0, 120)} is not a group/Kind that can be listed`);
    else if (kindOk([entry])) out.kinds.set(entry, ref);
    else out.refused.set(ref, `${policyName(a.policy!)} does not allow cluster-scoped ${entry}`);
  }
  return out;
}

/** Error findings no config entry fixes: every rule but the two config rules and the lock comparisons
 * (`--init` writes the lock; `--fix-locks` refreshes it). */
function otherErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) => f.severity === 'error' && !CONFIG_RULES.has(f.rule) && !CATALOG[f.rule].comparesWithLock,
  );
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort(byCodeUnit);

/** Decides, for every app and every folder, what `--init` writes. Apps sharing a folder (an
 * ApplicationSet generating one app per environment from one path) share its safe-render.yaml: it holds
 * the union of their needs, minus any entry that would widen the policy of one of them. */
export function planAdoption(inputs: readonly AdoptInput[]): AdoptionPlan {
  const wants = new Map(inputs.map((a) => [a, wanted(a)] as const));
  const byDir = new Map<string, AdoptInput[]>();
  for (const a of inputs) {
    const group = byDir.get(a.dir);
    if (group) group.push(a);
    else byDir.set(a.dir, [a]);
  }

  const apps: AppAdoption[] = [];
  const configs: ConfigPlan[] = [];
  for (const [dir, group] of [...byDir].sort((x, y) => byCodeUnit(x[0], y[0]))) {
    // An app failing for other reasons is listed, not fixed: its needs are not written.
    const fixable = group.filter((a) => !otherErrors(a.findings).length);
    const nsOf = new Map<string, string>();
    const kindOf = new Map<string, string>();
    const crossRefused = new Map<AdoptInput, Map<string, string>>();
    // An entry goes into the shared file only when no app reading that file is refused it by its policy
    // (it would be that app's policy-widening).
    // Apps of one folder usually share a policy entry: each (entry, policy entry) is checked once.
    const memo = new Map<string, boolean>();
    const blockerOf = (add: Partial<AppConfig>) =>
      group.find((b) => {
        const key = JSON.stringify([add, b.policy?.file, b.policy?.entry]);
        let v = memo.get(key);
        if (v === undefined) memo.set(key, (v = widens(b.policy, add)));
        return v;
      });
    for (const a of fixable) {
      const w = wants.get(a)!;
      const refuse = (ref: string, blocker: AdoptInput) => {
        const m = crossRefused.get(a) ?? new Map<string, string>();
        m.set(
          ref,
          `${blocker.id} renders from the same folder and ${blocker.policy ? policyName(blocker.policy) : 'its policy'} does not allow that entry`,
        );
        crossRefused.set(a, m);
      };
      for (const [ns, ref] of w.namespaces) {
        const blocker = blockerOf({ namespaces: [ns] });
        if (blocker) refuse(ref, blocker);
        else nsOf.set(ns, ref);
      }
      for (const [kind, ref] of w.kinds) {
        const blocker = blockerOf({ clusterScoped: [kind] });
        if (blocker) refuse(ref, blocker);
        else kindOf.set(kind, ref);
      }
    }
    const namespaces = sorted(nsOf.keys());
    const kinds = sorted(kindOf.keys());
    const hasFile = group.some((a) => a.hasConfigFile);
    const file = dir ? `${dir}/${CONFIG_FILE}` : CONFIG_FILE;
    if (namespaces.length || kinds.length)
      configs.push({
        file,
        dir,
        action: hasFile ? 'exists' : 'write',
        namespaces,
        clusterScoped: kinds,
        apps: sorted(fixable.filter((a) => needsAny(wants.get(a)!)).map((a) => a.id)),
        ...(hasFile ? {} : { text: configText(namespaces, kinds) }),
      });
    for (const a of group) apps.push(adoptionOf(a, wants.get(a)!, crossRefused.get(a), namespaces, kinds));
  }
  apps.sort((x, y) => byCodeUnit(x.id, y.id) || byCodeUnit(x.dir, y.dir));
  return { apps, configs };
}

/** One app's outcome. `namespaces`/`kinds` are what the folder's file holds (or would hold, when a file
 * is already there): the rules, run with them, say what stays refused. */
function adoptionOf(
  a: AdoptInput,
  w: Wanted,
  crossRefused: Map<string, string> | undefined,
  namespaces: readonly string[],
  kinds: readonly string[],
): AppAdoption {
  const base = { id: a.id, appName: a.app.appName, dir: a.dir };
  const blocking = otherErrors(a.findings);
  const own = (m: Map<string, string>) => sorted(m.keys());
  const refusedHere = new Map([...w.refused, ...(crossRefused ?? [])]);
  if (blocking.length)
    return {
      ...base,
      namespaces: own(w.namespaces),
      clusterScoped: own(w.kinds),
      refused: [...refusedHere]
        .map(([object, why]) => ({ object, why }))
        .sort((x, y) => byCodeUnit(x.object, y.object)),
      blocking,
    };
  const after: AppConfig = {
    ...a.config,
    namespaces: sorted([...a.config.namespaces, ...namespaces]),
    clusterScoped: sorted([...a.config.clusterScoped, ...kinds]),
  };
  const refused: Refusal[] = [];
  const extra: Finding[] = [];
  // The rules decide what stays: an object still refused under the new config is listed with the
  // reason found above, or with the rule's own message (a scope conflict, an unknown scope the policy
  // makes an error).
  for (const f of configFindings(a, after)) {
    const why = f.object !== undefined ? refusedHere.get(f.object) : undefined;
    if (why !== undefined) refused.push({ object: f.object!, why });
    else if (CONFIG_RULES.has(f.rule)) refused.push({ object: f.object ?? f.rule, why: f.message });
    else extra.push(f);
  }
  const inFile = (m: Map<string, string>, written: readonly string[]) => own(m).filter((k) => written.includes(k));
  return {
    ...base,
    namespaces: inFile(w.namespaces, namespaces),
    clusterScoped: inFile(w.kinds, kinds),
    refused: dedupe(refused),
    blocking: extra,
  };
}

const needsAny = (w: Wanted) => w.namespaces.size > 0 || w.kinds.size > 0;

function dedupe(rs: Refusal[]): Refusal[] {
  const seen = new Map<string, Refusal>();
  for (const r of rs) if (!seen.has(`${r.object}\0${r.why}`)) seen.set(`${r.object}\0${r.why}`, r);
  return [...seen.values()].sort((x, y) => byCodeUnit(x.object, y.object) || byCodeUnit(x.why, y.why));
}

// Words YAML 1.1 (and so some readers) turn into booleans or null; numbers likewise.
const YAML_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
const PLAIN = /^[A-Za-z][A-Za-z0-9._/-]*$/;

/** A scalar as plain YAML when that reads back as the same string, else double-quoted (JSON escapes are
 * valid YAML double-quoted escapes). */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !YAML_WORDS.test(s) ? s : JSON.stringify(s);
}

/** The safe-render.yaml `--init` writes: the two lists, a header saying where they come from. Read back
 * with the app-config parser before it is returned, so what is written is what was decided. */
export function configText(namespaces: readonly string[], kinds: readonly string[]): string {
  const list = (key: string, xs: readonly string[]) =>
    xs.length ? `${key}:\n${xs.map((x) => `  - ${yamlScalar(x)}\n`).join('')}` : '';
  const text = `# Written by \`safe-render ci --init\`: the namespaces (besides the destination namespace) and the
# cluster-scoped kinds this app's render already writes, within the platform policy. Review every entry.
${list('namespaces', namespaces)}${list('clusterScoped', kinds)}`;
  const back = parseAppConfig({ file: CONFIG_FILE, text });
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(back.namespaces, namespaces) || !same(back.clusterScoped, kinds))
    throw new Error(`internal: the ${CONFIG_FILE} written by --init does not read back as decided`);
  return text;
}
