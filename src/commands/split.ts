// `safe-render split [FILE|DIR|-] -o DIR` (issue 13): any stream or folder of manifests into one object
// per file, through the same planner and writer as `render -o` (atomic swap, the marker, collision
// refusals), with each YAML document's own text. Every refusal (bad input, a collision, a template
// path leaving DIR, no objects) is exit 2 with one line and happens before anything is written: a split
// refused is a split that could not run, as for render -o; exit 1 stays what it means everywhere else,
// a rule's finding.
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { has, helpText, many, one, parseArgs, type FlagSpec } from '../cli/args';
import { writeOutputDirAsync } from '../emit/output-dir';
import { outDirArg } from './out-dir-flag';
import { MARKER_FILE, objectPath, planSplit, type PlannedFile } from '../emit/split-plan';
import { parseTemplate, TEMPLATE_HELP, templatePath } from '../emit/split-template';
import type { ManifestObject, SourceRef } from '../model/object';
import { formatSource } from '../model/object';
import { resolveObjects, type ValidDoc } from '../model/resolve';
import { RenderFailure, UsageError } from '../util/errors';
import { compileGlob } from '../util/glob';
import { lstatOrUndefined } from '../util/safe-write';
import { flatLine } from '../report/format';
import type { Host } from './command';
import type { Io } from './report';
import { notAnObject, readInput, splitDocuments } from './split-input';

