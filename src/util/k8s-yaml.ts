// YAML read the way Kubernetes reads it. sigs.k8s.io/yaml (used by the API machinery, kubectl and
// Argo CD) decodes with go-yaml v2, whose resolve() gives plain scalars YAML 1.1 meanings (yes/no/on/
// off/y/n are booleans, `<<` merges) but reads numbers with Go's own syntax, and hands timestamps and
// base-60 numbers to interface{} as strings. We reject duplicate keys (go-yaml keeps the last one,
// kustomize merges them: the file means different things to different tools).
//
// The `yaml` package's 1.1 schema gets the booleans, nulls and merges right, but its number tags do not
// follow go-yaml, and some of the differences change values silently: it reads `.`, `e9`, `-e1` and
// `._` as NaN (emitted as null: `path: .` in an Application lost its value), and leaves `0o17`, `0X1F`,
// `08` and `-_1` as strings where Kubernetes has numbers. Its number, timestamp and base-60 tags are
// replaced here by GO_INT and GO_FLOAT, which follow go-yaml v2's resolve(); explicit `!!binary`,
// `!!set`, `!!omap` and `!!pairs` are read as go-yaml reads them (a string, a map, lists) instead of a
// Buffer or a Set/Map that JSON would turn into `{}`.
import type { CollectionTag, DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, ToJSOptions } from 'yaml';

type Tag = ScalarTag | CollectionTag;
type Tags = Exclude<SchemaOptions['customTags'], undefined | null>;

const YAML_TAG = 'tag:yaml.org,2002:';

/** strconv.ParseInt/ParseUint with base 0, after go-yaml removed every `_`. */
const GO_INT_LITERAL = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2's yamlStyleFloat, also tried after removing every `_`. */
const GO_YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** A scalar that starts with `.` is only tried with strconv.ParseFloat (underscores between digits). */
const GO_DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;

/** What go-yaml v2 resolves a plain scalar to, for the scalars that could be numbers. */
export function goNumberSyntax(s: string): 'int' | 'float' | undefined {
  const first = s[0];
  if (first === '.') return GO_DOT_FLOAT.test(s) ? 'float' : undefined;
  if (first === undefined || !'+-0123456789'.includes(first)) return undefined;
  const plain = s.replace(/_/g, '');
  if (GO_INT_LITERAL.test(plain)) return 'int';
  if (GO_YAML_STYLE_FLOAT.test(plain)) return 'float';
  return undefined;
}

const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_LIMIT = BigInt(2) ** BigInt(63);
const UINT64_LIMIT = BigInt(2) ** BigInt(64);

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The value go-yaml gives a scalar goNumberSyntax accepted. Where Go's parsers give up (out of range)
 * go-yaml keeps the text as a string, and so do we. */
export function goNumberValue(s: string): number | string {
  const v = goExactNumberValue(s);
  return typeof v === 'bigint' ? Number(v) : v;
}

/** The value Kubernetes keeps for a number (issue 9 §1): sigs.k8s.io/yaml reads it with go-yaml v2
 * (int64, else uint64, else float64), writes it as JSON and apimachinery reads that JSON back as int64
 * when it fits, else as float64. So an integer within int64 keeps every digit: beyond 2^53 a JS number
 * cannot hold it, and it is a bigint here (emit writes its digits exactly). Everything else ends as a
 * float64 in the cluster (a uint64 above int64 too), which a JS number holds exactly. */
export function goExactNumberValue(s: string): number | bigint | string {
  const plain = s.replace(/_/g, '');
  const sign = plain[0] === '-' || plain[0] === '+' ? plain[0] : '';
  const digits = plain.slice(sign.length);
  if (goNumberSyntax(s) === 'int') {
    // Decimal, 0x, 0o, 0b or leading-zero octal: ParseInt takes it within int64, ParseUint (no sign) within uint64.
    const octal = /^0[0-7]+$/.test(digits);
    const magnitude = BigInt(octal ? `0o${digits.slice(1)}` : digits);
    const n = sign === '-' ? -magnitude : magnitude;
    if (n >= INT64_MIN && n < INT64_LIMIT) return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
    if (!sign && n < UINT64_LIMIT) return Number(n);
    // Out of range: an all-digit literal still matches yamlStyleFloat (read as a decimal); the others stay text.
    if (!octal && !/^(?:0|[1-9][0-9]*)$/.test(digits)) return s;
  }
  const n = Number(plain);
  return Number.isFinite(n) ? n : s;
}

