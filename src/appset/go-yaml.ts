// toYaml and fromYaml of Argo CD's goTemplate (applicationset/utils/template_functions.go), which use
// sigs.k8s.io/yaml: Marshal is json.Marshal, then go-yaml v2 re-reads the JSON (integers become ints)
// and emits block YAML (keys in v2's natural order, sequences not indented under their key, strings
// quoted only when v2 would). We emit exactly what v2 emits for the scalars we are sure of; a string v2
// would write in another style than we can be sure of (multi-line, non-ASCII, indicators, timestamps)
// is not evaluated offline.
import { parseAllDocuments } from 'yaml';
import { isPlainObject } from '../model/object';
import { K8S_TO_JS, K8S_YAML } from '../util/k8s-yaml';
import { nestingProblem } from '../util/yaml-depth';
import { goFloat } from './go-value';
import { GoCallError } from './go-template-errors';
import { MAX_DEPTH, NotEvaluable, short } from './limits';

/** yaml.v2 sorted.go keyList.Less for string keys: letters after non-letters, digit runs numerically. */
export function v2KeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--)
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.codePointAt(0)! - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

const V2_NON_STR =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<)$/;
const NUMBER_LIKE = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;

/** A string as go-yaml v2 writes it, or NotEvaluable when its style is not one we are sure of. */
function v2String(s: string): string {
  if (s === '' || V2_NON_STR.test(s) || NUMBER_LIKE.test(s)) {
    // resolve() reads it as another type: double-quoted (these texts need no escapes).
    if (/^[A-Za-z0-9_.+~<-]*$/.test(s)) return `"${s}"`;
  }
  const plain =
    /^[A-Za-z_/][A-Za-z0-9_./@=+~:, -]*$/.test(s) &&
    !s.endsWith(' ') &&
    !/: /.test(s) &&
    !s.endsWith(':') &&
    !/ #/.test(s) &&
    !/[,]/.test(s);
  if (plain) return s;
  throw new NotEvaluable(`toYaml of the string ${short(s, 40)} is not evaluated offline`);
}

function v2Scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new GoCallError(`json: unsupported value: ${goFloat(v)}`);
    // json.Marshal writes an integral float64 below 1e21 without a fraction; v2 reads it back as an int.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    return goFloat(v);
  }
  if (typeof v === 'string') return v2String(v);
  throw new NotEvaluable('toYaml of a value of an unknown type');
}

function lines(v: unknown, indent: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new NotEvaluable(`toYaml of a value nested deeper than ${MAX_DEPTH} levels`);
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort((a, b) => (v2KeyLess(a, b) ? -1 : v2KeyLess(b, a) ? 1 : 0));
    return keys
      .map((k) => {
        const x = v[k];
        const key = v2String(k);
        if (isPlainObject(x) && Object.keys(x).length) return `${indent}${key}:\n${lines(x, `${indent}  `, depth + 1)}`;
        if (Array.isArray(x) && x.length) return `${indent}${key}:\n${lines(x, indent, depth + 1)}`;
        return `${indent}${key}: ${flow(x)}`;
      })
      .join('\n');
  }
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        if ((isPlainObject(x) && Object.keys(x).length) || (Array.isArray(x) && x.length))
          return `${indent}- ${lines(x, `${indent}  `, depth + 1).slice(indent.length + 2)}`;
        return `${indent}- ${flow(x)}`;
      })
      .join('\n');
  }
  return `${indent}${v2Scalar(v)}`;
}
const flow = (x: unknown) => (isPlainObject(x) ? '{}' : Array.isArray(x) ? '[]' : v2Scalar(x));

/** toYAML: the YAML text without its final newline. */
export function toYaml(v: unknown): string {
  if (isPlainObject(v) && Object.keys(v).length === 0) return '{}';
  if (Array.isArray(v) && v.length === 0) return '[]';
  return lines(v, '', 0);
}

/** fromYAML / fromYAMLArray: yaml.Unmarshal into map[string]any or []any (numbers as float64 through
 * JSON); an error fails the template. */
export function fromYaml(text: string, want: 'map' | 'list'): unknown {
  if (text.length > 1 << 20) throw new NotEvaluable('fromYaml of a text too large to evaluate offline');
  if (nestingProblem(text)) throw new NotEvaluable('fromYaml of a text nested too deeply');
  const docs = parseAllDocuments(text, K8S_YAML);
  if (!Array.isArray(docs) || docs.length === 0) return want === 'map' ? {} : [];
  if (docs.length > 1) throw new NotEvaluable('fromYaml of several YAML documents is not evaluated offline');
  const doc = docs[0]!;
  if (doc.errors.length) throw new GoCallError('error converting YAML to JSON');
  let v: unknown;
  try {
    v = doc.toJS(K8S_TO_JS);
  } catch {
    throw new NotEvaluable('fromYaml of a text with too many aliases');
  }
  const toGo = (x: unknown): unknown =>
    typeof x === 'bigint'
      ? Number(x)
      : Array.isArray(x)
        ? x.map(toGo)
        : isPlainObject(x)
          ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, toGo(y)]))
          : x;
  v = toGo(v);
  if (v === null || v === undefined) return want === 'map' ? {} : [];
  if (want === 'map' && !isPlainObject(v)) throw new GoCallError('cannot unmarshal into map[string]interface {}');
  if (want === 'list' && !Array.isArray(v)) throw new GoCallError('cannot unmarshal into []interface {}');
  return v;
}