const FLAGS: FlagSpec[] = [
  { name: 'out', short: 'o', value: true, placeholder: 'DIR', help: 'the folder to write (required)' },
  {
    name: 'template',
    value: true,
    placeholder: 'TEMPLATE',
    help: "file layout, e.g. '{namespace}/{kind|lower}-{name}.yaml' (below); default: render -o's",
  },
  {
    name: 'include',
    value: true,
    repeat: true,
    placeholder: 'GLOB',
    help: 'keep only objects matching [NAMESPACE/]KIND/NAME globs (repeatable)',
  },
  {
    name: 'exclude',
    value: true,
    repeat: true,
    placeholder: 'GLOB',
    help: 'leave out objects matching [NAMESPACE/]KIND/NAME globs (repeatable; wins over --include)',
  },
  { name: 'skip-non-k8s', help: 'leave out documents that are not Kubernetes objects (default: refuse them)' },
  { name: 'allow-empty', help: 'write an empty folder when the input has no objects (default: refuse)' },
  { name: 'dry-run', help: 'print what would be written and removed; write nothing' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const SPLIT_HELP = `${helpText(
  'safe-render split FILE|DIR|- -o DIR [flags]',
  `Split manifests (a file, a folder of .yaml/.yml/.json read recursively, or standard input "-";
rendered or not) into one object per file in DIR. YAML documents keep their own text (comments,
key order, quoting); JSON is written as YAML; a List is flattened. DIR is replaced as a whole,
atomically, and only if it is empty or was written by safe-render (${MARKER_FILE}).
Default layout, as render -o: <namespace|_cluster|_namespaced>/<Kind>[.<group>]_<name>.yaml.
Exit 0 written, 2 refused (bad input, two objects on one path or on paths differing only in case,
a path outside DIR, no objects without --allow-empty); nothing is written when refused.`,
  FLAGS,
)}
${TEMPLATE_HELP}

filters (--include/--exclude): KIND/NAME or NAMESPACE/KIND/NAME, each part a glob (*, ?, [..], {a,b});
  KIND matches the kind or kind.group, in any case (deployment/*, *.cert-manager.io/*); NAMESPACE is
  _cluster for cluster-scoped objects and _namespaced for namespaced ones that name none.
`;

interface Filter {
  test(o: ManifestObject): boolean;
}

function compileFilter(pattern: string, flag: string): Filter {
  const parts = pattern.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    throw new UsageError(`${flag} "${pattern}": expected KIND/NAME or NAMESPACE/KIND/NAME`);
  const [ns, kind, name] = parts.length === 3 ? parts : ['*', ...parts];
  const nsG = compileGlob(ns!, { dot: true });
  const kindG = compileGlob(kind!, { dot: true, nocase: true });
  const nameG = compileGlob(name!, { dot: true });
  return {
    test: (o) =>
      nsG.match(o.scope === 'Cluster' ? '_cluster' : o.namespace || '_namespaced') &&
      (kindG.match(o.kind) || (o.group !== '' && kindG.match(`${o.kind}.${o.group}`))) &&
      nameG.match(o.name),
  };
}

function isInsideOrSame(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The files now in DIR (relative, "/"), for --dry-run's "remove" lines; the refusals writeOutputDir
 * would give, first. Links are listed, never followed. */
function existingFiles(dir: string, cwd: string): string[] {
  const target = resolve(cwd, dir);
  const st = lstatOrUndefined(target, dir);
  if (!st) return [];
  if (st.isSymbolicLink()) throw new UsageError(`${dir} is a symbolic link; -o writes only into a real folder`);
  if (!st.isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
  const top = readdirSync(target);
  if (top.length === 0) return [];
  if (!lstatOrUndefined(join(target, MARKER_FILE), `${dir}/${MARKER_FILE}`)?.isFile())
    throw new UsageError(
      `${dir} is not empty and was not written by safe-render (no ${MARKER_FILE}); refusing to replace it. Choose another folder or empty it yourself`,
    );
  const out: string[] = [];
  const walk = (abs: string, rel: string, depth: number) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < 100) walk(join(abs, e.name), r, depth + 1);
      else out.push(r);
      if (out.length > 200_000) throw new UsageError(`${dir} holds more than 200000 files; refusing to list them`);
    }
  };
  walk(target, '', 0);
  return out;
}

function where(s: SourceRef): string {
  return formatSource(s);
}

export async function splitCommand(argv: readonly string[], io: Io, host: Host): Promise<number> {
  const { cwd } = host;
  const a = parseArgs(argv, FLAGS, 'split');
  if (has(a, 'help')) {
    io.out(SPLIT_HELP);
    return 0;
  }
  if (a.positional.length !== 1)
    throw new UsageError(
      `split takes one FILE, DIR or - (standard input), got ${a.positional.length === 0 ? 'none' : a.positional.join(' ')} (see safe-render split --help)`,
    );
  // -o yaml|json is kubectl's format habit, refused with a hint (issue 13, out-dir-flag.ts).
  const outDir = outDirArg(a);
  if (!outDir) throw new UsageError('split needs -o DIR, the folder to write');
  const template = one(a, 'template');
  const compiled = template === undefined ? undefined : parseTemplate(template);
  const includes = many(a, 'include').map((p) => compileFilter(p, '--include'));
  const excludes = many(a, 'exclude').map((p) => compileFilter(p, '--exclude'));
  const dryRun = has(a, 'dry-run');
  const arg = a.positional[0]!;

  const input = readInput(arg, cwd);
  const target = resolve(cwd, outDir);
  // Reading what we are about to replace (or writing into what we read) would eat the input.
  if (input.abs && (isInsideOrSame(target, input.abs) || (input.isDir && isInsideOrSame(input.abs, target))))
    throw new UsageError(`-o ${outDir} and the input ${arg} overlap; write the split somewhere outside the input`);

  const docs = splitDocuments(input.files);
  const valid: ValidDoc[] = [];
  const contents: string[] = [];
  let notObjects = 0;
  for (const d of docs) {
    const problem = notAnObject(d.value);
    if (problem) {
      if (!has(a, 'skip-non-k8s'))
        throw new RenderFailure(
          `this document ${problem}, so it is not a Kubernetes object`,
          where(d.source),
          'fix it, or pass --skip-non-k8s to leave such documents out',
        );
      notObjects++;
      continue;
    }
    valid.push({ body: d.value as ValidDoc['body'], source: d.source });
    contents.push(d.content);
  }
  // No destination namespace: split writes what the input says (render -o applies Argo CD's default).
  const all = resolveObjects(valid, '', { app: { file: '' } });
  const kept: ManifestObject[] = [];
  const keptContents: string[] = [];
  all.forEach((o, i) => {
    if (includes.length > 0 && !includes.some((f) => f.test(o))) return;
    if (excludes.some((f) => f.test(o))) return;
    kept.push(o);
    keptContents.push(contents[i]!);
  });
  const filtered = all.length - kept.length;
  const files = input.files.length;
  const from = `${files} file${files === 1 ? '' : 's'}${notObjects ? `, ${notObjects} non-object document${notObjects === 1 ? '' : 's'} skipped` : ''}${filtered ? `, ${filtered} object${filtered === 1 ? '' : 's'} filtered out` : ''}`;
  if (kept.length === 0 && !has(a, 'allow-empty'))
    throw new UsageError(
      `${docs.length === 0 ? 'the input holds no objects (empty, or only comments)' : 'no object is left to write'} (${from}); refusing to replace ${outDir} with an empty folder, which is what a failed command upstream looks like. Pass --allow-empty if that is what you want`,
    );

  const paths = compiled ? kept.map((o) => templatePath(compiled, o)) : kept.map((o) => objectPath(o));
  const plan: PlannedFile[] = planSplit(kept, {
    pathOf: compiled ? (_, i) => paths[i]! : undefined,
    contentOf: (_, i) => keptContents[i]!,
  });
  const summary = `safe-render: split ${kept.length} object${kept.length === 1 ? '' : 's'} from ${from}`;
  if (dryRun) {
    const planned = new Set(plan.map((f) => f.path));
    const existing = existingFiles(outDir, cwd);
    const stale = existing.filter((p) => !planned.has(p));
    const present = new Set(existing);
    for (const f of plan) io.out(`${present.has(f.path) ? 'replace' : 'write'} ${f.path}\n`);
    for (const p of stale) io.out(`remove ${flatLine(p)}\n`);
    io.err(
      `${summary}; would write ${plan.length - 2} files and kustomization.yaml to ${outDir} and remove ${stale.length} (dry run: nothing written)\n`,
    );
    return 0;
  }
  const written = await writeOutputDirAsync(outDir, plan, cwd);
  const how = written.inPlace ? ` (in place: ${written.inPlace})` : '';
  io.err(`${summary}; wrote ${plan.length - 2} files and kustomization.yaml to ${outDir}${how}\n`);
  return 0;
}
