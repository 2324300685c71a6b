// The JSON writer of `safe-render diff` (issue 12), for bots. A stable shape, version 1:
// { version, ignoredFields, apps: [{ app, summary, removed, added, changed: [{ ..., patch }] }] }.
// Secret values are already markers in the compared bodies (normalize.ts), so patches carry none.
import { jsonText } from '../emit/streams';
import type { AppDiff, DiffObject } from './compare';
import { IGNORED_FIELD_NAMES } from './normalize';

const ident = (o: DiffObject) => ({
  ref: o.ref,
  group: o.group,
  kind: o.kind,
  namespace: o.namespace,
  name: o.name,
});

export interface JsonDiffOptions {
  /** `--all`: apps at both revisions whose render did not change. */
  unchangedApps?: number;
  /** The verdict: 0 head accepted, 1 refused. */
  exitCode?: number;
}

export function jsonDiff(apps: readonly AppDiff[], opts: JsonDiffOptions = {}): string {
  const value = {
    version: 1,
    ignoredFields: IGNORED_FIELD_NAMES,
    apps: apps.map(({ app, diff, ...rest }) => ({
      app,
      ...(rest.presence ? { presence: rest.presence } : {}),
      ...(rest.verdict ? { verdict: rest.verdict } : {}),
      summary: {
        removed: diff.removed.length,
        added: diff.added.length,
        changed: diff.changed.length,
        unchanged: diff.unchanged,
      },
      removed: diff.removed.map(ident),
      added: diff.added.map(ident),
      changed: diff.changed.map((o) => ({ ...ident(o), patch: o.patch })),
      ...(rest.deletions
        ? { deletions: rest.deletions.map((d) => ({ ref: d.ref, accepted: d.accepted ?? null })) }
        : {}),
      ...(rest.findings
        ? {
            findings: rest.findings.map((f) => ({
              rule: f.rule,
              severity: f.severity,
              ...(f.object ? { object: f.object } : {}),
              message: f.message,
              fix: f.fix,
            })),
          }
        : {}),
      ...(rest.notes?.length ? { notes: rest.notes } : {}),
    })),
    ...(opts.unchangedApps !== undefined ? { unchangedApps: opts.unchangedApps } : {}),
    ...(opts.exitCode !== undefined ? { exitCode: opts.exitCode } : {}),
  };
  // jsonText: patch values may hold bigints (integers beyond 2^53), written with all their digits.
  return `${jsonText(value)}\n`;
}
