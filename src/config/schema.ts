// A small strict reader for our own YAML config files (safe-render.yaml, and later the platform
// policy): every key must be known, every value well typed, and every error names file and line.
// Written here rather than pulled in as a dependency because the rules are few and the messages matter.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Document } from 'yaml';
import { K8S_YAML } from '../util/k8s-yaml';
import { UsageError } from '../util/errors';
import { nestingProblem } from '../util/yaml-depth';
import { closest } from '../util/suggest';
import { excerpt, EXCERPT_CHARS } from '../util/repo-file';

/** Extra validation of a string value or map key: a problem ("must ...") or undefined. */
export type StringCheck = (value: string) => string | undefined;

export type FieldType =
  /** Any YAML value, taken as it is (inline Helm values). */
  | { type: 'any' }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'string'; check?: StringCheck }
  | { type: 'enum'; values: readonly string[] }
  /** A list of strings; a single string is accepted as a list of one (Argo CD's include/exclude). */
  | { type: 'strings'; check?: StringCheck }
  | { type: 'map'; of: FieldType; keyCheck?: StringCheck }
  | { type: 'object'; fields: Record<string, FieldType> }
  | { type: 'list'; of: FieldType };

export interface ConfigSource {
  file: string;
  text: string;
}

export class ConfigReader {
  /** Line starts, recorded by the yaml parser as parse() reads the file. */
  private lines = new LineCounter();
  constructor(private readonly src: ConfigSource) {}

  /** `required` keys must be present at the top level. */
  parse(root: Record<string, FieldType>, required: readonly string[] = []): Record<string, unknown> {
    // Depth first: the composer recurses once per level (issue 8 §8).
    const deep = nestingProblem(this.src.text);
    if (deep) throw new UsageError(`${this.src.file}: invalid YAML: it ${deep}`);
    this.lines = new LineCounter();
    const doc = parseDocument(this.src.text, { ...K8S_YAML, lineCounter: this.lines }) as Document.Parsed;
    const err = doc.errors[0];
    // The parser's message may quote the file (a token, a tag): one sanitised line at most (issue 8 §7).
    if (err)
      throw new UsageError(
        `${this.src.file}:${err.linePos?.[0]?.line ?? 1}: invalid YAML: ${excerpt(err.message.split('\n')[0]!.replace(/:\s*$/, ''))}`,
      );
    // A file with only `---` (or `~`) is an empty document, like an empty file: no settings.
    const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
    const out = empty ? {} : (this.read(doc.contents, { type: 'object', fields: root }, '') as Record<string, unknown>);
    for (const key of required) if (!(key in out)) this.fail(doc.contents, `"${key}" is required`);
    return out;
  }

  error(msg: string): UsageError {
    return new UsageError(`${this.src.file}: ${msg}`);
  }

  private fail(node: Node | null | undefined, msg: string): never {
    const line = node?.range ? this.lines.linePos(node.range[0]).line : 1;
    // msg quotes keys and values of the file: escaped and bounded, so it stays one short line.
    throw new UsageError(`${this.src.file}:${line}: ${excerpt(msg, 2 * EXCERPT_CHARS)}`);
  }

  private read(node: Node | null | undefined, t: FieldType, path: string): unknown {
    const label = path || 'the file';
    switch (t.type) {
      case 'any':
        return node ? (node as unknown as { toJSON(): unknown }).toJSON() : null;
      case 'number': {
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value) || node.value < 0)
          this.fail(node, `${label} must be a number of 0 or more`);
        return node.value;
      }
      case 'boolean':
      case 'string':
      case 'enum': {
        if (!isScalar(node)) this.fail(node, `${label} must be a ${t.type === 'boolean' ? 'boolean' : 'string'}`);
        const v = node.value;
        if (t.type === 'boolean') {
          if (typeof v !== 'boolean') this.fail(node, `${label} must be true or false`);
          return v;
        }
        if (typeof v !== 'string') this.fail(node, `${label} must be a string (quote it)`);
        if (t.type === 'enum' && !t.values.includes(v))
          this.fail(node, `${label} must be one of ${t.values.join(', ')}, not "${excerpt(v, 80)}"`);
        const bad = t.type === 'string' ? t.check?.(v) : undefined;
        if (bad) this.fail(node, `${label} "${excerpt(v, 80)}" ${bad}`);
        return v;
      }
      case 'strings': {
        if (isScalar(node) && typeof node.value === 'string')
          return [this.read(node, { type: 'string', check: t.check }, path)];
        if (!isSeq(node)) this.fail(node, `${label} must be a string or a list of strings`);
        return node.items.map((item, i) =>
          this.read(item as Node, { type: 'string', check: t.check }, `${path}[${i}]`),
        );
      }
      case 'list': {
        if (!isSeq(node)) this.fail(node, `${label} must be a list`);
        return node.items.map((item, i) => this.read(item as Node, t.of, `${path}[${i}]`));
      }
      case 'map':
      case 'object': {
        if (!isMap(node)) this.fail(node, `${label} must be a mapping`);
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          const keyNode = pair.key as Node;
          const key = isScalar(keyNode) ? String(keyNode.value) : '';
          const sub = path ? `${path}.${excerpt(key, 80)}` : excerpt(key, 80);
          // Own keys only: `toString:` or `constructor:` would find Object.prototype's members and be
          // accepted (and dropped) instead of refused as unknown.
          const ft = t.type === 'map' ? t.of : Object.hasOwn(t.fields, key) ? t.fields[key] : undefined;
          if (!ft) {
            const known = Object.keys((t as { fields: Record<string, FieldType> }).fields);
            const hint = closest(key, known);
            this.fail(
              keyNode,
              `unknown key "${sub}"${hint ? ` (did you mean "${path ? `${path}.` : ''}${hint}"?)` : ''}; known keys: ${known.join(', ')}`,
            );
          }
          const badKey = t.type === 'map' ? t.keyCheck?.(key) : undefined;
          if (badKey) this.fail(keyNode, `${path || 'the file'} key "${excerpt(key, 80)}" ${badKey}`);
          // defineProperty: a `__proto__` key is data like any other, never the object's prototype.
          Object.defineProperty(out, key, {
            value: this.read(pair.value as Node, ft!, sub),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
    }
  }
}
