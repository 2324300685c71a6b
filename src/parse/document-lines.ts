// (migrate's line cut; split's, which keeps directives and content on marker lines, is document-texts.ts.)
// A YAML stream cut into its documents' own text (issue 13, `migrate` and `one-object-per-file`): each
// document keeps its lines byte for byte (comments, key order, quoting, block scalars, CRLF); only the
// `---` separators and `...` end markers go. The cut is by line: in YAML a line that starts with `---`
// or `...` followed by a blank or the line end is a document marker wherever it stands (the spec's
// c-forbidden: not even a block scalar or a quoted string may hold one at column 0), so a line test
// finds exactly the markers the parser finds. What a line test cannot carry over unchanged (content on
// the marker line, `%YAML`/`%TAG` directives) is refused, and the caller leaves such a file alone.
// Callers that need certainty parse the pieces and compare them with the whole (src/migrate/plan.ts).

export interface DocumentText {
  /** The document's lines as written, with their line endings. */
  text: string;
  /** 1-based line of its first line in the file. */
  line: number;
  /** Only blank lines and comments: no document content. */
  blank: boolean;
}

export type DocumentTexts = { ok: true; docs: DocumentText[] } | { ok: false; reason: string; line: number };

const MARKER = /^(---|\.\.\.)(?=[ \t]|$)/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

/** The documents of `text` in order, blank ones included (a leading comment, a `---` with nothing
 * after it). A leading byte-order mark is not part of any document. */
export function documentTexts(text: string): DocumentTexts {
  const docs: DocumentText[] = [];
  let cur = '';
  let curLine = 1;
  let blank = true;
  let lineNo = 0;
  const flush = (next: number) => {
    if (cur !== '') docs.push({ text: cur, line: curLine, blank });
    cur = '';
    blank = true;
    curLine = next;
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const m of body.matchAll(/[^\n]*\n|[^\n]+$/g)) {
    const line = m[0];
    lineNo++;
    const content = line.replace(/\r?\n$/, '').replace(/\r$/, '');
    const marker = MARKER.exec(content);
    if (marker) {
      const rest = content.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#'))
        return { ok: false, reason: `content on the \`${marker[1]}\` line itself`, line: lineNo };
      flush(lineNo + 1);
      // `--- # note`: the comment stays, as the first line of the document that follows.
      if (rest !== '') {
        cur = `${rest}${line.slice(content.length)}`;
        curLine = lineNo;
      }
      continue;
    }
    if (blank && content.startsWith('%'))
      return { ok: false, reason: 'a YAML directive (%YAML or %TAG)', line: lineNo };
    if (cur === '') curLine = lineNo;
    cur += line;
    if (blank && !BLANK_OR_COMMENT.test(content)) blank = false;
  }
  flush(lineNo + 1);
  return { ok: true, docs };
}

/** How many documents of `text` have content: what `one-object-per-file` counts. Undefined when the
 * text cannot be cut by line (see documentTexts). */
export function contentDocumentCount(text: string): { count: number; secondLine?: number } | undefined {
  const r = documentTexts(text);
  if (!r.ok) return undefined;
  const content = r.docs.filter((d) => !d.blank);
  return { count: content.length, ...(content[1] ? { secondLine: firstContentLine(content[1]) } : {}) };
}

/** The line of the first non-blank, non-comment line of a document. */
export function firstContentLine(d: DocumentText): number {
  const lines = d.text.split('\n');
  const i = lines.findIndex((l) => !BLANK_OR_COMMENT.test(l.replace(/\r$/, '')));
  return d.line + Math.max(0, i);
}
