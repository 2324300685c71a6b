// A parser for the Go text/template language as Argo CD's goTemplate uses it (Go's text/template/parse
// lex.go and parse.go): text, actions with pipelines, parentheses, variables, field chains, literals,
// if/else if/else, with/else with, range with break/continue, comments and the {{- -}} trim markers.
// `define`, `template`, `block`, character constants and non-decimal numbers are not evaluated offline
// (NotEvaluable); text Go itself rejects is an error (AppSetInvalid), as Argo CD reports it.
import { AppSetInvalid, MAX_DEPTH, NotEvaluable } from './limits';

export type Arg =
  | { t: 'field'; names: string[] }
  | { t: 'dot' }
  | { t: 'var'; name: string; names: string[] }
  | { t: 'ident'; name: string }
  | { t: 'string'; v: string }
  | { t: 'number'; text: string; int?: bigint; float?: number }
  | { t: 'bool'; v: boolean }
  | { t: 'nil' }
  | { t: 'pipe'; pipe: Pipe; names: string[] };
export interface Cmd {
  args: Arg[];
}
export interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Cmd[];
}
export type TNode =
  | { t: 'text'; s: string }
  | { t: 'action'; pipe: Pipe }
  | { t: 'if' | 'with' | 'range'; pipe: Pipe; list: TNode[]; else?: TNode[] }
  | { t: 'break' | 'continue' };

type Tok =
  | { k: 'space' }
  | { k: 'field'; v: string }
  | { k: 'var'; v: string }
  | { k: 'ident'; v: string }
  | { k: 'string'; v: string }
  | { k: 'number'; v: string }
  | { k: 'char' }
  | { k: '(' | ')' | '|' | ':=' | '=' | ',' | '.' }
  | { k: 'end' };

const SPACE = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const ALNUM = /[\p{L}\p{Nd}_]/u;
const isAlnum = (c: string | undefined) => c !== undefined && ALNUM.test(c);
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

const bad = (msg: string) => new AppSetInvalid(`template: ${msg}`);

/** strconv.Unquote of a double-quoted Go string. */
function unquote(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
    };
    if (e !== undefined && e in simple) out += simple[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw bad('invalid syntax in quoted string');
      // \x is a byte: beyond ASCII it would build UTF-8 by hand, which we do not evaluate.
      const cp = parseInt(hex, 16);
      if ((e === 'x' && cp > 0x7f) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
        throw new NotEvaluable('a template string escape outside Unicode text is not evaluated offline');
      out += String.fromCodePoint(cp);
      i += n;
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw bad('invalid syntax in quoted string');
      const cp = parseInt(oct, 8);
      if (cp > 0x7f) throw new NotEvaluable('a template string escape outside Unicode text is not evaluated offline');
      out += String.fromCharCode(cp);
      i += 2;
    } else throw bad('invalid syntax in quoted string');
  }
  return out;
}

/** The tokens of one action, from just after `{{` (and its trim marker) to just before `}}`. */
function lexAction(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (SPACE(c)) {
      while (SPACE(src[i])) i++;
      toks.push({ k: 'space' });
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\n') throw bad('unterminated quoted string');
        j += src[j] === '\\' ? 2 : 1;
      }
      if (j >= src.length) throw bad('unterminated quoted string');
      toks.push({ k: 'string', v: unquote(src.slice(i + 1, j)) });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw bad('unterminated raw quoted string');
      toks.push({ k: 'string', v: src.slice(i + 1, j).replace(/\r/g, '') });
      i = j + 1;
    } else if (c === "'") {
      toks.push({ k: 'char' });
      i = src.length;
    } else if (c === '$') {
      let j = i + 1;
      while (isAlnum(src[j])) j++;
      toks.push({ k: 'var', v: src.slice(i, j) });
      i = j;
    } else if (c === '.' && isAlnum(src[i + 1]) && !/[0-9]/.test(src[i + 1]!)) {
      let j = i + 1;
      while (isAlnum(src[j])) j++;
      toks.push({ k: 'field', v: src.slice(i + 1, j) });
      i = j;
    } else if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
      toks.push({ k: '.' });
      i++;
    } else if (/[0-9+\-.]/.test(c)) {
      let j = i + (c === '+' || c === '-' ? 1 : 0);
      while (j < src.length && /[0-9a-zA-Z_.]/.test(src[j]!)) {
        if ((src[j] === 'e' || src[j] === 'E' || src[j] === 'p' || src[j] === 'P') && /[+-]/.test(src[j + 1] ?? ''))
          j++;
        j++;
      }
      toks.push({ k: 'number', v: src.slice(i, j) });
      i = j;
    } else if (isAlnum(c)) {
      let j = i;
      while (isAlnum(src[j])) j++;
      toks.push({ k: 'ident', v: src.slice(i, j) });
      i = j;
    } else if (c === ':' && src[i + 1] === '=') {
      toks.push({ k: ':=' });
      i += 2;
    } else if (c === '(' || c === ')' || c === '|' || c === '=' || c === ',') {
      toks.push({ k: c });
      i++;
    } else throw bad(`unexpected ${JSON.stringify(c)} in command`);
  }
  toks.push({ k: 'end' });
  return toks;
}

