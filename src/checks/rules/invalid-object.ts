// invalid-object: a document Argo CD or the API server cannot take as an object. Argo CD itself only
// checks `kind` (contract §3e), so a missing name or apiVersion would fail late, at sync, after other
// objects were already applied; we refuse the whole render up front instead.
import type { ParsedDoc } from '../../model/object';
import {
  canonicalGroup,
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  isValidKind,
  parseGroupVersion,
} from '../../model/identity';
import { isPlainObject } from '../../model/object';
import type { Finding } from '../finding';
import type { ValidDoc } from '../../model/resolve';

export const id = 'invalid-object';

const DNS_LABEL = DNS1123_LABEL;

/** How the API server validates metadata.name, by kind (issue 9 §1). Most kinds, custom resources
 * included, take a DNS-1123 subdomain; we hold to it for the built-in kinds we know validate so
 * (`dns`). Namespaces are DNS-1123 labels, Services DNS-1035 labels. Other kinds (RBAC's
 * `system:...` names, aggregated APIs, IP addresses for IPAddress) keep the path-segment rule every
 * name obeys. */
type NameRule = 'dns' | 'dns-label' | 'dns1035-label' | 'path';
const NAME_RULES: Record<string, NameRule> = {
  '/Namespace': 'dns-label',
  '/Service': 'dns1035-label',
  ...Object.fromEntries(
    [
      '/Node',
      '/PersistentVolume',
      '/Pod',
      '/ConfigMap',
      '/Secret',
      '/ServiceAccount',
      '/Endpoints',
      '/LimitRange',
      '/PersistentVolumeClaim',
      '/PodTemplate',
      '/ReplicationController',
      '/ResourceQuota',
      'apps/Deployment',
      'apps/StatefulSet',
      'apps/DaemonSet',
      'apps/ReplicaSet',
      'apps/ControllerRevision',
      'batch/Job',
      'batch/CronJob',
      'networking.k8s.io/Ingress',
      'networking.k8s.io/NetworkPolicy',
      'networking.k8s.io/IngressClass',
      'policy/PodDisruptionBudget',
      'storage.k8s.io/StorageClass',
      'storage.k8s.io/VolumeAttachment',
      'storage.k8s.io/CSIDriver',
      'storage.k8s.io/CSINode',
      'scheduling.k8s.io/PriorityClass',
      'apiextensions.k8s.io/CustomResourceDefinition',
      'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
      'coordination.k8s.io/Lease',
      'discovery.k8s.io/EndpointSlice',
      'node.k8s.io/RuntimeClass',
    ].map((gk) => [gk, 'dns' as NameRule]),
  ),
};

const NAME_RULE_TEXT: Record<NameRule, string> = {
  dns: 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)',
  'dns-label': 'a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)',
  'dns1035-label':
    'a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)',
  path: '',
};

/** Problems with a metadata.name (or generateName, a prefix), as the API server sees them. */
function nameProblem(name: unknown, rule: NameRule, field = 'metadata.name'): string | undefined {
  if (name === undefined) return 'metadata.name is missing (and there is no metadata.generateName)';
  if (typeof name !== 'string') {
    // A bigint is an integer beyond 2^53 (parse keeps every digit); JSON.stringify refuses it.
    const text = typeof name === 'bigint' ? name.toString() : (JSON.stringify(name) ?? String(name));
    return `${field} must be a string, not ${name === null ? 'null' : `a ${typeof name === 'bigint' ? 'number' : typeof name} (${shown(text)})`}`;
  }
  if (name === '') return `${field} is empty`;
  if (name.length > 253) return `${field} is longer than 253 characters`;
  if (name === '.' || name === '..') return `${field} may not be "${name}"`;
  if (/[/%]/.test(name)) return `${field} may not contain "/" or "%"`;
  if (/[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name)) return `${field} may not contain spaces or control characters`;
  if (rule === 'path') return undefined;
  const prefix = field === 'metadata.generateName';
  const max = rule === 'dns' ? 253 : 63;
  const ok = prefix
    ? (rule === 'dns1035-label'
        ? /^[a-z][-a-z0-9]*$/
        : rule === 'dns'
          ? /^[a-z0-9][-a-z0-9.]*$/
          : /^[a-z0-9][-a-z0-9]*$/
      ).test(name) && name.length <= max
    : (rule === 'dns' ? DNS1123_SUBDOMAIN : rule === 'dns-label' ? DNS1123_LABEL : DNS1035_LABEL).test(name) &&
      name.length <= max;
  return ok
    ? undefined
    : `${field} ${shown(name)} is not ${NAME_RULE_TEXT[rule]}, which Kubernetes requires for this kind`;
}

/** Argo CD replaces any object whose top-level `items` is an array by its items, one level, and drops
 * one with `items: null` and no spec or status (reposerver/repository.go `case obj.IsList()`,
 * `isNullList`; contract §10). It does so to every object of our output, so an object we emit must be
 * neither: parse flattened the documents once already, and one of these here is a List's item (or a
 * patch made it one), which Argo CD would flatten or drop again, unlike the object we checked. */
