// How a run ends: findings to stderr (one line each), manifests to stdout only when nothing refused.
// stderr is bounded (issue 9 §6): Argo CD keeps all of it in the app's condition, so a render that
// finds a million problems must still print a short, readable stderr.
import { hasErrors, type Finding } from '../checks/finding';
import { flatLine, formatFinding, renderFailedFinding } from '../report/format';
import { FINDINGS_PER_RULE, groupedFindingLines, refusalHeadline, type RefusalFacts } from '../report/refusal';
import { MAX_FINDINGS_SHOWN, MAX_STDERR_BYTES, MAX_STDERR_LINE_BYTES } from '../render/limits';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export interface ReportOptions {
  /** Every finding (a laptop's terminal, --verbose); else each rule's list is capped at
   * FINDINGS_PER_RULE and all of them at MAX_FINDINGS_SHOWN. */
  all?: boolean;
  /** Absolute base of runbook links (runbook-url.ts); default the relative path docs/rules/<id>.md. */
  runbookBase?: string;
  /** Where the whole list is, said on a capped rule's "... and N more" line. */
  fullList?: string;
}

/** The findings grouped by rule, errors first, each fix once after the findings that share it
 * (report/refusal.ts); capped unless `opts.all`, so the refusal still says what kind of problem the
 * rest are. */
export function reportFindings(
  io: Io,
  findings: readonly Finding[],
  max = MAX_FINDINGS_SHOWN,
  opts: ReportOptions = {},
): void {
  const lines = groupedFindingLines(findings, {
    perRule: opts.all ? Infinity : FINDINGS_PER_RULE,
    total: opts.all ? Infinity : max,
    ...(opts.runbookBase ? { runbookBase: opts.runbookBase } : {}),
    ...(opts.fullList ? { fullList: opts.fullList } : {}),
  });
  for (const l of lines) io.err(`${l}\n`);
}

/** What the headline needs of a rendered app: the lock's size and the render's. */
export function refusalFacts(r: {
  objects: readonly unknown[];
  lockState: { lock?: { objects: { size: number } } };
}): RefusalFacts {
  return {
    renderedCount: r.objects.length,
    ...(r.lockState.lock ? { lockedCount: r.lockState.lock.objects.size } : {}),
  };
}

/** A refusal as render and generate print it: the headline, the grouped findings, `notes` (render's
 * "ran kubectl: ..." lines), the tally. */
export function reportRefusal(
  io: Io,
  findings: readonly Finding[],
  facts: RefusalFacts,
  opts: ReportOptions = {},
  outcome?: string,
  notes: readonly string[] = [],
): void {
  io.err(`${refusalHeadline(findings, facts)}\n`);
  reportFindings(io, findings, MAX_FINDINGS_SHOWN, opts);
  for (const l of notes) io.err(`${l}\n`);
  io.err(refusalSummary(findings, outcome));
}

/** `outcome`: what did not happen because of the refusal (render: nothing was emitted; lock: the
 * lock was not written). */
export function refusalSummary(findings: readonly Finding[], outcome = 'nothing was emitted'): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `safe-render: refused: ${errors} error${errors === 1 ? '' : 's'}; ${outcome}\n`;
}

export { hasErrors };

const TAIL_BYTES = 8 * 1024;
const NOTICE_RESERVE = 256;

/** Collects stderr and keeps it within MAX_STDERR_BYTES in total: the first lines, then one line that
 * says how much was cut, then the last lines (the refusal summary or the error that ended the run).
 * Cuts fall on line boundaries; a single line longer than MAX_STDERR_LINE_BYTES (newline included) is
 * shortened and says so. Memory stays bounded however much is written. */
export class BoundedStderr {
  private readonly head: string[] = [];
  private headBytes = 0;
  private readonly tail: string[] = [];
  private tailBytes = 0;
  private cutting = false;
  private droppedLines = 0;
  private droppedBytes = 0;
  private partial = '';
  private partialExtra = 0;

  constructor(
    private readonly maxBytes = MAX_STDERR_BYTES,
    private readonly maxLineBytes = MAX_STDERR_LINE_BYTES,
  ) {}

