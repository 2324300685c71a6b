// A small, strict flag parser: unknown flags are errors that say what was probably meant.
import { parseArgs as nodeParseArgs } from 'node:util';
import { UsageError } from '../util/errors';
import { closest } from '../util/suggest';

export interface FlagSpec {
  name: string;
  short?: string;
  /** Takes a value (`--x v`, `--x=v`, `-x v`, `-xv`); otherwise a boolean switch. */
  value?: boolean;
  repeat?: boolean;
  help: string;
  placeholder?: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

/**
 * Parses `argv` with `node:util`'s parseArgs (long and short flags, `--name=value`, `-nVALUE`, short
 * groups, `--`) and applies our rules on top: an unknown flag is an error that names the likely one,
 * a switch takes no value, a flag not marked `repeat` may be given once.
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const s of specs)
    options[s.name] = { type: s.value ? 'string' : 'boolean', ...(s.short ? { short: s.short } : {}) };
  // strict: false hands unknown flags and missing values back as tokens, so the messages below stay ours.
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positional.push(t.value);
    if (t.kind !== 'option') continue;
    const spec = byName.get(t.name);
    if (!spec) {
      const arg = argv[t.index] ?? t.rawName;
      const eq = arg.indexOf('=');
      const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
      const hint = closest(
        flag.replace(/^-+/, ''),
        specs.map((s) => s.name),
      );
      throw new UsageError(
        `unknown flag ${flag} for "${command}"${hint ? `; did you mean --${hint}?` : ''} (see safe-render ${command} --help)`,
      );
    }
    const flag = t.rawName;
    let v: string;
    if (spec.value) {
      if (t.value === undefined) throw new UsageError(`${flag} needs a value (${spec.placeholder ?? 'VALUE'})`);
      // `-n=prod` means prod, as kubectl and helm read it; only the attached short form carries the `=`.
      v = t.inlineValue && !flag.startsWith('--') && t.value.startsWith('=') ? t.value.slice(1) : t.value;
    } else {
      if (t.inlineValue) throw new UsageError(`${flag} takes no value`);
      v = 'true';
    }
    const list = flags.get(spec.name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`${flag} given twice`);
    list.push(v);
    flags.set(spec.name, list);
  }
  return { flags, positional };
}

export function helpText(usage: string, description: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? ` ${s.placeholder ?? 'VALUE'}` : ''}`;
    return `  ${left.padEnd(32)} ${s.help}`;
  });
  return `usage: ${usage}\n\n${description}\n\nflags:\n${rows.join('\n')}\n`;
}

export const one = (a: ParsedArgs, name: string): string | undefined => a.flags.get(name)?.[0];
export const many = (a: ParsedArgs, name: string): string[] => a.flags.get(name) ?? [];
export const has = (a: ParsedArgs, name: string): boolean => a.flags.has(name);
