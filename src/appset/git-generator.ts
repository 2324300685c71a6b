// The git generator: argo-cd applicationset/generators/git.go GitGenerator.GenerateParams,
// generateParamsForGitDirectories (filterApps, generateParamsFromApps), generateParamsForGitFiles
// (generateParamsFromGitFile) and value_interpolation.go appendTemplatedValues.
//
// Revision: whatever `revision` says (HEAD, a branch, a tag, a commit), we read the working tree as it
// is. `ci` runs on the pull request's head, which is the revision the generator will read once the
// change merges; a generator pinned to another branch or commit is read as if it were the head.
import { parseAllDocuments } from 'yaml';
import { isPlainObject, type JsonObject } from '../model/object';
import { gitPathspecMatch } from '../util/git-pathspec';
import { goPathMatch } from '../util/go-path-match';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { sameRepoURL } from '../util/repo-url';
import { nestingProblem } from '../util/yaml-depth';
import { sanitizeName } from './argo-names';
import type { EvalCtx, Params } from './context';
import { goStringCompare, toGoJson } from './go-value';
import { withinNodes } from './list-generator';
import {
  AppSetInvalid,
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_PATTERN_LENGTH,
  MAX_PATTERN_TRIES,
  MAX_TOTAL_FILE_BYTES,
  MAX_VALUE_NODES,
  NotEvaluable,
  short,
} from './limits';
import { gitDirectories } from './repo-dirs';
import { flattenForSelector } from './selector-params';

interface Item {
  path: string;
  exclude: boolean;
}

function items(raw: unknown, what: string): Item[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new AppSetInvalid(`git generator ${what} is not a list`);
  return raw.map((d) => {
    const o = isPlainObject(d) ? d : {};
    if (o.path !== undefined && typeof o.path !== 'string') throw new AppSetInvalid(`git ${what} path is not a string`);
    return { path: (o.path as string | undefined) ?? '', exclude: o.exclude === true };
  });
}

/** path.Dir and path.Base of Go's path package, for the clean slash paths git lists. */
const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
const base = (p: string) => (p === '' ? '.' : p.slice(p.lastIndexOf('/') + 1));

/** The path parameters of one folder: generateParamsFromApps (directories). With `filename`, a file's
 * (generateParamsFromGitFile): `path` is then its folder. */
function pathParams(params: Params, folder: string, prefix: string, goTemplate: boolean, filename?: string): void {
  if (goTemplate) {
    const p: Params = { path: folder, basename: base(folder) };
    if (filename !== undefined) p.filename = filename;
    p.basenameNormalized = sanitizeName(base(folder));
    if (filename !== undefined) p.filenameNormalized = sanitizeName(filename);
    p.segments = folder.split('/');
    if (prefix) params[prefix] = { path: p };
    else params.path = p;
    return;
  }
  const name = prefix ? `${prefix}.path` : 'path';
  params[name] = folder;
  params[`${name}.basename`] = base(folder);
  if (filename !== undefined) params[`${name}.filename`] = filename;
  params[`${name}.basenameNormalized`] = sanitizeName(base(folder));
  if (filename !== undefined) params[`${name}.filenameNormalized`] = sanitizeName(filename);
  folder.split('/').forEach((v, k) => {
    if (v !== '') params[`${name}[${k}]`] = v;
  });
}

/** appendTemplatedValues: each value rendered with the parameters so far, then added as `values.KEY`
 * (default style) or the `values` map (goTemplate). */
function appendValues(values: Record<string, string>, params: Params, ctx: EvalCtx): void {
  const tmp: Params = {};
  for (const [k, v] of Object.entries(values)) {
    const r = ctx.replace(v, params);
    if (ctx.goTemplate) ((tmp.values ??= {}) as Params)[k] = r;
    else tmp[`values.${k}`] = r;
  }
  Object.assign(params, tmp);
}

function directoryParams(git: JsonObject, entries: Item[], values: Record<string, string>, ctx: EvalCtx): Params[] {
  const tree = ctx.repo.tree();
  if (entries.some((e) => e.path.length > MAX_PATTERN_LENGTH) || entries.length * tree.dirs.length > MAX_PATTERN_TRIES)
    throw new NotEvaluable('git directory patterns x folders are too many to evaluate offline', 'git');
  // Inside a matrix this runs once per set of the first generator: the shared budget bounds the total.
  ctx.budget.step(entries.length * tree.dirs.length);
  const prefix = typeof git.pathParamPrefix === 'string' ? git.pathParamPrefix : '';
  const res: Params[] = [];
  for (const d of gitDirectories(tree, ctx.install)) {
    // filterApps: included by an entry and excluded by none, whatever their order; a malformed
    // pattern (path.Match error) is logged and skipped.
    let include = false;
    let exclude = false;
    for (const e of entries) {
      if (!goPathMatch(e.path, d).matched) continue;
      if (e.exclude) exclude = true;
      else include = true;
    }
    if (!include || exclude) continue;
    const params: Params = {};
    pathParams(params, d, prefix, ctx.goTemplate);
    appendValues(values, params, ctx);
    res.push(params);
  }
  return res;
}

