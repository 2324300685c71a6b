// Hard limits that turn hostile or broken input into a clear render-failed instead of an OOM or a
// message that Argo CD cannot carry. The total matches Argo CD's default gRPC limit (100 MiB), past
// which the repo-server would fail the app anyway.
import { RenderFailure } from '../util/errors';

export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 100 * 1024 * 1024;

/** Documents in one render (issue 9 §6): a 15 MiB file of `---` lines is four million empty
 * documents, which took 35 s and 3 GB. Twice the largest app we benchmark (50k objects), so no real
 * app comes near it; every document is counted, empty ones too, since they cost the parse the same. */
export const MAX_DOCUMENTS = 100_000;

/** Folder levels below the app folder that `recurse: true` descends (issue 9 §6). Real apps use a
 * handful; a chain of 1,900 committed folders only exists to make the walk slow. */
export const MAX_TREE_DEPTH = 100;

/** Findings printed one per line; the rest are counted by rule on one line (issue 9 §6: a loop in a
 * 45-byte template printed 230 MB of findings, and Argo CD keeps all of stderr in the app's condition). */
export const MAX_FINDINGS_SHOWN = 100;

/** Bytes of stderr in total, on success too (issue 9 §6). Argo CD copies stderr into the app's
 * condition and its events; 64 KiB holds a hundred findings and the lines around them. */
export const MAX_STDERR_BYTES = 64 * 1024;

/** Bytes of one stderr line: a line longer than this is cut (and says so), so one message cannot use
 * up the whole stderr budget. */
export const MAX_STDERR_LINE_BYTES = 8 * 1024;

/** An upper bound of the YAML documents in `text`, counted without parsing: every document after the
 * first starts with a `---` marker or follows a `...` marker, both only at the start of a line and
 * followed by a blank or the end of the line (YAML 1.2 §9.1; inside a block scalar or a quoted
 * string they end it, they are never content). Exact for the streams tools print. */
export function countDocumentMarkers(text: string): number {
  let n = 1;
  for (let s = 0; ;) {
    const c = text[s];
    if ((c === '-' || c === '.') && text[s + 1] === c && text[s + 2] === c) {
      const after = text[s + 3];
      if (after === undefined || after === '\n' || after === '\r' || after === ' ' || after === '\t') n++;
    }
    const nl = text.indexOf('\n', s);
    if (nl === -1) return n;
    s = nl + 1;
  }
}

/** Refuses a render with more documents than MAX_DOCUMENTS, before the parse pays for them. */
export function checkDocumentCount(sources: ReadonlyArray<{ path: string; text: string }>): void {
  let total = 0;
  for (const s of sources) {
    total += countDocumentMarkers(s.text);
    if (total > MAX_DOCUMENTS) {
      throw new RenderFailure(
        `the render has more than ${MAX_DOCUMENTS} YAML documents (empty ones count), over safe-render's limit for one render`,
        s.path,
        'split the app into several Applications, or remove the empty documents (`---` lines); check templates for a runaway loop',
      );
    }
  }
}
