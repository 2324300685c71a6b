// appset-may-shrink: an ApplicationSet that can yield fewer (or no) Applications. When a generator
// returns nothing, the ApplicationSet controller deletes the Applications it made, and their resources
// finalizers delete the workloads (argo-cd#9227, #18212, #3473). We evaluate list generators and git
// generators that read this same repository, with the semantics Argo CD uses (contract §10, issue 8 §6,
// issue 9 §5); any other generator cannot be checked offline, so the ApplicationSet must set
// syncPolicy.preserveResourcesOnDeletion. An ApplicationSet whose effective applicationsSync policy
// never deletes (create-only, create-update) cannot shrink, and is left alone.
import { displayRef } from '../../model/identity';
import { asObject, type JsonObject, type ManifestObject } from '../../model/object';
import { sameRepoURL } from '../../util/repo-url';
import type { ArgoInstall } from '../../config/platform-policy';
import { goPathMatch } from '../../util/go-path-match';
import { gitPathspecMatch } from '../../util/git-pathspec';
import { parseSelector, selectorMatches } from '../../util/label-selector';
import { GENERATORS } from '../../appset/transform';
import { parseElementsYaml } from '../../appset/list-generator';
import { populatedDirs, visibleDir } from '../../appset/repo-dirs';
import { MAX_PATTERN_LENGTH, MAX_PATTERN_TRIES } from '../../appset/limits';
import type { Finding } from '../finding';
import type { CheckInput, RepoTree, Rule } from '../rule';

type Verdict = { kind: 'ok' } | { kind: 'empty'; why: string } | { kind: 'unknown'; why: string };

const quote = (s: string) => JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
const list = (xs: readonly string[]) => `[${xs.map(quote).join(', ')}]`;

interface Ctx {
  input: CheckInput;
  tree: () => RepoTree;
  install: ArgoInstall;
  /** Inside a matrix after its first child: Argo CD interpolates `{{...}}` from the first child's
   * parameters before it runs the generator (InterpolateGenerator), so text with `{{` is not literal. */
  interpolated: boolean;
}

const templated = (ctx: Ctx, s: string) => ctx.interpolated && s.includes('{{');

// The manifest and the repository are hostile input: the patterns x folders (or files) we try is
// bounded, and so is the elementsYaml we parse (issue 8 §8), with the bounds of src/appset. Past a
// bound the generator is not evaluated (it then needs preserveResourcesOnDeletion), never guessed.
const tooMuch = (what: string): Verdict => ({ kind: 'unknown', why: `${what} are too many to evaluate offline` });

function gitDirectories(dirs: JsonObject[], ctx: Ctx): Verdict {
  const entries = dirs.map((d) => ({ path: typeof d.path === 'string' ? d.path : '', exclude: d.exclude === true }));
  const pending = entries.find((e) => templated(ctx, e.path));
  if (pending)
    return {
      kind: 'unknown',
      why: `git directory ${quote(pending.path)} is filled in from the matrix's first generator`,
    };
  if (
    entries.some((e) => e.path.length > MAX_PATTERN_LENGTH) ||
    entries.length * ctx.tree().dirs.length > MAX_PATTERN_TRIES
  )
    return tooMuch('git directory patterns x folders');
  // filterApps: a folder is generated when an include entry matches it and no exclude entry does,
  // whatever their order; path.Match errors are logged and the entry skipped (it matches nothing).
  const malformed = new Set<string>();
  const matches = (pattern: string, d: string) => {
    const r = goPathMatch(pattern, d);
    if (r.err) malformed.add(pattern);
    return r.matched;
  };
  let excludedOnly = false;
  let hiddenOnly = false;
  let hit = false;
  const populated = populatedDirs(ctx.tree());
  for (const d of ctx.tree().dirs) {
    if (!populated.has(d)) continue;
    if (!visibleDir(d, ctx.install)) {
      if (!hiddenOnly && entries.some((e) => !e.exclude && goPathMatch(e.path, d).matched)) hiddenOnly = true;
      continue;
    }
    let include = false;
    let exclude = false;
    for (const e of entries) {
      if (matches(e.path, d)) {
        if (e.exclude) exclude = true;
        else include = true;
      }
    }
    if (include && !exclude) {
      hit = true;
      break;
    }
    if (include) excludedOnly = true;
  }
  if (hit) return { kind: 'ok' };
  const includes = entries.filter((e) => !e.exclude).map((e) => e.path);
  const notes = [
    malformed.size
      ? `${list([...malformed])} ${malformed.size === 1 ? 'is' : 'are'} malformed for Go's path.Match, so Argo CD skips ${malformed.size === 1 ? 'it' : 'them'}`
      : '',
    excludedOnly ? 'every folder they match is excluded by an exclude: true entry' : '',
    hiddenOnly ? 'Argo CD does not list hidden folders or what is below them' : '',
  ].filter(Boolean);
  return {
    kind: 'empty',
    why: `git directories ${list(includes)} match no folder in the repository${notes.length ? ` (${notes.join('; ')})` : ''}`,
  };
}