  write(s: string): void {
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      this.appendPartial(s.slice(start, nl));
      this.line();
      start = nl + 1;
    }
    this.appendPartial(s.slice(start));
  }

  /** Everything kept, ending with a newline when anything was written. */
  text(): string {
    if (this.partial || this.partialExtra) this.line();
    const total = this.headBytes + this.tailBytes;
    if (this.droppedLines === 0 && total <= this.maxBytes) return this.head.join('') + this.tail.join('');
    const notice = `safe-render: stderr was cut to ${this.maxBytes / 1024} KiB: ${this.droppedLines} line${this.droppedLines === 1 ? '' : 's'} (${this.droppedBytes} bytes) not shown between the first and the last lines\n`;
    return this.head.join('') + notice + this.tail.join('');
  }

  private appendPartial(s: string): void {
    // A line is cut at maxLineBytes anyway; keep at most that many characters of it (each is at
    // least one byte) and count the rest.
    const room = this.maxLineBytes - this.partial.length;
    if (s.length <= room) this.partial += s;
    else {
      this.partial += s.slice(0, Math.max(0, room));
      this.partialExtra += s.length - Math.max(0, room);
    }
  }

  private line(): void {
    const l = `${capLine(this.partial, this.partialExtra, this.maxLineBytes - 1)}\n`;
    this.partial = '';
    this.partialExtra = 0;
    const b = Buffer.byteLength(l);
    const headBudget = this.maxBytes - TAIL_BYTES - NOTICE_RESERVE;
    if (!this.cutting && this.headBytes + b <= headBudget) {
      this.head.push(l);
      this.headBytes += b;
      return;
    }
    this.cutting = true;
    this.tail.push(l);
    this.tailBytes += b;
    // The tail keeps at least the last line (a line is at most maxLineBytes, below TAIL_BYTES).
    while (this.tailBytes > TAIL_BYTES && this.tail.length > 1) {
      const dropped = this.tail.shift()!;
      const db = Buffer.byteLength(dropped);
      this.tailBytes -= db;
      this.droppedLines++;
      this.droppedBytes += db;
    }
  }
}

/** `line` (plus `extraChars` already dropped) within maxBytes of UTF-8, cut on a character boundary. */
function capLine(line: string, extraChars: number, maxBytes: number): string {
  const bytes = Buffer.byteLength(line);
  if (bytes <= maxBytes && extraChars === 0) return line;
  const marker = ' [line cut]';
  const buf = Buffer.from(line, 'utf8');
  let end = Math.min(buf.length, maxBytes - Buffer.byteLength(marker));
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // not inside a UTF-8 sequence
  return `${buf.subarray(0, end).toString('utf8')}${marker}`;
}

/** Set to 1 to print the stack trace of an unexpected error (after its one-line report). */
export const DEBUG_ENV = 'SAFE_RENDER_DEBUG';

const ERRNO_TEXT: Record<string, string> = {
  EISDIR: 'it is a folder where safe-render expects a file',
  ENOTDIR: 'a file stands where safe-render expects a folder',
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is longer than the file system allows',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

/** One line (no newline) for an error that is neither a UsageError nor a RenderFailure: the last-resort
 * report of the CLI (issue 8 §8: never a stack trace for a user's mistake). A file system error names
 * the file and what is wrong with it; a stack overflow says the input is nested too deeply; anything
 * else is an internal error, named by its first line only. */
export function describeUnexpected(e: unknown): string {
  const err = e as (Partial<NodeJS.ErrnoException> & { message?: unknown }) | null | undefined;
  const message = oneLine(typeof err?.message === 'string' ? err.message : String(e));
  if (e instanceof RangeError && /call stack/i.test(message)) {
    return formatFinding(
      renderFailedFinding({
        message: 'the input is nested too deeply for safe-render to process (maximum call stack size exceeded)',
        fix: "flatten the deepest structure of the app's files (YAML, JSON, safe-render.yaml, values)",
      }),
    );
  }
  if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
    const what = ERRNO_TEXT[err.code] ?? message.replace(/^[A-Z]+:\s*/, '');
    const path = typeof err.path === 'string' ? ` ${oneLine(err.path)}` : ' a file';
    const op = typeof err.syscall === 'string' && err.syscall !== 'read' ? oneLine(err.syscall) : 'read';
    return formatFinding(
      renderFailedFinding({
        message: `cannot ${op}${path}: ${what} (${err.code})`,
        fix: 'check that safe-render.yaml, .safe-render/ (FREEZE, locks, index) and the value files are regular files where expected',
      }),
    );
  }
  const name = e instanceof Error ? e.name : typeof e;
  return formatFinding(
    renderFailedFinding({ message: `internal error (${oneLine(name)}): ${message}; set ${DEBUG_ENV}=1 for details` }),
  );
}

/** A message as one short line: control characters become spaces, at most 200 characters. */
function oneLine(s: string): string {
  const flat = flatLine(s).trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

export { flatLine };
