// Reading a kustomization the way kustomize does, so that no reference can be hidden from the
// pre-walk (issue 8 §7). kustomize decodes the file with sigs.k8s.io/yaml: go-yaml v2 (anchors,
// aliases and `<<` merge keys resolved) into JSON, then encoding/json into its struct, which matches
// field names case-insensitively (`Resources:` and `RESOURCES:` are `resources`, and Go folds `ſ` to
// `s` and the Kelvin sign to `k`) and keeps the last of several keys that match one field.
//
// Rather than reproduce exactly which of several candidates wins (go-yaml v2 lets a later `<<` merge
// overwrite an earlier explicit key, the `yaml` package does not), this view returns EVERY value that
// could end up in a field: each key that folds to its name and each one reachable through merges,
// aliases resolved. The pre-walk checks them all, so what kustomize reads is always among what we
// checked. The view walks the parsed tree by reference, each node at most once per question, so an
// alias bomb costs nothing here.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { nestingProblem } from '../../util/yaml-depth';

/** encoding/json's case folding for ASCII field names: Unicode simple folding, where only `ſ`
 * (U+017F) and the Kelvin sign (U+212A) fold onto ASCII letters besides the letters themselves. */
export function foldFieldName(s: string): string {
  return s
    .replace(/\u017f/g, 's')
    .replace(/\u212a/g, 'k')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A node of a kustomization with every candidate value of a field. */
export class KView {
  constructor(
    private readonly doc: Document,
    readonly node: Node | null,
  ) {}

  private deref(n: unknown): Node | null {
    let cur = n as Node | null;
    // An alias may point at another alias' target; the yaml package resolves one level per call.
    for (let i = 0; i < 64 && cur && isAlias(cur); i++) cur = (cur.resolve(this.doc) as Node | undefined) ?? null;
    return cur && isAlias(cur) ? null : cur;
  }

  /** Every value a field named `name` may take: direct keys (case-folded as Go does) and keys from
   * `<<` merges, at any depth of merges, aliases resolved; each value node once. */
  get(name: string): KView[] {
    const want = foldFieldName(name);
    const out = new Set<Node>();
    const visited = new Set<Node>();
    const visit = (n: Node | null) => {
      if (!n || !isMap(n) || visited.has(n)) return;
      visited.add(n);
      for (const pair of n.items) {
        const key = this.deref(pair.key);
        // The yaml package gives a plain `<<` the value Symbol(<<); a quoted "<<" is an ordinary
        // string to go-yaml, but following it too only checks more.
        const k = isScalar(key) ? (typeof key.value === 'symbol' ? '<<' : String(key.value)) : undefined;
        if (k === '<<') {
          const v = this.deref(pair.value);
          if (isSeq(v)) for (const item of v.items) visit(this.deref(item));
          else visit(v);
          continue;
        }
        if (k !== undefined && foldFieldName(k) === want) {
          const v = this.deref(pair.value);
          if (v) out.add(v);
        }
      }
    };
    visit(this.node);
    return [...out].map((n) => new KView(this.doc, n));
  }

  /** The items of a list (aliases resolved); a single value counts as a list of one. */
  items(): KView[] {
    if (isSeq(this.node)) return this.node.items.map((i) => new KView(this.doc, this.deref(i)));
    return this.node ? [this] : [];
  }

  /** Every item of every candidate list of a field. */
  list(name: string): KView[] {
    return this.get(name).flatMap((v) => v.items());
  }

  /** The scalar as a string (numbers and booleans as their text), else undefined. */
  str(): string | undefined {
    if (!isScalar(this.node)) return undefined;
    const v = this.node.value;
    return typeof v === 'string' ? v : v === null || v === undefined ? undefined : String(v);
  }

  /** Every string value a field may take, from a scalar or from a list. */
  strings(name: string): string[] {
    return this.list(name)
      .map((v) => v.str())
      .filter((s): s is string => s !== undefined);
  }

  isMap(): boolean {
    return isMap(this.node);
  }
}

/** Every document of a YAML text as views; throws the parser's first error. */
export function readViews(text: string): KView[] {
  const deep = nestingProblem(text);
  if (deep) throw new Error(`it ${deep}`);
  const docs = parseAllDocuments(text, { uniqueKeys: false, merge: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) if (d.errors.length) throw d.errors[0];
  return list.map((d) => new KView(d, d.contents as Node | null));
}
