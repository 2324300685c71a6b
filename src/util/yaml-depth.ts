// How deep a YAML or JSON text nests, found without recursion (issue 8 §8). The yaml package's composer
// recurses once per nesting level, and near 900 levels that crashed V8 natively (a 2 KB file of `[`), so
// every text from the repository is measured with the parser's own explicit stack before it is composed:
// manifests (src/parse) and every control file (safe-render.yaml, the policy, FREEZE, Chart.yaml,
// kustomizations, elementsYaml, lock lines). Lives in util because readers of every layer need it.
import { Lexer, LineCounter, Parser } from 'yaml';

/** Collections nested deeper than this are refused. Kubernetes objects nest far less (the deepest CRD
 * schemas we know of are well under 100 levels); the composer's recursion crashes V8 near 900. */
export const MAX_NESTING_DEPTH = 256;
export class TooDeep extends Error {
  constructor(readonly offset: number) {
    super('too deep');
  }
}

/** A document with more syntax pieces than the caller allows (see parse-manifests' MAX_PIECES_PER_DOCUMENT). */
export class TooBig extends Error {
  constructor(readonly offset: number) {
    super('too big');
  }
}

/** The parser's tokens, refusing nesting deeper than MAX_NESTING_DEPTH and, when `maxPieces` is given,
 * documents of more syntax pieces than that. The parser itself keeps an explicit stack (one entry per
 * open collection, plus the document and the value being read), so this costs one comparison per
 * lexeme; the composer that follows recurses once per level. */
export function* boundedTokens(
  text: string,
  onNewLine?: (offset: number) => void,
  maxPieces = Infinity,
): Generator<ReturnType<Parser['next']> extends Generator<infer T> ? T : never> {
  const parser = new Parser(onNewLine);
  onNewLine?.(0); // Parser.parse() reports the first line itself; next(), fed lexemes here, does not
  let pieces = 0;
  let previous = '';
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_NESTING_DEPTH + 2) throw new TooDeep(parser.offset);
    // A new document ('\x02' at the stream's start, `---`, `...`) starts a new count; a scalar whose
    // text is `---` (`- ---`: the lexer's scalar mark '\x1f' comes first) does not, or a document could
    // hold any number of pieces between such scalars.
    const c = lexeme[0];
    const marker = lexeme === '---' || lexeme === '...';
    if (lexeme === '\x02' || (marker && previous !== '\x1f')) pieces = 0;
    else if (
      c !== ' ' &&
      c !== '\n' &&
      c !== '\r' &&
      c !== '\t' &&
      c !== '#' &&
      (pieces += c === '{' || c === '[' ? 6 : 1) > maxPieces
    )
      throw new TooBig(parser.offset);
    previous = lexeme;
  }
  yield* parser.end();
}

/** The offset where `text` first nests deeper than MAX_NESTING_DEPTH, or undefined. Linear, no
 * recursion: run it before handing YAML from an untrusted source to the yaml package's parse functions
 * (control files too), whose composer recurses once per level and can crash V8. `lines`, if given,
 * learns the line starts of the text read (all of it when this returns undefined). */
export function tooDeepAt(text: string, lines?: LineCounter): number | undefined {
  try {
    for (const _ of boundedTokens(text, lines?.addNewLine)) void _;
    return undefined;
  } catch (e) {
    if (e instanceof TooDeep) return e.offset;
    throw e;
  }
}

/** Why `text` must not reach the yaml package's parse functions, or undefined: "nests deeper than 256
 * levels (line N)". For every YAML we parse from untrusted text besides manifests (safe-render.yaml, the
 * policy, FREEZE, Chart.yaml, kustomizations, elementsYaml): their callers parse with
 * parseDocument/parseAllDocuments, whose composer recurses once per level (a 3000-level
 * safe-render.yaml ended in "Maximum call stack size exceeded"). */
export function nestingProblem(text: string): string | undefined {
  const lines = new LineCounter();
  const at = tooDeepAt(text, lines);
  return at === undefined
    ? undefined
    : `nests deeper than ${MAX_NESTING_DEPTH} levels (line ${lines.linePos(at).line}), which no configuration needs`;
}
