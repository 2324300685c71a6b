// What a caller hands the library instead of the process (issue 10): nothing below cli.ts reads
// process.env or process.cwd(), so one process can run many apps, each with its own environment.

/** An environment as a plain record: where the policy and freeze folders are, the tool timeout, the
 * PATH tools are looked up on, and (for generate) Argo CD's build environment. */
export type Env = Readonly<Record<string, string | undefined>>;