function gitFiles(files: JsonObject[], ctx: Ctx): Verdict {
  const entries = files.map((f) => ({ path: typeof f.path === 'string' ? f.path : '', exclude: f.exclude === true }));
  if (ctx.install.applicationSet?.newGitFileGlobbing === true) {
    return {
      kind: 'unknown',
      why: 'git files use the new (doublestar) globbing of this Argo CD install, which is not evaluated offline',
    };
  }
  const pending = entries.find((e) => templated(ctx, e.path));
  if (pending)
    return { kind: 'unknown', why: `git file ${quote(pending.path)} is filled in from the matrix's first generator` };
  if (
    entries.some((e) => e.path.length > MAX_PATTERN_LENGTH) ||
    entries.length * ctx.tree().files.length > MAX_PATTERN_TRIES
  )
    return tooMuch('git file patterns x files');
  // Every include pattern is listed with `git ls-files`, then every file an exclude pattern lists is removed.
  for (const e of entries) {
    const probe = gitPathspecMatch(e.path, '');
    if ('unsupported' in probe) return { kind: 'unknown', why: `git file ${quote(e.path)} ${probe.unsupported}` };
  }
  const lists = (e: { path: string }, f: string) => (gitPathspecMatch(e.path, f) as { matched: boolean }).matched;
  const hit = ctx
    .tree()
    .files.some(
      (f) => entries.some((e) => !e.exclude && lists(e, f)) && !entries.some((e) => e.exclude && lists(e, f)),
    );
  if (hit) return { kind: 'ok' };
  return {
    kind: 'empty',
    why: `git files ${list(entries.filter((e) => !e.exclude).map((e) => e.path))} match no file in the repository (as git ls-files reads them)`,
  };
}

function gitVerdict(git: JsonObject, ctx: Ctx): Verdict {
  const repo = typeof git.repoURL === 'string' ? git.repoURL : '';
  if (templated(ctx, repo))
    return { kind: 'unknown', why: "git generator repoURL is filled in from the matrix's first generator" };
  if (!ctx.input.app.repoURL || !sameRepoURL(repo, ctx.input.app.repoURL)) {
    return { kind: 'unknown', why: `git generator reads another repository (${repo || 'none given'})` };
  }
  // GenerateParams: directories when there are any (files are then ignored), else files, else an error.
  const dirs = Array.isArray(git.directories) ? git.directories.map(asObject) : [];
  const files = Array.isArray(git.files) ? git.files.map(asObject) : [];
  if (dirs.length) return gitDirectories(dirs, ctx);
  if (files.length) return gitFiles(files, ctx);
  return { kind: 'unknown', why: 'git generator has neither directories nor files, which Argo CD rejects' };
}

/** The parameter sets of a list generator, or why we cannot know them. `elementsYaml` is read with
 * sigs.k8s.io/yaml into a list of maps: an empty string (or `null`, `[]`) adds nothing. */
