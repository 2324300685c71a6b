// Each YAML document's own text, cut by lines (issue 13): comments, key order, quoting, block scalars
// and line breaks come through unchanged; only the separators go. The document markers `---` and `...`
// are found by lines, not by parsing: YAML 1.2 §9.1 (c-forbidden) makes a `---` or `...` at the start
// of a line, followed by a blank or the end of the line, a marker wherever it stands (inside a block
// scalar or a quoted string it ends them; it is never content), which is also how render/limits.ts
// counts documents. The parse itself (errors with file:line, bounds) stays with the callers.
//
// One scanner (`Lines`: line breaks, markers, directives, the byte-order mark) and two cuts over it;
// docs/development/cutter.md has the table of how they differ and why:
// - documentTexts, for `split`: never refuses. A comment stays in the document it is written in: one
//   after an object's last line stays with that object; helm's `# Source:` line, after the `---`, with
//   the object below it; a header before the first `---` (or after a `...`) with the object after it.
//   Removed: a bare `---` line, a bare `...` line, and the marker of one followed by a comment (the
//   comment stays). Kept: a `---` line that carries content (`--- !tag`, `--- |`, `--- {a: 1}`) or
//   follows a directive (`%YAML 1.1` needs its `---`); the text then starts with `---`, which is still
//   one document.
// - strictDocumentTexts, for `migrate` and `one-object-per-file`: every document keeps its lines byte
//   for byte, and what a line cut cannot carry over unchanged (content on a marker line, `%YAML`/`%TAG`
//   directives) is refused with its line, so the caller leaves such a file alone. Comments between
//   documents are documents of their own (`blank`); the caller decides where they go. Callers that need
//   certainty parse the pieces and compare them with the whole (src/migrate/plan.ts).

type Marker = '---' | '...';

/** How a cut reads the lines. The two cuts differ here only where they always have (their tests pin
 * both); a new caller should take one of the two as it is. */
interface Dialect {
  /** A leading byte-order mark (U+FEFF) is no part of any document. */
  skipBom: boolean;
  /** A carriage return right after the marker ends it even when more follows on the line (`---\rx`):
   * YAML 1.2 reads a lone CR as a line break; the strict cut reads the line as content. */
  bareCrEndsMarker: boolean;
  /** Whether a line's text (without its `\n` or `\r\n`) is blank or a comment. */
  blankOrComment(s: string): boolean;
}

const KEEP: Dialect = {
  skipBom: false,
  bareCrEndsMarker: true,
  // White space as String.trim sees it (any Unicode space, U+FEFF included).
  blankOrComment(s) {
    const t = s.trim();
    return t === '' || t.startsWith('#');
  },
};

// YAML's own white space (space and tab); a comment runs to the end of the line, and a CR, U+2028 or
// U+2029 inside it makes the line content (regular expressions' `.`), so such a file is not cut blind.
const YAML_BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/;

const STRICT: Dialect = {
  skipBom: true,
  bareCrEndsMarker: false,
  blankOrComment: (s) => YAML_BLANK_OR_COMMENT.test(s),
};

/** The lines of a text, one per `next()`, each split at `\n` only (a `\r` before it is part of the
 * line break). The fields describe the current line; they are overwritten by the next one. */