/** The yaml package picks a scalar's tag with `tag.test.test(source)`, for reading and to decide when a
 * string must be quoted on output; this RegExp answers with a function instead of a pattern. */
class SyntaxTest extends RegExp {
  constructor(private readonly accepts: (s: string) => boolean) {
    super('(?!)');
  }
  override test(s: string): boolean {
    return this.accepts(s);
  }
}

// The yaml package builds a schema, and so calls k8sTags, for every document it reads or writes: at 50k
// objects that was a visible part of `render -o` (issue 13). The answer depends only on the tag objects
// handed in (the package's own, the same ones every time) and `exact`, so the last answer is reused.
const lastTags = new Map<boolean, { input: Tag[]; output: Tag[] }>();

function k8sTags(tags: Tag[], exact = false): Tag[] {
  const last = lastTags.get(exact);
  if (last && last.input.length === tags.length && last.input.every((t, j) => t === tags[j]))
    return last.output.slice();
  const output = computeK8sTags(tags, exact);
  lastTags.set(exact, { input: tags.slice(), output });
  return output.slice();
}

function computeK8sTags(tags: Tag[], exact: boolean): Tag[] {
  const named = (name: string) => tags.filter((t) => t.tag === YAML_TAG + name);
  const int = named('int').find((t) => !t.format) as ScalarTag;
  const nonFinite = named('float').find((t) => t.test?.test('.nan')) as ScalarTag; // .inf, .nan
  const float = named('float').find((t) => t !== nonFinite && !t.format) as ScalarTag;
  const [map] = named('map') as CollectionTag[];
  const [seq] = named('seq') as CollectionTag[];
  const [binary] = named('binary') as ScalarTag[];
  const replaced = ['int', 'float', 'timestamp', 'binary', 'set', 'omap', 'pairs'].map((n) => YAML_TAG + n);
  return [
    ...tags.filter((t) => !replaced.includes(t.tag)),
    {
      ...int,
      test: new SyntaxTest((s) => goNumberSyntax(s) === 'int'),
      resolve: exact ? goExactNumberValue : goNumberValue,
    },
    // Also takes integer syntax, for an explicit `!!float 1`; plain integers already matched the int tag.
    { ...float, test: new SyntaxTest((s) => goNumberSyntax(s) !== undefined), resolve: goNumberValue },
    nonFinite,
    // go-yaml decodes !!binary to its bytes as a string, which JSON carries as UTF-8.
    { ...binary!, resolve: (src: string) => Buffer.from(src, 'base64').toString('utf8') },
    { ...map!, tag: YAML_TAG + 'set', default: false },
    { ...seq!, tag: YAML_TAG + 'omap', default: false },
    { ...seq!, tag: YAML_TAG + 'pairs', default: false },
  ];
}

export const K8S_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  merge: true,
  prettyErrors: true,
  customTags: k8sTags as unknown as Tags,
};

/** For manifests, the objects we emit: integers keep every digit Kubernetes keeps (bigints beyond
 * 2^53), and duplicate keys are found by parse-manifests in linear time (the yaml package's own check
 * compares each key with every earlier one: a mapping of 100k keys took minutes, issue 8 §8). */
export const K8S_MANIFEST_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  ...K8S_YAML,
  uniqueKeys: false,
  customTags: ((tags: Tag[]) => k8sTags(tags, true)) as unknown as Tags,
};

/** Alias expansion is bounded so a "billion laughs" document fails fast instead of eating memory. */
export const K8S_TO_JS: ToJSOptions = { maxAliasCount: 100 };

/** Same scalar rules when writing, so what we write reads back to the same values. */
export const K8S_YAML_STRINGIFY = {
  version: '1.1' as const,
  customTags: K8S_YAML.customTags,
  lineWidth: 0,
  aliasDuplicateObjects: false,
};
