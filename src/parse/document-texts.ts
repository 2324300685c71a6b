// Each document's own text, for `split` (issue 13: comments, key order, quoting and block scalars come
// through unchanged; only the `---` separators go). The document markers `---` and `...` are found by
// lines, not by parsing: YAML 1.2 §9.1 makes a `---` or `...` at the start of a line, followed by a
// blank or the end of the line, a marker wherever it stands (inside a block scalar or a quoted string
// it ends them; it is never content), which is also how render/limits.ts counts documents. The parse
// itself (errors with file:line, bounds) stays in parse-manifests.ts; `split` maps each parsed
// document to the text here by its line.
//
// What a document's text is: the lines from its `---` (or the end of the previous document) up to the
// next `---`, so a comment stays in the document it is written in: one after an object's last line
// stays with that object; helm's `# Source:` line, after the `---`, with the object below it; a header
// before the first `---` (or after a `...`) goes with the object after it. Removed: a bare `---`
// line, a bare `...` line, and the marker of one followed by a comment (the comment stays). Kept: a
// `---` line that carries content (`--- !tag`, `--- |`, `--- {a: 1}`) or follows a directive
// (`%YAML 1.1` needs its `---`); the file then starts with `---`, which is still one document.

export interface DocumentText {
  /** The document's lines without its separators, ending with a line break. */
  text: string;
  /** 1-based first and last line of the file this text came from (inclusive). */
  startLine: number;
  endLine: number;
  /** False for a document of only comments, blank lines and markers: no object comes from it. */
  hasContent: boolean;
}

function markerRest(body: string, marker: '---' | '...'): string | undefined {
  if (!body.startsWith(marker)) return undefined;
  const after = body[3];
  if (after === undefined || after === ' ' || after === '\t' || after === '\r') return body.slice(3);
  return undefined;
}

const isBlankOrComment = (s: string) => {
  const t = s.trim();
  return t === '' || t.startsWith('#');
};

export function documentTexts(text: string): DocumentText[] {
  const out: DocumentText[] = [];
  // The file's own line break, for the one a last line without one gets.
  const eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
  let parts: string[] = [];
  let startLine = 1;
  let endLine = 0;
  let started = false; // a `---` began this document
  let hasContent = false;
  let hasDirective = false;
  const flush = (nextStart: number) => {
    if (parts.length > 0 || started) {
      let t = parts.join('');
      if (t !== '' && !t.endsWith('\n')) t += eol;
      out.push({ text: t, startLine, endLine: Math.max(endLine, startLine), hasContent });
    }
    parts = [];
    startLine = nextStart;
    started = false;
    hasContent = false;
    hasDirective = false;
  };
  let line = 0;
  for (let s = 0; s < text.length;) {
    const nl = text.indexOf('\n', s);
    const raw = nl < 0 ? text.slice(s) : text.slice(s, nl + 1);
    s = nl < 0 ? text.length : nl + 1;
    line++;
    const body = raw.endsWith('\n') ? raw.slice(0, raw.endsWith('\r\n') ? -2 : -1) : raw;
    const lineEnd = raw.slice(body.length);
    const start = markerRest(body, '---');
    if (start !== undefined) {
      // A `---` begins a new document unless only comments and directives came since the last one ended.
      if (started || hasContent) flush(line);
      started = true;
      endLine = line;
      if (hasDirective || !isBlankOrComment(start)) {
        parts.push(raw);
        if (!isBlankOrComment(start)) hasContent = true;
      } else if (start.trim() !== '') parts.push(`${start.trimStart()}${lineEnd}`);
      continue;
    }
    const end = markerRest(body, '...');
    if (end !== undefined) {
      if (end.trim() !== '') parts.push(`${end.trimStart()}${lineEnd}`);
      endLine = line;
      flush(line + 1);
      continue;
    }
    if (!started && !hasContent && body.startsWith('%')) hasDirective = true;
    else if (!isBlankOrComment(body)) hasContent = true;
    parts.push(raw);
    endLine = line;
  }
  flush(line + 1);
  return out;
}

/** The top-level values of a JSON text or stream (`{...}{...}`, one per line, or one List), each with
 * the line it starts on; undefined when the text is not such a stream (then it is read as YAML, whose
 * parser gives the error with its line). Strings are skipped with their escapes, so braces inside them
 * do not count. */
export function jsonValueTexts(text: string): Array<{ text: string; line: number }> | undefined {
  const out: Array<{ text: string; line: number }> = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) {
      if (text[i] === '\n') line++;
      i++;
    }
    if (i >= n) return out.length > 0 ? out : undefined;
    if (text[i] !== '{' && text[i] !== '[') return undefined;
    const begin = i;
    const beginLine = line;
    let depth = 0;
    for (; i < n; i++) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < n && text[i] !== '"'; i++) {
          if (text[i] === '\\') i++;
          else if (text[i] === '\n') return undefined;
        }
        if (i >= n) return undefined;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === '\n') line++;
    }
    if (depth !== 0) return undefined;
    out.push({ text: text.slice(begin, i), line: beginLine });
  }
}
