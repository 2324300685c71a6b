// invalid-object: a document Argo CD or the API server cannot take as an object. Argo CD itself only
// checks `kind` (contract §3e), so a missing name or apiVersion would fail late, at sync, after other
// objects were already applied; we refuse the whole render up front instead.
import type { ParsedDoc } from '../../model/object';
import { isPlainObject } from '../../parse/parse-manifests';
import type { Finding } from '../finding';
import type { ValidDoc } from '../resolve';

export const id = 'invalid-object';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with a metadata.name, as the API server's path-segment rule sees them. */
function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `metadata.name must be a string, not ${name === undefined ? 'missing' : `${typeof name} ${JSON.stringify(name)} (quote it: YAML 1.1 reads y/n/yes/no/on/off as booleans)`}`;
  if (name === '') return 'metadata.name is empty';
  if (name.length > 253) return 'metadata.name is longer than 253 characters';
  if (name === '.' || name === '..') return `metadata.name may not be "${name}"`;
  if (/[/%]/.test(name)) return 'metadata.name may not contain "/" or "%"';
  if (/[\s\p{Cc}]/u.test(name)) return 'metadata.name may not contain spaces or control characters';
  return undefined;
}

function problemOf(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `the document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not an object`;
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return 'apiVersion is missing';
  if (typeof value.kind !== 'string' || value.kind === '') return 'kind is missing';
  const meta = value.metadata;
  if (!isPlainObject(meta)) return 'metadata is missing';
  if (meta.name === undefined && typeof meta.generateName === 'string' && meta.generateName !== '') return undefined;
  const bad = nameProblem(meta.name);
  if (bad) return bad;
  if (meta.namespace !== undefined && meta.namespace !== null) {
    if (typeof meta.namespace !== 'string' || !DNS_LABEL.test(meta.namespace) || meta.namespace.length > 63) {
      return `metadata.namespace "${String(meta.namespace)}" is not a valid namespace name`;
    }
  }
  return undefined;
}

export function checkDocs(docs: readonly ParsedDoc[]): { valid: ValidDoc[]; findings: Finding[] } {
  const valid: ValidDoc[] = [];
  const findings: Finding[] = [];
  for (const d of docs) {
    const problem = problemOf(d.value);
    if (problem) {
      const v = isPlainObject(d.value) ? d.value : {};
      const label = typeof v.kind === 'string' && v.kind ? `${v.kind} ${isPlainObject(v.metadata) && typeof v.metadata.name === 'string' ? v.metadata.name : '(unnamed)'}` : undefined;
      findings.push({
        rule: id, severity: 'error', object: label, sources: [d.source], message: problem,
        fix: 'make the document a Kubernetes object with apiVersion, kind and metadata.name, or exclude the file in safe-render.yaml if it is not a manifest',
      });
    } else {
      valid.push({ body: d.value as ValidDoc['body'], source: d.source });
    }
  }
  return { valid, findings };
}
