// The shapes that flow through the pipeline: parse produces ParsedDocs, resolve turns the valid ones into
// ManifestObjects with an identity, the checks read them, and emit writes their bodies unchanged.

export type JsonObject = { [key: string]: unknown };

/** One text the parser reads: a manifest file, or an engine's output. */
export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  text: string;
}

/** A mapping (not a list, null, or the Map/Set the yaml package can build). */
export function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

/** `v` if it is an object (not a list or null), else an empty one: for reading optional fields of
 * untrusted documents without a check at every step. */
export function asObject(v: unknown): JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

export interface SourceRef {
  /** Path relative to the repository root, with forward slashes, as shown to people. */
  file: string;
  /** 1-based line where the document (or List item) starts. */
  line: number;
}

export function formatSource(s: SourceRef): string {
  return `${s.file}:${s.line}`;
}

/** One YAML/JSON document after Lists are flattened, not yet known to be a Kubernetes object. */
export interface ParsedDoc {
  value: unknown;
  source: SourceRef;
  /** An item of a flattened List: not a document of its own, so `split` cannot keep its text. */
  fromList?: true;
}

export type Scope = 'Namespaced' | 'Cluster' | 'Unknown';

/** A document that passed invalid-object, with the identity Argo CD will give it. */
export interface ManifestObject {
  body: JsonObject;
  source: SourceRef;
  apiVersion: string;
  kind: string;
  /** API group with aliases folded (extensions/Ingress -> networking.k8s.io); "" for core. */
  group: string;
  name: string;
  /** metadata.namespace as written, "" when absent. */
  declaredNamespace: string;
  /** Namespace after Argo CD's defaulting: "" for cluster-scoped objects. */
  namespace: string;
  scope: Scope;
  /** Which source decided the scope, for messages ("Kubernetes' own API", "the CRD at a.yaml:1", ...);
   * absent or "" when the scope is unknown. See src/model/resolve.ts. */
  scopeFrom?: string;
  /** group/Kind/namespace/name: equal keys are the same live object. */
  key: string;
}

/** A deep copy of parsed JSON data (objects, arrays, scalars) that keeps bigints (integers beyond 2^53,
 * util/k8s-yaml.ts) and gives every alias of a YAML anchor its own copy, as Kubernetes' reader does.
 * JSON.parse(JSON.stringify(v)) refuses bigints. Nesting is bounded by parse. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneJson(x);
    return out as T;
  }
  return v;
}
