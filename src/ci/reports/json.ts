// The JSON report (issue 11): the CiReport itself, the format `ci merge` reads back. Keys come in one
// fixed order whatever order the value was built in, so two runs over the same repository give the
// same bytes and a diff of two reports shows only what changed: the model's order for the fields it
// declares (a person reads `kind`, `version`, the verdict first), then any other key alphabetically.
import type { CiReport } from '../report-model';

/** Every key of the model (report-model.ts, model/finding.ts), in the order they are written. One list
 * serves every object, since a key means the same wherever it appears. */
const KEY_ORDER = [
  'kind',
  'version',
  'tool',
  'repo',
  'url',
  'revision',
  'shard',
  'index',
  'count',
  'exitCode',
  'id',
  'appName',
  'verdict',
  'skipped',
  'definedIn',
  'parent',
  'appSet',
  'generator',
  'why',
  'sourceIndex',
  'sourcePath',
  'engine',
  'sha256',
  'bytes',
  'durationMs',
  'rule',
  'severity',
  'object',
  'ref',
  'file',
  'line',
  'sources',
  'message',
  'fix',
  'deletions',
  'pending',
  'accepted',
  'objects',
  'findings',
  'apps',
  'notEvaluated',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v).sort((a, b) => {
    const ra = RANK.get(a) ?? KEY_ORDER.length;
    const rb = RANK.get(b) ?? KEY_ORDER.length;
    return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const out: Record<string, unknown> = {};
  // defineProperty: a key `__proto__` (hostile input in a message map) stays an own property.
  for (const k of keys) {
    Object.defineProperty(out, k, {
      value: ordered((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Pretty (two spaces), stable key order, newline-terminated. */
export function jsonReport(r: CiReport): string {
  return `${JSON.stringify(ordered(r), null, 2)}\n`;
}
