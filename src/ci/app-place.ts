// Which place names an app found more than once (its own file and a parent's render, or two parents):
// the report's `definedIn`, where SARIF puts an app's findings that name no file and where the
// markdown and terminal reports point the reader (issue 11: results located at file and line).
import type { Place } from './report-model';

/** A place inside a tool's output (render/engines/engine.ts names it `<dir> (<engine> output)`): no file
 * a reader or a code-scanning annotation can open. */
export function isToolOutput(p: Place): boolean {
  return / \([a-z]+ output\)$/.test(p.file);
}

/** The place to keep: a file of the repository over a tool's output (the corpus: an app-of-apps over a
 * kustomization that lists the Applications' own files named them all `apps (kustomize output)`), then
 * the first in (file, line) order, so the report does not depend on which render finished first. */
export function preferredPlace(a: Place, b: Place): Place {
  const [oa, ob] = [isToolOutput(a), isToolOutput(b)];
  if (oa !== ob) return oa ? b : a;
  if (a.file !== b.file) return a.file < b.file ? a : b;
  return a.line <= b.line ? a : b;
}