/** generateParamsFromGitFile: a mapping is one set, a list of mappings several (sigs.k8s.io/yaml). */
function fileObjects(file: string, text: string): Params[] {
  const fail = (why: string) => new AppSetInvalid(`unable to process file ${short(file)}: ${why}`);
  if (nestingProblem(text))
    throw new NotEvaluable(`git file ${short(file)} nests too deeply to evaluate offline`, 'git');
  const docs = parseAllDocuments(text, K8S_YAML);
  if (!Array.isArray(docs)) return [{}]; // an empty file is an empty mapping
  if (docs.length === 0) return [{}];
  if (docs.length > 1)
    throw new NotEvaluable(
      `git file ${short(file)} holds several YAML documents, which is not evaluated offline`,
      'git',
    );
  const doc = docs[0]!;
  if (doc.errors.length) throw fail('unable to parse file');
  let v: unknown;
  try {
    v = doc.toJS(K8S_TO_JS);
  } catch {
    throw new NotEvaluable(`git file ${short(file)} cannot be read (aliases)`, 'git');
  }
  if (!withinNodes(v, MAX_VALUE_NODES))
    throw new NotEvaluable(`git file ${short(file)} is too large to evaluate`, 'git');
  v = toGoJson(v);
  if (v === null || v === undefined) return [{}];
  if (isPlainObject(v)) return [v];
  if (Array.isArray(v) && v.every((o) => o === null || isPlainObject(o))) return v.map((o) => (o ?? {}) as Params);
  throw fail('unable to parse file: not a mapping or a list of mappings');
}

function fileParams(git: JsonObject, entries: Item[], values: Record<string, string>, ctx: EvalCtx): Params[] {
  if (ctx.install.applicationSet?.newGitFileGlobbing === true)
    throw new NotEvaluable(
      'git files use the new (doublestar) globbing of this Argo CD install, which is not evaluated offline',
      'git',
    );
  const tree = ctx.repo.tree();
  if (entries.some((e) => e.path.length > MAX_PATTERN_LENGTH) || entries.length * tree.files.length > MAX_PATTERN_TRIES)
    throw new NotEvaluable('git file patterns x files are too many to evaluate offline', 'git');
  ctx.budget.step(entries.length * tree.files.length);
  for (const e of entries) {
    const probe = gitPathspecMatch(e.path, '');
    if ('unsupported' in probe) throw new NotEvaluable(`git file ${short(e.path)} ${probe.unsupported}`, 'git');
  }
  const lists = (e: Item, f: string) => (gitPathspecMatch(e.path, f) as { matched: boolean }).matched;
  // Every include pattern is listed with `git ls-files`, then every file an exclude pattern lists is
  // removed; the rest is processed in sort.Strings order.
  const files = tree.files
    .filter((f) => entries.some((e) => !e.exclude && lists(e, f)) && !entries.some((e) => e.exclude && lists(e, f)))
    .sort(goStringCompare);
  if (files.length > MAX_FILES) throw new NotEvaluable(`git files match more than ${MAX_FILES} files`, 'git');
  const prefix = typeof git.pathParamPrefix === 'string' ? git.pathParamPrefix : '';
  const res: Params[] = [];
  for (const f of files) {
    const text = ctx.repo.readFile(f);
    if (text === undefined) throw new NotEvaluable(`git file ${short(f)} cannot be read offline`, 'git');
    ctx.budget.fileBytes += text.length;
    if (text.length > MAX_FILE_BYTES || ctx.budget.fileBytes > MAX_TOTAL_FILE_BYTES)
      throw new NotEvaluable(`git file ${short(f)} is too large to evaluate offline`, 'git');
    for (const obj of fileObjects(f, text)) {
      let params: Params;
      if (ctx.goTemplate) params = { ...obj };
      else {
        // flatten.Flatten then fmt %v of every leaf (flattenForSelector does both).
        params = flattenForSelector(obj);
      }
      pathParams(params, dir(f), prefix, ctx.goTemplate, base(f));
      appendValues(values, params, ctx);
      res.push(params);
    }
  }
  return res;
}

export function gitParams(git: JsonObject, ctx: EvalCtx): Params[] {
  const repoURL = typeof git.repoURL === 'string' ? git.repoURL : '';
  if (!repoURL || !ctx.repo.repoURL || !sameRepoURL(repoURL, ctx.repo.repoURL))
    throw new NotEvaluable(
      `git generator reads another repository (${repoURL ? short(repoURL) : 'none given'})`,
      'git',
    );
  const values: Record<string, string> = {};
  if (git.values !== undefined && git.values !== null) {
    if (!isPlainObject(git.values)) throw new AppSetInvalid('git generator values is not a map of strings');
    for (const [k, v] of Object.entries(git.values)) {
      if (typeof v !== 'string') throw new AppSetInvalid(`git generator values.${k} is not a string`);
      values[k] = v;
    }
  }
  // GenerateParams: directories when there are any (files are then ignored), else files, else an error.
  const dirs = items(git.directories, 'directories');
  if (dirs.length) return directoryParams(git, dirs, values, ctx);
  const files = items(git.files, 'files');
  if (files.length) return fileParams(git, files, values, ctx);
  throw new AppSetInvalid('git generator has neither directories nor files');
}