/** A number literal as Go's parse.NumberNode reads it; only decimal integers and floats are evaluated. */
function numberArg(text: string): Arg {
  if (/^[+-]?[0-9]+$/.test(text)) {
    if (/^[+-]?0[0-9]/.test(text))
      throw new NotEvaluable(`the octal number ${text} in a template is not evaluated offline`);
    const n = BigInt(text);
    if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw bad(`${text} overflows int`);
    return { t: 'number', text, int: n };
  }
  if (/^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) {
    const f = Number(text);
    // Go: a float constant that is an integer is also an int (3.0 is IsInt), but is passed as float64
    // to interface parameters because its text has '.', 'e' or 'E'.
    return Number.isInteger(f) && Math.abs(f) < 2 ** 63
      ? { t: 'number', text, float: f, int: BigInt(f) }
      : { t: 'number', text, float: f };
  }
  if (/^[+-]?0[xXoObB]/.test(text) || /_/.test(text))
    throw new NotEvaluable(`the number ${text} in a template is not evaluated offline`);
  throw bad(`bad number syntax: ${JSON.stringify(text)}`);
}

class ActionParser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: string[],
    private readonly isFunc: (name: string) => boolean,
  ) {}
  peek(): Tok {
    return this.toks[this.i]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  skipSpace(): void {
    while (this.peek().k === 'space') this.i++;
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.peek().k === 'end';
  }

  /** pipeline: optional declaration, then commands separated by '|'. */
  pipeline(context: string, depth: number, allowRangeDecl = false, closer: 'end' | ')' = 'end'): Pipe {
    if (depth > MAX_DEPTH) throw new NotEvaluable(`a template nests deeper than ${MAX_DEPTH} levels`);
    const pipe: Pipe = { decl: [], assign: false, cmds: [] };
    this.skipSpace();
    // $x := / $x = / $i, $v :=
    const save = this.i;
    const t = this.peek();
    if (t.k === 'var') {
      this.next();
      this.skipSpace();
      const op = this.peek();
      if (op.k === ':=' || op.k === '=') {
        this.next();
        pipe.decl.push(t.v);
        pipe.assign = op.k === '=';
      } else if (op.k === ',' && allowRangeDecl) {
        this.next();
        this.skipSpace();
        const v2 = this.next();
        this.skipSpace();
        const op2 = this.next();
        if (v2.k !== 'var' || (op2.k !== ':=' && op2.k !== '=')) throw bad(`range can only initialize variables`);
        pipe.decl.push(t.v, v2.v);
        pipe.assign = op2.k === '=';
      } else this.i = save;
    }
    if (pipe.assign) for (const d of pipe.decl) this.checkVar(d);
    for (;;) {
      this.skipSpace();
      const p = this.peek();
      if (p.k === closer) break;
      if (p.k === 'end' || p.k === ')')
        throw bad(`unexpected ${p.k === 'end' ? 'end of action' : '")"'} in ${context}`);
      pipe.cmds.push(this.command(depth));
      this.skipSpace();
      if (this.peek().k === '|') {
        this.next();
        continue;
      }
    }
    if (pipe.cmds.length === 0) throw bad(`missing value for ${context}`);
    if (!pipe.assign) this.vars.push(...pipe.decl);
    return pipe;
  }

  command(depth: number): Cmd {
    const args: Arg[] = [];
    for (;;) {
      this.skipSpace();
      const p = this.peek();
      if (p.k === 'end' || p.k === ')' || p.k === '|') break;
      args.push(this.operand(depth));
      const n = this.peek();
      if (n.k !== 'space' && n.k !== 'end' && n.k !== ')' && n.k !== '|') throw bad('missing space?');
    }
    if (args.length === 0) throw bad('empty command');
    return { args };
  }

  checkVar(name: string): void {
    if (!this.vars.includes(name)) throw bad(`undefined variable "${name}"`);
  }

  operand(depth: number): Arg {
    const t = this.next();
    let arg: Arg;
    switch (t.k) {
      case 'field':
        arg = { t: 'field', names: [t.v] };
        break;
      case '.':
        arg = { t: 'dot' };
        break;
      case 'var':
        this.checkVar(t.v);
        arg = { t: 'var', name: t.v, names: [] };
        break;
      case 'string':
        arg = { t: 'string', v: t.v };
        break;
      case 'number':
        arg = numberArg(t.v);
        break;
      case 'char':
        throw new NotEvaluable('a character constant in a template is not evaluated offline');
      case 'ident':
        if (t.v === 'true' || t.v === 'false') arg = { t: 'bool', v: t.v === 'true' };
        else if (t.v === 'nil') arg = { t: 'nil' };
        else if (KEYWORDS.has(t.v)) throw bad(`unexpected keyword ${t.v} in operand`);
        else {
          if (!this.isFunc(t.v)) throw bad(`function "${t.v}" not defined`);
          arg = { t: 'ident', name: t.v };
        }
        break;
      case '(': {
        const pipe = this.pipeline('parenthesized pipeline', depth + 1, false, ')');
        this.next(); // ')'
        arg = { t: 'pipe', pipe, names: [] };
        break;
      }
      default:
        throw bad(`unexpected ${t.k} in operand`);
    }
    // A field chain right after the term, without a space: .a.b, $x.a, (pipe).a
    while (this.peek().k === 'field') {
      const f = this.next() as { k: 'field'; v: string };
      if (arg.t === 'field' || arg.t === 'var' || arg.t === 'pipe') arg.names.push(f.v);
      else if (arg.t === 'dot') arg = { t: 'field', names: [f.v] };
      else throw bad(`unexpected . after term`);
    }
    return arg;
  }
}

