// goTemplate: true. utils.go Render.Replace parses the text with Go's text/template (sprig functions
// loaded, goTemplateOptions applied) and executes it with the parameter set as dot. This is an evaluator
// of the parsed tree after Go's text/template/exec.go: field chains on maps (missingkey), pipelines with
// the previous value as the final argument, variables and their scopes, if/with/range/break/continue,
// the builtins and function argument types. docs/development/ci-appset.md lists what is left out.
import { isPlainObject } from '../model/object';
import type { Params } from './context';
import { FUNCS, GoCallError, isKnownFunc, type Kind } from './go-template-funcs';
import { parseGoTemplate, type Arg, type Cmd, type Pipe, type TNode } from './go-template-parse';
import { sprintV, utf8 } from './go-text';
import { goStringCompare } from './go-value';
import { AppSetInvalid, MAX_DEPTH, MAX_OUTPUT_CHARS, NotEvaluable, type Budget } from './limits';

/** No final argument (exec.go missingVal), as opposed to an invalid value (undefined). */
const NONE = Symbol('missing');
type Val = unknown;

class Break {}
class Continue {}

type MissingKey = 'default' | 'error';

const typeName = (v: Val): string => {
  if (v === undefined) return '<invalid>';
  if (v === null) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
};

/** isTrue(indirectInterface(v)) */
function truth(v: Val): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  return true;
}

type Basic = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
const basicKind = (v: Val): Basic =>
  v === undefined || v === null
    ? 'invalid'
    : typeof v === 'boolean'
      ? 'bool'
      : typeof v === 'bigint'
        ? 'int'
        : typeof v === 'number'
          ? 'float'
          : typeof v === 'string'
            ? 'string'
            : 'other';

/** funcs.go eq: arg1 equals any of the others; kinds must match (nil against anything is false). */
function eq(args: Val[]): boolean {
  if (args.length < 2) throw new GoCallError('missing argument for comparison');
  const a = args[0];
  const k1 = basicKind(a);
  for (const b of args.slice(1)) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new GoCallError('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') throw new GoCallError(`non-comparable type ${typeName(a)}`);
    if (k1 === 'invalid' || a === b) return true;
  }
  return false;
}

/** funcs.go lt: basic kinds only, equal kinds (ints and floats do not mix). */
function lt(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k1 === 'bool' || k2 === 'invalid' || k2 === 'other' || k2 === 'bool')
    throw new GoCallError('invalid type for comparison');
  if (k1 !== k2) throw new GoCallError('incompatible types for comparison');
  if (k1 === 'string') return goStringCompare(a as string, b as string) < 0;
  return (a as number | bigint) < (b as number | bigint);
}