function listParams(l: JsonObject, ctx: Ctx): { params: unknown[] } | { unknown: string } {
  const params: unknown[] = Array.isArray(l.elements) ? [...l.elements] : [];
  const y = l.elementsYaml;
  if (y === undefined || y === null || y === '') return { params };
  if (typeof y !== 'string') return { unknown: 'list generator elementsYaml is not a string' };
  if (templated(ctx, y))
    return { unknown: "list generator elementsYaml is filled in from the matrix's first generator" };
  const parsed = parseElementsYaml(y);
  if ('elements' in parsed) return { params: [...params, ...parsed.elements] };
  return { unknown: 'unknown' in parsed ? parsed.unknown : parsed.invalid };
}

/** The generator's own kind and its verdict before the selector; `params` when the sets are known. */
function evaluate(name: string, body: unknown, ctx: Ctx): { verdict: Verdict; params?: unknown[] } {
  const g = asObject(body);
  switch (name) {
    case 'list': {
      const p = listParams(g, ctx);
      if ('unknown' in p) return { verdict: { kind: 'unknown', why: p.unknown } };
      const why =
        g.elementsYaml !== undefined
          ? 'list generator has no elements and its elementsYaml yields none'
          : 'list generator has no elements';
      return { verdict: p.params.length ? { kind: 'ok' } : { kind: 'empty', why }, params: p.params };
    }
    case 'git':
      return { verdict: gitVerdict(g, ctx) };
    case 'matrix':
    case 'merge': {
      const children = Array.isArray(g.generators) ? g.generators : [];
      // Argo CD errors (and deletes nothing) on a matrix without exactly two, a merge with fewer than two.
      if (name === 'matrix' ? children.length !== 2 : children.length < 2) {
        return {
          verdict: {
            kind: 'unknown',
            why: `${name} generator has ${children.length} generators, which Argo CD rejects`,
          },
        };
      }
      const verdicts = children.map((c, i) =>
        generatorVerdict(asObject(c), { ...ctx, interpolated: ctx.interpolated || (name === 'matrix' && i > 0) }),
      );
      // A matrix is empty when any child is; a merge yields one set per set of its first generator.
      const empty =
        name === 'matrix'
          ? verdicts.find((v) => v.kind === 'empty')
          : verdicts[0]!.kind === 'empty'
            ? verdicts[0]
            : undefined;
      if (empty) return { verdict: { kind: 'empty', why: `${name}: ${(empty as { why: string }).why}` } };
      const unknown = (name === 'matrix' ? verdicts : [verdicts[0]!]).find((v) => v.kind === 'unknown');
      return {
        verdict: unknown ? { kind: 'unknown', why: `${name}: ${(unknown as { why: string }).why}` } : { kind: 'ok' },
      };
    }
    default:
      return {
        verdict: { kind: 'unknown', why: `${name} generator depends on the live cluster or an external service` },
      };
  }
}

function generatorVerdict(g: JsonObject, ctx: Ctx): Verdict {
  const present = GENERATORS.filter((k) => g[k] !== undefined && g[k] !== null);
  if (present.length === 0) return { kind: 'unknown', why: 'the generator names no generator type Argo CD knows' };
  // Several types in one entry each yield their sets (Transform): the entry is empty only if all are.
  const results = present.map((name) => ({ name, ...evaluate(name, g[name], ctx) }));
  const selector = g.selector;
  const verdicts = results.map((r): Verdict => {
    if (selector === undefined || selector === null || r.verdict.kind !== 'ok') return r.verdict;
    const sel = parseSelector(selector);
    if ('invalid' in sel)
      return {
        kind: 'unknown',
        why: `${r.name} generator selector is invalid (${sel.invalid}), which Argo CD rejects`,
      };
    if (sel.requirements.length === 0) return r.verdict; // `{}` selects everything
    if (!r.params)
      return { kind: 'unknown', why: `${r.name} generator has a selector over parameters that are not known offline` };
    let unknown: string | undefined;
    for (const p of r.params) {
      const m = selectorMatches(sel, p);
      if (m.kind === 'match') return r.verdict;
      if (m.kind === 'unknown') unknown ??= m.why;
    }
    if (unknown) return { kind: 'unknown', why: `${r.name} generator selector: ${unknown}` };
    return {
      kind: 'empty',
      why: `${r.name} generator selector matches none of its ${r.params.length} element${r.params.length === 1 ? '' : 's'}`,
    };
  });
  if (verdicts.some((v) => v.kind === 'ok')) return { kind: 'ok' };
  return verdicts.find((v) => v.kind === 'unknown') ?? verdicts[0]!;
}

