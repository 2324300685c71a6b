// appset-may-shrink: an ApplicationSet that can yield fewer (or no) Applications. When a generator
// returns nothing, the ApplicationSet controller deletes the Applications it made, and their resources
// finalizers delete the workloads (argo-cd#9227, #18212, #3473). We evaluate list generators and git
// generators that read this same repository; any other generator cannot be checked offline, so the
// ApplicationSet must set syncPolicy.preserveResourcesOnDeletion.
import { minimatch } from 'minimatch';
import { displayRef } from '../../model/identity';
import type { JsonObject, ManifestObject } from '../../model/object';
import { normalizeRepoURL } from '../../lock/snapshot';
import type { Finding } from '../finding';
import type { CheckInput, RepoTree, Rule } from '../rule';

type Verdict = { kind: 'ok' } | { kind: 'empty'; why: string } | { kind: 'unknown'; why: string };

const obj = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});
const GLOB = { dot: false, nocomment: true } as const;

function gitVerdict(git: JsonObject, input: CheckInput, tree: () => RepoTree): Verdict {
  const repo = typeof git.repoURL === 'string' ? git.repoURL : '';
  if (!input.app.repoURL || normalizeRepoURL(repo) !== normalizeRepoURL(input.app.repoURL)) {
    return { kind: 'unknown', why: `git generator reads another repository (${repo || 'none given'})` };
  }
  const dirs = Array.isArray(git.directories) ? git.directories.map(obj) : [];
  const files = Array.isArray(git.files) ? git.files.map(obj) : [];
  if (dirs.length) {
    const include = dirs.filter((d) => d.exclude !== true && typeof d.path === 'string').map((d) => d.path as string);
    const exclude = dirs.filter((d) => d.exclude === true && typeof d.path === 'string').map((d) => d.path as string);
    const hits = tree().dirs.filter((d) => include.some((g) => minimatch(d, g, GLOB)) && !exclude.some((g) => minimatch(d, g, GLOB)));
    if (hits.length === 0) return { kind: 'empty', why: `git directories ${JSON.stringify(include)} match no folder in the repository` };
  }
  if (files.length) {
    const globs = files.filter((f) => typeof f.path === 'string').map((f) => f.path as string);
    if (!tree().files.some((f) => globs.some((g) => minimatch(f, g, GLOB)))) {
      return { kind: 'empty', why: `git files ${JSON.stringify(globs)} match no file in the repository` };
    }
  }
  if (!dirs.length && !files.length) return { kind: 'empty', why: 'git generator has neither directories nor files' };
  return { kind: 'ok' };
}

function generatorVerdict(g: JsonObject, input: CheckInput, tree: () => RepoTree): Verdict {
  if (g.list !== undefined) {
    const list = obj(g.list);
    if (list.elementsYaml !== undefined) return { kind: 'unknown', why: 'list generator uses elementsYaml' };
    return Array.isArray(list.elements) && list.elements.length > 0 ? { kind: 'ok' } : { kind: 'empty', why: 'list generator has no elements' };
  }
  if (g.git !== undefined) return gitVerdict(obj(g.git), input, tree);
  for (const combo of ['matrix', 'merge'] as const) {
    if (g[combo] === undefined) continue;
    const children = obj(g[combo]).generators;
    if (!Array.isArray(children) || children.length === 0) return { kind: 'empty', why: `${combo} generator has no generators` };
    const verdicts = children.map((c) => generatorVerdict(obj(c), input, tree));
    // A matrix is empty when any child is; a merge takes its first generator as the base.
    const empty = combo === 'matrix' ? verdicts.find((v) => v.kind === 'empty') : verdicts[0]!.kind === 'empty' ? verdicts[0] : undefined;
    if (empty) return { kind: 'empty', why: `${combo}: ${(empty as { why: string }).why}` };
    const unknown = verdicts.find((v) => v.kind === 'unknown');
    return unknown ? { kind: 'unknown', why: `${combo}: ${(unknown as { why: string }).why}` } : { kind: 'ok' };
  }
  const name = Object.keys(g).find((k) => k !== 'selector' && k !== 'values') ?? 'unknown';
  return { kind: 'unknown', why: `${name} generator depends on the live cluster or an external service` };
}

function checkAppSet(o: ManifestObject, input: CheckInput, tree: () => RepoTree): Finding[] {
  const spec = obj(o.body.spec);
  const preserve = obj(spec.syncPolicy).preserveResourcesOnDeletion === true;
  const generators = Array.isArray(spec.generators) ? spec.generators.map(obj) : [];
  const verdicts: Verdict[] = generators.length ? generators.map((g) => generatorVerdict(g, input, tree)) : [{ kind: 'empty', why: 'it has no generators' }];
  const findings: Finding[] = [];
  const base = { rule: 'appset-may-shrink', severity: 'error' as const, object: displayRef(o), sources: [o.source] };
  for (const v of verdicts) {
    if (v.kind === 'empty') {
      findings.push({ ...base, message: `yields no Applications: ${v.why}; the controller would delete the Applications it made`, fix: 'fix the generator (elements, paths) so it yields the intended Applications; to retire the ApplicationSet, delete it deliberately with `kubectl delete appset NAME --cascade=orphan`' });
    } else if (v.kind === 'unknown' && !preserve) {
      findings.push({ ...base, message: `cannot be checked offline (${v.why}) and syncPolicy.preserveResourcesOnDeletion is not true; if the generator ever returns nothing, every app it made is deleted`, fix: 'set spec.syncPolicy.preserveResourcesOnDeletion: true, or use list or same-repository git generators' });
    }
  }
  return findings;
}

export const appsetMayShrink: Rule = {
  id: 'appset-may-shrink',
  check(input) {
    const findings: Finding[] = [];
    for (const o of input.objects) {
      if (o.group === 'argoproj.io' && o.kind === 'ApplicationSet') findings.push(...checkAppSet(o, input, input.repoTree));
    }
    return findings;
  },
};
