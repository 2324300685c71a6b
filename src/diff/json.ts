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

export function jsonDiff(apps: readonly AppDiff[]): string {
  const value = {
    version: 1,
    ignoredFields: IGNORED_FIELD_NAMES,
    apps: apps.map(({ app, diff }) => ({
      app,
      summary: {
        removed: diff.removed.length,
        added: diff.added.length,
        changed: diff.changed.length,
        unchanged: diff.unchanged,
      },
      removed: diff.removed.map(ident),
      added: diff.added.map(ident),
      changed: diff.changed.map((o) => ({ ...ident(o), patch: o.patch })),
    })),
  };
  // jsonText: patch values may hold bigints (integers beyond 2^53), written with all their digits.
  return `${jsonText(value)}\n`;
}
