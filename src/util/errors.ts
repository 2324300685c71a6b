// Errors that end a run with exit 2 ("could not run"). Anything else that is thrown is a bug, and the
// CLI still turns it into exit 2 with an empty stdout, so a crash can never look like an empty render.

/** Bad command line, unreadable or invalid configuration: the user must change how they call us. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The render itself failed: parse error, engine failure, I/O, limits. Reported as rule `render-failed`. */
export class RenderFailure extends Error {
  override name = 'RenderFailure';
  constructor(
    message: string,
    readonly where?: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}
