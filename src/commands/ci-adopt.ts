// The flags of `safe-render ci --init` / `--fix-locks` (issue 11, "Adoption in one command") and the run
// they choose: the adoption (src/ci/adopt.ts), its lines on stderr, then ci's own outcome as usual.
import { has, type FlagSpec, type parseArgs } from '../cli/args';
import { runAdoption } from '../ci/adopt';
import { adoptionLines } from '../ci/adopt-print';
import type { CiResult, CiRunOptions } from '../ci/run-ci';
import type { Io } from './report';

export const ADOPT_FLAGS: FlagSpec[] = [
  {
    name: 'init',
    help: 'adopt: write for each checked app the smallest safe-render.yaml its render needs (the namespaces and cluster-scoped kinds it already writes, within the platform policy) and the lock of every app without one; print what was allowed',
  },
  {
    name: 'fix-locks',
    help: 'rewrite the stale locks whose change only adds (objects, generated Applications, recorded state); a lock that would lose anything is kept, and the app stays refused',
  },
];

/** runCi, or with --init/--fix-locks the adoption followed by an ordinary run for the verdict. */
export function ciRunner(
  a: ReturnType<typeof parseArgs>,
  io: Io,
  plain: (o: CiRunOptions) => Promise<CiResult>,
): (o: CiRunOptions) => Promise<CiResult> {
  const flags = { init: has(a, 'init'), fixLocks: has(a, 'fix-locks') };
  if (!flags.init && !flags.fixLocks) return plain;
  return async (o) => {
    const { adoption, result } = await runAdoption(o, flags);
    for (const line of adoptionLines(adoption)) io.err(`safe-render: ${line}\n`);
    return result;
  };
}
