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
    help: 'write the smallest safe-render.yaml each app needs (the namespaces and cluster-scoped kinds it writes, within the policy; an existing file is only listed) and the missing locks; print every exception; exit as ci',
  },
  {
    name: 'fix-locks',
    help: 'rewrite the stale locks whose change only adds (objects, generated Applications, recorded state); one that would lose anything is kept; exit as ci',
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