class Lines {
  /** The line with its line break. */
  raw = '';
  /** The line without its `\n` or `\r\n` (a lone `\r` at the end of the text stays). */
  body = '';
  /** 1-based line number. */
  no = 0;
  /** The document marker this line is, if it is one (`---`/`...` at column 0, then a blank, a tab or
   * the line's end); `body.slice(3)` is what follows it. */
  marker: Marker | undefined;
  /** A line that starts with `%`: a directive, where it stands before a document's content. */
  directive = false;
  private at: number;

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {
    this.at = dialect.skipBom && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  next(): boolean {
    const { text, at } = this;
    if (at >= text.length) return false;
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    const raw = text.slice(at, end);
    this.at = end;
    this.no++;
    this.raw = raw;
    const body = nl < 0 ? raw : raw.slice(0, nl > at && text.charCodeAt(nl - 1) === 13 ? -2 : -1);
    this.body = body;
    this.marker = markerOf(body, this.dialect.bareCrEndsMarker);
    this.directive = body.charCodeAt(0) === 37; // %
    return true;
  }
}

/** The marker a line starts with: `---` or `...` followed by a blank, a tab, the line's end (or a CR). */
export function markerOf(body: string, bareCrEndsMarker: boolean): Marker | undefined {
  const c = body.charCodeAt(0);
  const marker = c === 45 && body.startsWith('---') ? '---' : c === 46 && body.startsWith('...') ? '...' : undefined;
  if (marker === undefined || body.length === 3) return marker;
  const after = body.charCodeAt(3);
  if (after === 32 || after === 9) return marker; // blank, tab
  // A CR: the line's own end (`---\r` as the text's last line) or, in the keeping cut, a line break.
  if (after === 13 && (bareCrEndsMarker || body.length === 4)) return marker;
  return undefined;
}

/** The line break of the text's first line, for a last line without one (`\n` when there is none). */
function firstLineBreak(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

export interface DocumentText {
  /** The document's lines without its separators, ending with a line break. */
  text: string;
  /** 1-based first and last line of the file this text came from (inclusive). */
  startLine: number;
  endLine: number;
  /** False for a document of only comments, blank lines and markers: no object comes from it. */
  hasContent: boolean;
}

/** Every document of `text` with its own text, for `split`: see the head of this file. */
export function documentTexts(text: string): DocumentText[] {
  const { blankOrComment } = KEEP;
  const out: DocumentText[] = [];
  const eol = firstLineBreak(text);
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
  const l = new Lines(text, KEEP);
  while (l.next()) {
    const { raw, body, no } = l;
    if (l.marker === '---') {
      const rest = body.slice(3);
      // A `---` begins a new document unless only comments and directives came since the last one ended.
      if (started || hasContent) flush(no);
      started = true;
      endLine = no;
      if (hasDirective || !blankOrComment(rest)) {
        parts.push(raw);
        if (!blankOrComment(rest)) hasContent = true;
      } else if (rest.trim() !== '') parts.push(`${rest.trimStart()}${raw.slice(body.length)}`);
      continue;
    }
    if (l.marker === '...') {
      const rest = body.slice(3);
      if (rest.trim() !== '') parts.push(`${rest.trimStart()}${raw.slice(body.length)}`);
      endLine = no;
      flush(no + 1);
      continue;
    }
    if (!started && !hasContent && l.directive) hasDirective = true;
    else if (!blankOrComment(body)) hasContent = true;
    parts.push(raw);
    endLine = no;
  }
  flush(l.no + 1);
  return out;
}

export interface StrictDocumentText {
  /** The document's lines as written, with their line endings. */
  text: string;
  /** 1-based line of its first line in the file. */
  line: number;
  /** Only blank lines and comments: no document content. */
  blank: boolean;
}

export type StrictDocumentTexts =
  { ok: true; docs: StrictDocumentText[] } | { ok: false; reason: string; line: number };

/** The documents of `text` in order, blank ones included (a leading comment, a `---` with nothing
 * after it), for `migrate` and `one-object-per-file`: see the head of this file. A leading byte-order
 * mark is not part of any document. */
export function strictDocumentTexts(text: string): StrictDocumentTexts {
  const { blankOrComment } = STRICT;
  const docs: StrictDocumentText[] = [];
  let cur = '';
  let curLine = 1;
  let blank = true;
  const flush = (next: number) => {
    if (cur !== '') docs.push({ text: cur, line: curLine, blank });
    cur = '';
    blank = true;
    curLine = next;
  };
  const l = new Lines(text, STRICT);
  while (l.next()) {
    const { raw, body, no } = l;
    if (l.marker) {
      const rest = body.slice(3).trim();
      // Only blanks and a comment may follow, as in k8s.io/apimachinery pkg/util/yaml/decoder.go
      // YAMLReader.Read, which Argo CD's manifests go through (gitops-engine kube.SplitYAMLToString).
      if (rest !== '' && !rest.startsWith('#'))
        return { ok: false, reason: `content on the \`${l.marker}\` line itself`, line: no };
      flush(no + 1);
      // `--- # note`: the comment stays, as the first line of the document that follows (its line
      // break is the line's own: a CR that ends the text stays with it).
      if (rest !== '') {
        cur = `${rest}${raw.slice(body.endsWith('\r') ? body.length - 1 : body.length)}`;
        curLine = no;
      }
      continue;
    }
    if (blank && l.directive) return { ok: false, reason: 'a YAML directive (%YAML or %TAG)', line: no };
    if (cur === '') curLine = no;
    cur += raw;
    if (blank && !blankOrComment(body)) blank = false;
  }
  flush(l.no + 1);
  return { ok: true, docs };
}

/** How many documents of `text` have content: what `one-object-per-file` counts. Undefined when the
 * text cannot be cut by line (see strictDocumentTexts). */
export function contentDocumentCount(text: string): { count: number; secondLine?: number } | undefined {
  const r = strictDocumentTexts(text);
  if (!r.ok) return undefined;
  const content = r.docs.filter((d) => !d.blank);
  return { count: content.length, ...(content[1] ? { secondLine: firstContentLine(content[1]) } : {}) };
}

/** The line of the first non-blank, non-comment line of a document. */
export function firstContentLine(d: StrictDocumentText): number {
  const lines = d.text.split('\n');
  const i = lines.findIndex((l) => !STRICT.blankOrComment(l));
  return d.line + Math.max(0, i);
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
