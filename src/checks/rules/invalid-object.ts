// invalid-object: a document Argo CD or the API server cannot take as an object. Argo CD itself only
// checks `kind` (contract §3e), so a missing name or apiVersion would fail late, at sync, after other
// objects were already applied; we refuse the whole render up front instead.
import type { ParsedDoc } from '../../model/object';
import { canonicalGroup, groupOf } from '../../model/identity';
import { isPlainObject } from '../../parse/parse-manifests';
import type { Finding } from '../finding';
import type { ValidDoc } from '../resolve';

export const id = 'invalid-object';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with a metadata.name, as the API server's path-segment rule sees them. */
function nameProblem(name: unknown): string | undefined {
  if (name === undefined) return 'metadata.name is missing (and there is no metadata.generateName)';
  if (typeof name !== 'string') return `metadata.name must be a string, not ${name === null ? 'null' : `a ${typeof name} (${JSON.stringify(name)})`}`;
  if (name === '') return 'metadata.name is empty';
  if (name.length > 253) return 'metadata.name is longer than 253 characters';
  if (name === '.' || name === '..') return `metadata.name may not be "${name}"`;
  if (/[/%]/.test(name)) return 'metadata.name may not contain "/" or "%"';
  if (/[\s\p{Cc}]/u.test(name)) return 'metadata.name may not contain spaces or control characters';
  return undefined;
}

const NOT_A_MANIFEST = 'or exclude the file in safe-render.yaml if it is not a manifest';

interface Problem {
  message: string;
  fix: string;
}

function problemOf(value: unknown): Problem | undefined {
  if (!isPlainObject(value)) {
    return {
      message: `the document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not an object`,
      fix: `make each document a Kubernetes object (a mapping with apiVersion, kind and metadata.name), ${NOT_A_MANIFEST}`,
    };
  }
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    return { message: 'apiVersion is missing', fix: `add apiVersion (for example \`v1\` or \`apps/v1\`), ${NOT_A_MANIFEST}` };
  }
  if (typeof value.kind !== 'string' || value.kind === '') {
    return { message: 'kind is missing', fix: `add kind, ${NOT_A_MANIFEST}` };
  }
  const meta = value.metadata;
  if (!isPlainObject(meta)) return { message: 'metadata is missing', fix: 'add metadata with a name' };
  if (meta.name === undefined && typeof meta.generateName === 'string' && meta.generateName !== '') return undefined;
  const bad = nameProblem(meta.name);
  if (bad) return { message: bad, fix: 'set metadata.name to a valid name (lowercase letters, digits, "-" and "."; quote values YAML would read as numbers or booleans)' };
  if (meta.namespace !== undefined && meta.namespace !== null) {
    if (typeof meta.namespace !== 'string' || !DNS_LABEL.test(meta.namespace) || meta.namespace.length > 63) {
      return {
        message: `metadata.namespace "${String(meta.namespace)}" is not a valid namespace name`,
        fix: 'use a valid namespace name (lowercase letters, digits and "-", at most 63 characters), or remove metadata.namespace to use the destination namespace',
      };
    }
  }
  return undefined;
}

/** Shows a value that may be malformed without making the `namespace/name` form ambiguous. */
function shown(s: string): string {
  return /^[^\s/\p{Cc}"]+$/u.test(s) ? s : JSON.stringify(s);
}

/** `apps/Deployment prod/web` as far as the document says it: the declared namespace (not yet
 * defaulted) and `(unnamed)` when there is no usable name. Undefined without a kind. */
function labelOf(value: unknown): string | undefined {
  if (!isPlainObject(value) || typeof value.kind !== 'string' || value.kind === '') return undefined;
  const group = typeof value.apiVersion === 'string' ? canonicalGroup(groupOf(value.apiVersion), value.kind) : '';
  const meta = isPlainObject(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? shown(meta.name)
    : meta.name === undefined && typeof meta.generateName === 'string' && meta.generateName !== '' ? `${shown(meta.generateName)}*`
      : '(unnamed)';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${shown(meta.namespace)}/` : '';
  return `${group ? `${group}/` : ''}${value.kind} ${ns}${name}`;
}

export function checkDocs(docs: readonly ParsedDoc[]): { valid: ValidDoc[]; findings: Finding[] } {
  const valid: ValidDoc[] = [];
  const findings: Finding[] = [];
  for (const d of docs) {
    const problem = problemOf(d.value);
    if (problem) {
      findings.push({ rule: id, severity: 'error', object: labelOf(d.value), sources: [d.source], message: problem.message, fix: problem.fix });
    } else {
      valid.push({ body: d.value as ValidDoc['body'], source: d.source });
    }
  }
  return { valid, findings };
}
