// Bounds on the work one ApplicationSet may cause (issue 11, house rules: every input is hostile). Past
// a bound the ApplicationSet is not evaluated (NotEvaluable), never guessed and never a hang.

/** Applications one ApplicationSet may yield. */
export const MAX_APPS = 10_000;
/** Parameter sets one generator (a matrix product included) may yield before the selector. */
export const MAX_PARAM_SETS = 10_000;
/** Characters one rendered string may hold (a template's output, a templatePatch). */
export const MAX_OUTPUT_CHARS = 1 << 20;
/** Characters all rendered strings of one ApplicationSet may hold together. */
export const MAX_TOTAL_OUTPUT_CHARS = 64 << 20;
/** Iterations of every `range` of one ApplicationSet together, and Go template steps. */
export const MAX_TEMPLATE_STEPS = 5_000_000;
/** Nesting of generators (matrix/merge in matrix/merge), template blocks, values and YAML. */
export const MAX_DEPTH = 64;
/** Bytes of one file the git files generator reads, and of all of them together. */
export const MAX_FILE_BYTES = 1 << 20;
export const MAX_TOTAL_FILE_BYTES = 32 << 20;
/** Files the git files generator reads per ApplicationSet. */
export const MAX_FILES = 5_000;
/** Length of an include/exclude pattern, and patterns x paths tried. */
export const MAX_PATTERN_LENGTH = 4096;
export const MAX_PATTERN_TRIES = 2_000_000;
/** elementsYaml text, and nodes of a parsed YAML/JSON value (aliases counted each time they occur). */
export const MAX_ELEMENTS_YAML = 1 << 20;
export const MAX_VALUE_NODES = 100_000;

/** This ApplicationSet (or generator) cannot be evaluated offline: a cluster or API is needed, a bound
 * is passed, or the template uses a function or syntax we do not implement. Never a guess. */
export class NotEvaluable extends Error {
  override name = 'NotEvaluable';
  constructor(
    readonly why: string,
    readonly generator = 'template',
  ) {
    super(why);
  }
}

/** Argo CD itself would fail on this ApplicationSet (the controller generates nothing, deletes nothing). */
export class AppSetInvalid extends Error {
  override name = 'AppSetInvalid';
}

/** A budget shared by everything one ApplicationSet evaluates. */
export class Budget {
  steps = 0;
  output = 0;
  fileBytes = 0;
  files = 0;
  step(n = 1): void {
    this.steps += n;
    if (this.steps > MAX_TEMPLATE_STEPS)
      throw new NotEvaluable(`its templates take more than ${MAX_TEMPLATE_STEPS} steps to evaluate`);
  }
  emit(s: string): string {
    if (s.length > MAX_OUTPUT_CHARS)
      throw new NotEvaluable(`a rendered template is longer than ${MAX_OUTPUT_CHARS} characters`);
    this.output += s.length;
    if (this.output > MAX_TOTAL_OUTPUT_CHARS)
      throw new NotEvaluable(`its rendered templates are longer than ${MAX_TOTAL_OUTPUT_CHARS} characters in all`);
    return s;
  }
}

export const short = (s: string, n = 100): string => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);