/** Parses a template into its nodes. `isFunc` says whether a name is in Argo CD's function map. */
export function parseGoTemplate(text: string, isFunc: (name: string) => boolean): TNode[] {
  // Split into text and actions, applying trim markers and dropping comments (lex.go lexText,
  // lexLeftDelim, lexComment, lexRightDelim).
  type Piece = { text: string } | { action: string };
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    let chunk = text.slice(pos, open < 0 ? text.length : open);
    if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (chunk) pieces.push({ text: chunk });
      break;
    }
    let i = open + 2;
    // "{{- " trims the text before; the hyphen needs a space after it.
    if (text[i] === '-' && SPACE(text[i + 1])) {
      chunk = chunk.replace(/[ \t\r\n]+$/, '');
      i += 2;
    }
    if (chunk) pieces.push({ text: chunk });
    const afterSpace = (j: number) => {
      while (SPACE(text[j])) j++;
      return j;
    };
    if (text.startsWith('/*', afterSpace(i)) && text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw bad('unclosed comment');
      let j = end + 2;
      if (SPACE(text[j]) && text[j + 1] === '-' && text.startsWith('}}', j + 2)) {
        trimNext = true;
        j += 4;
      } else if (text.startsWith('}}', j)) j += 2;
      else throw bad('comment ends before closing delimiter');
      pos = j;
      continue;
    }
    // Find the closing delimiter outside quoted strings.
    let j = i;
    let close = -1;
    while (j < text.length) {
      const c = text[j]!;
      if (c === '"') {
        j++;
        while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
        j++;
      } else if (c === '`') {
        const e = text.indexOf('`', j + 1);
        j = e < 0 ? text.length : e + 1;
      } else if (text.startsWith('}}', j)) {
        close = j;
        break;
      } else j++;
    }
    if (close < 0) throw bad('unclosed action');
    let body = text.slice(i, close);
    // " -}}" trims the text after.
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -2);
      trimNext = true;
    }
    pieces.push({ action: body });
    pos = close + 2;
  }

  const vars: string[] = ['$'];
  let k = 0;
  // Items of a list until one of `stops` (else/end) is met; returns the stopping keyword action.
  const list = (
    depth: number,
    inRange: boolean,
    stops: boolean,
  ): { nodes: TNode[]; stop?: { word: string; p: ActionParser } } => {
    if (depth > MAX_DEPTH) throw new NotEvaluable(`a template nests deeper than ${MAX_DEPTH} levels`);
    const nodes: TNode[] = [];
    while (k < pieces.length) {
      const piece = pieces[k++]!;
      if ('text' in piece) {
        nodes.push({ t: 'text', s: piece.text });
        continue;
      }
      const p = new ActionParser(lexAction(piece.action), vars, isFuncRef);
      p.skipSpace();
      const first = p.peek();
      const word = first.k === 'ident' && KEYWORDS.has(first.v) ? first.v : undefined;
      if (word) p.next();
      switch (word) {
        case undefined:
          nodes.push({ t: 'action', pipe: p.pipeline('command', depth) });
          if (!p.atEnd()) throw bad('unexpected input in action');
          break;
        case 'end':
        case 'else':
          if (!stops) throw bad(`unexpected {{${word}}}`);
          return { nodes, stop: { word, p } };
        case 'if':
        case 'with':
        case 'range':
          nodes.push(control(word, p, depth, inRange));
          break;
        case 'break':
        case 'continue':
          if (!inRange) throw bad(`{{${word}}} outside {{range}}`);
          if (!p.atEnd()) throw bad(`unexpected input in {{${word}}}`);
          nodes.push({ t: word });
          break;
        default:
          throw new NotEvaluable(`{{${word}}} in a template is not evaluated offline`);
      }
    }
    if (stops) throw bad('unexpected EOF');
    return { nodes };
  };
  const control = (word: 'if' | 'with' | 'range', p: ActionParser, depth: number, inRange: boolean): TNode => {
    const mark = vars.length;
    const pipe = p.pipeline(word, depth, word === 'range');
    if (!p.atEnd()) throw bad(`unexpected input in {{${word}}}`);
    const body = list(depth + 1, inRange || word === 'range', true);
    const node: TNode = { t: word, pipe, list: body.nodes };
    const stop = body.stop!;
    if (stop.word === 'else') {
      stop.p.skipSpace();
      const nxt = stop.p.peek();
      // {{else if ...}} / {{else with ...}}: the rest of the chain is one node in the else list.
      if (nxt.k === 'ident' && (nxt.v === 'if' || nxt.v === 'with') && word !== 'range') {
        stop.p.next();
        node.else = [control(nxt.v, stop.p, depth + 1, inRange)];
        vars.length = mark;
        return node;
      }
      if (!stop.p.atEnd()) throw bad('unexpected input in {{else}}');
      const rest = list(depth + 1, inRange, true);
      if (rest.stop!.word !== 'end') throw bad('expected end; found {{else}}');
      if (!rest.stop!.p.atEnd()) throw bad('unexpected input in {{end}}');
      node.else = rest.nodes;
    } else if (!stop.p.atEnd()) throw bad('unexpected input in {{end}}');
    vars.length = mark;
    return node;
  };
  const isFuncRef = (name: string) => isFunc(name);
  return list(0, false, false).nodes;
}
