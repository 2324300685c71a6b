// A small, strict flag parser: unknown flags are errors that say what was probably meant.
import { UsageError } from '../util/errors';
import { closest } from '../util/suggest';

export interface FlagSpec {
  name: string;
  short?: string;
  /** Takes a value (`--x v` or `--x=v`); otherwise a boolean switch. */
  value?: boolean;
  repeat?: boolean;
  help: string;
  placeholder?: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [`--${s.name}`, s]));
  for (const s of specs) if (s.short) byName.set(`-${s.short}`, s);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(flag);
    if (!spec) {
      const hint = closest(flag.replace(/^-+/, ''), specs.map((s) => s.name));
      throw new UsageError(`unknown flag ${flag} for "${command}"${hint ? `; did you mean --${hint}?` : ''} (see safe-render ${command} --help)`);
    }
    let v: string;
    if (spec.value) {
      if (flag !== arg) v = arg.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value (${spec.placeholder ?? 'VALUE'})`);
        v = argv[++i]!;
      }
    } else {
      if (flag !== arg) throw new UsageError(`${flag} takes no value`);
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