function listProblem(value: Record<string, unknown>): Problem | undefined {
  if (!('items' in value)) return undefined;
  if (Array.isArray(value.items)) {
    return {
      message:
        'this object (an item of a List, or patched) has a top-level `items` array, so Argo CD would replace it by its items: they would be applied without the checks, and the object itself not at all (a List may not contain a List)',
      fix: 'move the inner items into the outer List or into documents of their own; rename the field if it is not a list of objects',
    };
  }
  if (value.items === null && !('spec' in value) && !('status' in value)) {
    return {
      message:
        'this object (an item of a List, or patched) has `items: null` and no spec or status, so Argo CD would drop it: it would not be applied although it was checked',
      fix: 'remove `items: null`, or remove the object',
    };
  }
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
  const listed = listProblem(value);
  if (listed) return listed;
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    return {
      message: 'apiVersion is missing',
      fix: `add apiVersion (for example \`v1\` or \`apps/v1\`), ${NOT_A_MANIFEST}`,
    };
  }
  const gv = parseGroupVersion(value.apiVersion);
  if ('problem' in gv) {
    return {
      message: `apiVersion ${shown(value.apiVersion)} ${gv.problem}`,
      fix: 'write apiVersion as the API serves it: `v1` for the core group, else `group/version` such as `apps/v1` or `example.com/v1alpha1`',
    };
  }
  if (typeof value.kind !== 'string' || value.kind === '') {
    return { message: 'kind is missing', fix: `add kind, ${NOT_A_MANIFEST}` };
  }
  if (!isValidKind(value.kind)) {
    return {
      message: `kind ${shown(value.kind)} is not a valid kind (letters, digits and "-", starting with a letter, at most 63 characters)`,
      fix: 'write the kind as the API serves it, such as `ConfigMap` or `Deployment`',
    };
  }
  const meta = value.metadata;
  if (!isPlainObject(meta)) return { message: 'metadata is missing', fix: 'add metadata with a name' };
  const rule = NAME_RULES[`${canonicalGroup(gv.group, value.kind)}/${value.kind}`] ?? 'path';
  const nameFix = `set metadata.name to a valid name (${rule === 'path' ? 'no "/", "%", spaces or control characters, at most 253 characters' : NAME_RULE_TEXT[rule]}; quote values YAML would read as numbers or booleans)`;
  if (meta.name === undefined && meta.generateName !== undefined && meta.generateName !== '') {
    const badPrefix = nameProblem(meta.generateName, rule, 'metadata.generateName');
    if (badPrefix) return { message: badPrefix, fix: nameFix.replace('metadata.name', 'metadata.generateName') };
  } else {
    const bad = nameProblem(meta.name, rule);
    if (bad) return { message: bad, fix: nameFix };
  }
  if (meta.namespace !== undefined && meta.namespace !== null) {
    if (typeof meta.namespace !== 'string' || !DNS_LABEL.test(meta.namespace) || meta.namespace.length > 63) {
      return {
        message: `metadata.namespace ${typeof meta.namespace === 'string' ? shown(meta.namespace, true) : `"${shown(String(meta.namespace))}"`} is not a valid namespace name`,
        fix: 'use a valid namespace name (lowercase letters, digits and "-", at most 63 characters), or remove metadata.namespace to use the destination namespace',
      };
    }
  }
  return undefined;
}

/** Shows a value that may be malformed on one line, bounded, and without making the `namespace/name`
 * form ambiguous: anything but plain printable text is quoted with JSON escapes (a newline in a kind
 * must not spread one finding over several lines). */
function shown(s: string, quote = false): string {
  const short = s.length > 80 ? `${s.slice(0, 80)}...` : s;
  if (!quote && /^[^\s/\p{Cc}\p{Cf}\p{Zl}\p{Zp}"\\]+$/u.test(short)) return short;
  // JSON.stringify leaves U+2028, bidi controls and other invisible characters as they are.
  return JSON.stringify(short).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `apps/Deployment prod/web` as far as the document says it: the declared namespace (not yet
 * defaulted) and `(unnamed)` when there is no usable name. Undefined without a kind. */
function labelOf(value: unknown): string | undefined {
  if (!isPlainObject(value) || typeof value.kind !== 'string' || value.kind === '') return undefined;
  const gv = typeof value.apiVersion === 'string' ? parseGroupVersion(value.apiVersion) : undefined;
  const group = gv && 'group' in gv ? canonicalGroup(gv.group, value.kind) : '';
  const meta = isPlainObject(value.metadata) ? value.metadata : {};
  const name =
    typeof meta.name === 'string' && meta.name !== ''
      ? shown(meta.name)
      : meta.name === undefined && typeof meta.generateName === 'string' && meta.generateName !== ''
        ? `${shown(meta.generateName)}*`
        : '(unnamed)';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${shown(meta.namespace)}/` : '';
  return `${group ? `${group}/` : ''}${shown(value.kind)} ${ns}${name}`;
}

export function checkDocs(docs: readonly ParsedDoc[]): { valid: ValidDoc[]; findings: Finding[] } {
  const valid: ValidDoc[] = [];
  const findings: Finding[] = [];
  for (const d of docs) {
    const problem = problemOf(d.value);
    if (problem) {
      findings.push({
        rule: id,
        severity: 'error',
        object: labelOf(d.value),
        sources: [d.source],
        message: problem.message,
        fix: problem.fix,
      });
    } else {
      valid.push({ body: d.value as ValidDoc['body'], source: d.source });
    }
  }
  return { valid, findings };
}