/** funcs.go index. */
function index(item: Val, keys: Val[]): Val {
  let v = item;
  if (v === undefined || v === null) throw new GoCallError('index of untyped nil');
  for (const k of keys) {
    if (v === undefined || v === null) throw new GoCallError('index of nil pointer');
    if (Array.isArray(v)) {
      if (typeof k !== 'bigint') throw new GoCallError(`cannot index slice/array with type ${typeName(k)}`);
      if (k < 0n || k >= BigInt(v.length)) throw new GoCallError(`index out of range: ${k}`);
      v = v[Number(k)];
    } else if (isPlainObject(v)) {
      if (typeof k !== 'string') throw new GoCallError(`value has type ${typeName(k)}; should be string`);
      v = Object.prototype.hasOwnProperty.call(v, k) ? v[k] : null;
    } else if (typeof v === 'string') throw new NotEvaluable('index of a string (a byte) is not evaluated offline');
    else throw new GoCallError(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function length(v: Val): bigint {
  if (typeof v === 'string') return BigInt(utf8(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (isPlainObject(v)) return BigInt(Object.keys(v).length);
  if (v === null) throw new GoCallError('len of nil pointer');
  throw new GoCallError(`len of type ${typeName(v)}`);
}

class State {
  private out = '';
  private vars: { name: string; value: Val }[] = [];
  private depth = 0;
  constructor(
    private readonly missingKey: MissingKey,
    private readonly budget: Budget,
  ) {}

  fail(msg: string): never {
    throw new AppSetInvalid(`failed to execute go template: ${msg}`);
  }

  run(nodes: TNode[], dot: Val): string {
    this.vars.push({ name: '$', value: dot });
    this.walk(nodes, dot);
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > MAX_OUTPUT_CHARS)
      throw new NotEvaluable(`a template renders more than ${MAX_OUTPUT_CHARS} characters`);
  }

  private walk(nodes: TNode[], dot: Val): void {
    if (++this.depth > MAX_DEPTH) throw new NotEvaluable(`a template nests deeper than ${MAX_DEPTH} levels`);
    try {
      for (const n of nodes) {
        this.budget.step();
        switch (n.t) {
          case 'text':
            this.write(n.s);
            break;
          case 'action': {
            const v = this.pipeline(dot, n.pipe);
            if (n.pipe.decl.length === 0) this.write(v === undefined ? '<no value>' : sprintV(v));
            break;
          }
          case 'if':
          case 'with': {
            const mark = this.vars.length;
            const v = this.pipeline(dot, n.pipe);
            if (truth(v)) this.walk(n.list, n.t === 'with' ? v : dot);
            else if (n.else) this.walk(n.else, dot);
            this.vars.length = mark;
            break;
          }
          case 'range':
            this.range(dot, n);
            break;
          case 'break':
            throw new Break();
          case 'continue':
            throw new Continue();
        }
      }
    } finally {
      this.depth--;
    }
  }

  private range(dot: Val, n: Extract<TNode, { pipe: Pipe; list: TNode[] }>): void {
    const outer = this.vars.length;
    const val = this.pipeline(dot, n.pipe);
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const one = (idx: Val, elem: Val): boolean => {
      this.budget.step();
      if (decl.length > 0) {
        if (n.pipe.assign) this.setVar(decl[decl.length > 1 ? 0 : 0]!, decl.length > 1 ? idx : elem);
        else this.vars[this.vars.length - 1]!.value = elem;
      }
      if (decl.length > 1) {
        if (n.pipe.assign) this.setVar(decl[1]!, elem);
        else this.vars[this.vars.length - 2]!.value = idx;
      }
      try {
        this.walk(n.list, elem);
      } catch (e) {
        if (e instanceof Break) return false;
        if (!(e instanceof Continue)) throw e;
      } finally {
        this.vars.length = mark;
      }
      return true;
    };
    let ran = false;
    if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (!one(BigInt(i), val[i])) break;
      }
    } else if (isPlainObject(val)) {
      for (const k of Object.keys(val).sort(goStringCompare)) {
        ran = true;
        if (!one(k, val[k])) break;
      }
    } else if (typeof val === 'bigint') {
      if (decl.length > 1) this.fail(`can't use ${val} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) {
        ran = true;
        if (!one(i, i)) break;
      }
    } else if (val !== undefined && val !== null) this.fail(`range can't iterate over ${sprintV(val)}`);
    if (!ran && n.else) this.walk(n.else, dot);
    this.vars.length = outer;
  }

  private setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  private pipeline(dot: Val, pipe: Pipe): Val {
    let value: Val | typeof NONE = NONE;
    for (const cmd of pipe.cmds) {
      value = this.command(dot, cmd, value);
      // "If the object has type interface{}, dig down one level": a nil interface is no value.
      if (value === null) value = undefined;
    }
    const v = value === NONE ? undefined : value;
    for (const d of pipe.decl) {
      if (pipe.assign) this.setVar(d, v);
      else this.vars.push({ name: d, value: v });
    }
    return v;
  }

  private notAFunction(args: Arg[], final: Val | typeof NONE): void {
    if (args.length > 1 || final !== NONE) this.fail(`can't give argument to non-function ${describe(args[0]!)}`);
  }

  private command(dot: Val, cmd: Cmd, final: Val | typeof NONE): Val {
    const first = cmd.args[0]!;
    this.budget.step();
    switch (first.t) {
      case 'field':
        return this.fieldChain(dot, dot, first.names, cmd.args, final);
      case 'var': {
        const v = this.varValue(first.name);
        if (first.names.length) return this.fieldChain(dot, v, first.names, cmd.args, final);
        this.notAFunction(cmd.args, final);
        return v;
      }
      case 'pipe': {
        if (first.names.length) {
          const v = this.pipeline(dot, first.pipe);
          return this.fieldChain(dot, v, first.names, cmd.args, final);
        }
        this.notAFunction(cmd.args, final);
        return this.pipeline(dot, first.pipe);
      }
      case 'ident':
        return this.call(dot, first.name, cmd.args.slice(1), final);
      case 'dot':
        this.notAFunction(cmd.args, final);
        return dot;
      case 'nil':
        return this.fail('nil is not a command');
      case 'string':
      case 'bool':
        this.notAFunction(cmd.args, final);
        return first.v;
      case 'number':
        this.notAFunction(cmd.args, final);
        return idealConstant(first);
    }
  }

  private fieldChain(dot: Val, receiver: Val, names: string[], args: Arg[], final: Val | typeof NONE): Val {
    let r = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      r = this.field(names[i]!, last ? args : [], last ? final : NONE, r);
    }
    void dot;
    return r;
  }

  /** exec.go evalField on the values a parameter set holds. */
  private field(name: string, args: Arg[], final: Val | typeof NONE, receiver: Val): Val {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.fail(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (isPlainObject(receiver)) {
      if (args.length > 1 || final !== NONE) this.fail(`${name} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, name)) return receiver[name];
      if (this.missingKey === 'error') this.fail(`map has no entry for key "${name}"`);
      return undefined;
    }
    return this.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  /** evalArg: the argument evaluated for a parameter of this kind (validateType). */
  private arg(dot: Val, a: Arg, kind: Kind): Val {
    let v: Val;
    switch (a.t) {
      case 'nil':
        if (kind === 'any' || kind === 'map' || kind === 'value') return kind === 'value' ? undefined : null;
        return this.fail(`cannot assign nil to ${kindName(kind)}`);
      case 'dot':
        v = dot;
        break;
      case 'field':
        v = this.fieldChain(dot, dot, a.names, [a], NONE);
        break;
      case 'var':
        v = a.names.length ? this.fieldChain(dot, this.varValue(a.name), a.names, [a], NONE) : this.varValue(a.name);
        break;
      case 'pipe':
        v = this.pipeline(dot, a.pipe);
        if (a.names.length) v = this.fieldChain(dot, v, a.names, [a], NONE);
        break;
      case 'ident':
        v = this.call(dot, a.name, [], NONE);
        break;
      case 'string':
        if (kind === 'string' || kind === 'any' || kind === 'value') return a.v;
        return this.fail(`expected ${kindName(kind)}; found ${JSON.stringify(a.v)}`);
      case 'bool':
        if (kind === 'bool' || kind === 'any' || kind === 'value') return a.v;
        return this.fail(`expected ${kindName(kind)}; found ${a.v}`);
      case 'number':
        if (kind === 'int') {
          if (a.int === undefined) this.fail(`expected integer; found ${a.text}`);
          return a.int;
        }
        if (kind === 'float') {
          if (a.float === undefined) return Number(a.int);
          return a.float;
        }
        if (kind === 'any' || kind === 'value') return idealConstant(a);
        return this.fail(`expected ${kindName(kind)}; found ${a.text}`);
    }
    return this.validate(v, kind);
  }

  private validate(v: Val, kind: Kind): Val {
    if (v === undefined) {
      if (kind === 'value') return undefined;
      if (kind === 'any' || kind === 'map') return null;
      return this.fail(`invalid value; expected ${kindName(kind)}`);
    }
    const ok =
      kind === 'any' ||
      kind === 'value' ||
      (kind === 'string' && typeof v === 'string') ||
      (kind === 'int' && typeof v === 'bigint') ||
      (kind === 'float' && typeof v === 'number') ||
      (kind === 'bool' && typeof v === 'boolean') ||
      (kind === 'map' && (v === null || isPlainObject(v)));
    if (!ok) this.fail(`wrong type for value; expected ${kindName(kind)}; got ${typeName(v)}`);
    return v;
  }

  private call(dot: Val, name: string, args: Arg[], final: Val | typeof NONE): Val {
    const all = (kind: Kind): Val[] => {
      const vs = args.map((a) => this.arg(dot, a, kind));
      if (final !== NONE) vs.push(this.validate(final, kind));
      return vs;
    };
    const count = args.length + (final !== NONE ? 1 : 0);
    const want = (n: number) => {
      if (count !== n) this.fail(`wrong number of args for ${name}: want ${n} got ${count}`);
    };
    try {
      switch (name) {
        case 'and':
        case 'or': {
          if (count < 1) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
          let v: Val;
          for (const a of args) {
            v = this.arg(dot, a, 'value');
            if (truth(v) === (name === 'or')) return v;
          }
          if (final !== NONE) v = final;
          return v;
        }
        case 'not':
          want(1);
          return !truth(all('value')[0]);
        case 'len':
          want(1);
          return length(all('value')[0]);
        case 'index': {
          if (count < 1) this.fail('wrong number of args for index: want at least 1 got 0');
          const vs = all('value');
          return index(vs[0], vs.slice(1));
        }
        case 'eq':
          if (count < 1) this.fail('wrong number of args for eq: want at least 1 got 0');
          return eq(all('value'));
        case 'ne':
          want(2);
          return !eq(all('value'));
        case 'lt':
        case 'le':
        case 'gt':
        case 'ge': {
          want(2);
          const [a, b] = all('value');
          if (name === 'lt') return lt(a, b);
          if (name === 'ge') return !lt(a, b);
          const equal = eq([a, b]);
          return name === 'le' ? lt(a, b) || equal : !lt(a, b) && !equal;
        }
      }
      const fn = Object.prototype.hasOwnProperty.call(FUNCS, name) ? FUNCS[name] : undefined;
      if (!fn)
        throw isKnownFunc(name)
          ? new NotEvaluable(`the template function ${name} is not evaluated offline`)
          : new AppSetInvalid(`function "${name}" not defined`);
      const fixed = fn.params.length;
      if (fn.variadic ? count < fixed : count !== fixed)
        this.fail(`wrong number of args for ${name}: want ${fn.variadic ? 'at least ' : ''}${fixed} got ${count}`);
      const vals: Val[] = [];
      const kindAt = (i: number): Kind => (i < fixed ? fn.params[i]! : fn.variadic!);
      args.forEach((a, i) => vals.push(this.arg(dot, a, kindAt(i))));
      if (final !== NONE) vals.push(this.validate(final, kindAt(args.length)));
      const r = fn.fn(vals, { step: () => this.budget.step() });
      return r;
    } catch (e) {
      if (e instanceof GoCallError) this.fail(`error calling ${name}: ${e.message}`);
      throw e;
    }
  }
}

const kindName = (k: Kind) =>
  ({
    string: 'string',
    int: 'int',
    bool: 'bool',
    float: 'float64',
    any: 'interface {}',
    map: 'map[string]interface {}',
    value: 'reflect.Value',
  })[k];

const describe = (a: Arg): string =>
  a.t === 'string' ? JSON.stringify(a.v) : a.t === 'number' ? a.text : a.t === 'bool' ? String(a.v) : a.t;

/** exec.go idealConstant: an integer literal is an int, one written with '.', 'e' or 'E' a float64. */
function idealConstant(a: Extract<Arg, { t: 'number' }>): Val {
  if (a.float !== undefined && /[.eE]/.test(a.text)) return a.float;
  return a.int ?? a.float;
}

/** template.Option values Argo CD passes through (goTemplateOptions). */
function missingKeyOf(options: readonly string[]): MissingKey {
  let mk: MissingKey = 'default';
  for (const o of options) {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(o);
    // template.Option panics on anything else.
    if (!m) throw new NotEvaluable(`goTemplateOptions ${JSON.stringify(o)} is not an option Go's templates know`);
    // zero: the zero value of map[string]any's element is a nil interface, printed "<no value>" like default.
    mk = m[1] === 'error' ? 'error' : 'default';
  }
  return mk;
}

const parsed = new Map<string, TNode[]>();

/** Render.Replace with useGoTemplate. */
export function goTemplateReplace(text: string, params: Params, options: readonly string[], budget: Budget): string {
  const missingKey = missingKeyOf(options);
  let nodes = parsed.get(text);
  if (!nodes) {
    try {
      nodes = parseGoTemplate(text, isKnownFunc);
    } catch (e) {
      if (e instanceof AppSetInvalid)
        throw new AppSetInvalid(`failed to parse template ${JSON.stringify(text.slice(0, 100))}: ${e.message}`);
      throw e;
    }
    if (parsed.size > 1000) parsed.clear();
    parsed.set(text, nodes);
  }
  return new State(missingKey, budget).run(nodes, params);
}
