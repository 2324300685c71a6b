// `split --template`: a file layout the team chooses, in place of render -o's collision-proof one
// (issue 13). kubectl-slice's idea (`{{.kind | lower}}-{{.metadata.name}}.yaml`), with a smaller
// syntax that cannot run code: `{field}` or `{field|lower}` / `{field|upper}`, fields group, version,
// kind, namespace and name; everything else is literal text from a short list of characters.
//
// Any template is accepted, but not every path it makes: values come from the input, which may be
// hostile, so each value is percent-encoded (only letters, digits, ".", "_" and "-" stay; never "/"),
// and every path is checked to stay inside the output folder (no "", "." or ".." segment, nothing
// absolute) and to leave the folder's own files (kustomization.yaml, the marker) alone. Two objects on
// one path, or on paths that differ only in case, are refused by planSplit, before anything is
// written. A file where another object needs a folder cannot happen: no value adds a "/", so every
// path of one template has the same depth; only the folder's own files are at the top, checked here.
import type { ManifestObject } from '../model/object';
import { formatSource } from '../model/object';
import { RenderFailure, UsageError } from '../util/errors';
import { percentEncode } from '../util/file-names';
import { MARKER_FILE } from './split-plan';

export const TEMPLATE_FIELDS = ['group', 'version', 'kind', 'namespace', 'name'] as const;
type Field = (typeof TEMPLATE_FIELDS)[number];
const FUNCS = { lower: (s: string) => s.toLowerCase(), upper: (s: string) => s.toUpperCase() } as const;
type Func = keyof typeof FUNCS;

type Piece = string | { field: Field; func?: Func };
export type SplitTemplate = readonly Piece[];

/** Characters a template's literal text and a finished path segment may hold. */
const LITERAL = /^[A-Za-z0-9._~+=@,/-]*$/;
const SEGMENT = /^[A-Za-z0-9._~+=@,%-]+$/;
const VALUE_KEEP = /^[A-Za-z0-9._-]$/;
/** Names kustomize reads as the folder's kustomization, and our marker: ours, at the top. */
const RESERVED = new Set(['kustomization.yaml', 'kustomization.yml', 'kustomization', MARKER_FILE]);

export const TEMPLATE_HELP = `templates (--template): literal text and {field} or {field|lower} / {field|upper}
  fields: group (core for the core group), version, kind, namespace (_cluster for cluster-scoped
  objects, _namespaced for namespaced ones that name none), name. Values are percent-encoded: only
  letters, digits, ".", "_" and "-" are kept, so a value never adds a folder. Literal text may hold
  letters, digits, "/" (folders) and . _ - ~ + = @ ,
  e.g. --template '{namespace}/{kind|lower}-{name}.yaml' (kubectl-slice's default is
  '{kind|lower}-{name}.yaml'). A path that leaves DIR, or two objects on one path or on paths that
  differ only in case, refuse the whole split before anything is written.`;

export function parseTemplate(t: string): SplitTemplate {
  if (t.includes('{{'))
    throw new UsageError(
      `--template uses {field}, not Go templates: {{.kind | lower}} is {kind|lower}, {{.metadata.name}} is {name}, {{.metadata.namespace}} is {namespace} (see safe-render split --help)`,
    );
  const pieces: Piece[] = [];
  let hasField = false;
  for (let i = 0; i < t.length;) {
    const open = t.indexOf('{', i);
    const lit = t.slice(i, open < 0 ? t.length : open);
    if (!LITERAL.test(lit) || lit.includes('}'))
      throw new UsageError(
        `--template "${t}": literal text may hold only letters, digits, "/" and . _ - ~ + = @ , (found "${lit}")`,
      );
    if (lit) pieces.push(lit);
    if (open < 0) break;
    const close = t.indexOf('}', open);
    if (close < 0) throw new UsageError(`--template "${t}": "{" without a closing "}"`);
    const [field, func, ...extra] = t
      .slice(open + 1, close)
      .split('|')
      .map((s) => s.trim());
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field ?? ''))
      throw new UsageError(
        `--template "${t}": unknown field {${field}}; the fields are ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
      );
    if (extra.length > 0 || (func !== undefined && !(func in FUNCS)))
      throw new UsageError(`--template "${t}": unknown function "${func}"; the functions are |lower and |upper`);
    pieces.push({ field: field as Field, ...(func ? { func: func as Func } : {}) });
    hasField = true;
    i = close + 1;
  }
  if (!hasField) throw new UsageError(`--template "${t}" has no {field}: every object would go to one file`);
  if (t.startsWith('/')) throw new UsageError(`--template "${t}" is absolute; it names a path inside -o DIR`);
  return pieces;
}

function fieldValue(o: ManifestObject, f: Field): string {
  switch (f) {
    case 'group':
      return o.group || 'core';
    case 'version': {
      const slash = o.apiVersion.lastIndexOf('/');
      return o.apiVersion.slice(slash + 1);
    }
    case 'kind':
      return o.kind;
    case 'namespace':
      return o.scope === 'Cluster' ? '_cluster' : o.namespace || '_namespaced';
    case 'name':
      return o.name;
  }
}

function describe(o: ManifestObject): string {
  return `${o.group ? `${o.group}/` : ''}${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} at ${formatSource(o.source)}`;
}

/** The relative path `template` gives `o`, checked to stay inside the output folder. */
export function templatePath(template: SplitTemplate, o: ManifestObject): string {
  let path = '';
  for (const p of template) {
    if (typeof p === 'string') path += p;
    else {
      const v = fieldValue(o, p.field);
      path += percentEncode(p.func ? FUNCS[p.func](v) : v, VALUE_KEEP);
    }
  }
  const segments = path.split('/');
  const bad = segments.find((s) => s === '' || s === '.' || s === '..' || !SEGMENT.test(s));
  if (bad !== undefined)
    throw new RenderFailure(
      `the template gives ${describe(o)} the path "${path}", which ${bad === '' ? 'has an empty folder name' : bad === '.' || bad === '..' ? `has a "${bad}" segment that would leave its folder` : 'holds characters a path may not'}; refusing the split`,
      undefined,
      'change --template (put the field in a file name rather than alone as a folder), or fix the object',
    );
  if (RESERVED.has(segments[0]!.toLowerCase()))
    throw new RenderFailure(
      `the template gives ${describe(o)} the path "${path}", which ${segments.length === 1 ? 'is' : 'goes through'} the output folder's own file ${segments[0]}; refusing the split`,
      undefined,
      'change --template, for example add a folder or a prefix',
    );
  return path;
}