/** The applicationsSync policy the controller applies to this ApplicationSet (utils.DefaultPolicy):
 * its own when policy override is on (the default when the controller has no --policy), else the
 * controller's (`sync` by default). */
export function effectivePolicy(spec: JsonObject, install: ArgoInstall): string {
  const controller = install.applicationSet?.policy;
  const override = install.applicationSet?.enablePolicyOverride ?? controller === undefined;
  const own = asObject(spec.syncPolicy).applicationsSync;
  if (override && typeof own === 'string') return own;
  return controller ?? 'sync';
}

function checkAppSet(o: ManifestObject, ctx: Ctx): Finding[] {
  const spec = asObject(o.body.spec);
  // AllowDelete() is true for sync and create-delete only; create-only and create-update never delete
  // an Application, so a generator that shrinks leaves them all in place.
  const policy = effectivePolicy(spec, ctx.install);
  if (policy === 'create-only' || policy === 'create-update') return [];
  const preserve = asObject(spec.syncPolicy).preserveResourcesOnDeletion === true;
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const base = {
    rule: 'appset-may-shrink' as const,
    severity: 'error' as const,
    object: displayRef(o),
    sources: [o.source],
  };
  const retire =
    'to retire the ApplicationSet, delete it deliberately with `kubectl delete appset NAME --cascade=orphan`';
  const noDelete =
    'or set spec.syncPolicy.applicationsSync: create-update so the controller never deletes Applications';
  if (generators.length === 0) {
    return [
      {
        ...base,
        message: 'yields no Applications: it has no generators; the controller would delete the Applications it made',
        fix: `add the generators it needs; ${retire}`,
      },
    ];
  }
  const verdicts = generators.map((g) => generatorVerdict(asObject(g), ctx));
  const findings: Finding[] = [];
  const label = (i: number) => {
    const g = asObject(generators[i]);
    return `generator ${i + 1} of ${generators.length} (${GENERATORS.find((k) => g[k] !== undefined && g[k] !== null) ?? 'unknown'})`;
  };
  if (verdicts.every((v) => v.kind === 'empty')) {
    // Every generator is empty: the ApplicationSet as a whole yields nothing.
    const why =
      verdicts.length === 1
        ? (verdicts[0] as { why: string }).why
        : verdicts.map((v, i) => `${label(i)}: ${(v as { why: string }).why}`).join('; ');
    findings.push({
      ...base,
      message: `yields no Applications: ${why}; the controller would delete the Applications it made`,
      fix: `fix the generator (elements, paths, selector) so it yields the intended Applications, ${noDelete}; ${retire}`,
    });
  } else {
    verdicts.forEach((v, i) => {
      if (v.kind !== 'empty') return;
      findings.push({
        ...base,
        message: `${label(i)} yields nothing: ${v.why}; the controller would delete the Applications only that generator made`,
        fix: `fix that generator (elements, paths, selector) so it yields the intended Applications, remove it deliberately, ${noDelete}`,
      });
    });
  }
  if (!preserve) {
    verdicts.forEach((v, i) => {
      if (v.kind !== 'unknown') return;
      const which = verdicts.length === 1 ? '' : `${label(i)} `;
      findings.push({
        ...base,
        message: `${which}cannot be checked offline (${v.why}) and syncPolicy.preserveResourcesOnDeletion is not true; if the generator ever returns nothing, every app it made is deleted`,
        fix: `set spec.syncPolicy.preserveResourcesOnDeletion: true, ${noDelete}, or use list or same-repository git generators`,
      });
    });
  }
  return findings;
}

export const appsetMayShrink: Rule = {
  id: 'appset-may-shrink',
  check(input) {
    const findings: Finding[] = [];
    const ctx: Ctx = { input, tree: input.repoTree, install: input.policy?.argocd ?? {}, interpolated: false };
    for (const o of input.objects) {
      if (o.group === 'argoproj.io' && o.kind === 'ApplicationSet') findings.push(...checkAppSet(o, ctx));
    }
    return findings;
  },
};
