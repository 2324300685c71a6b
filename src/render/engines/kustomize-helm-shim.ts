// kubectl 1.35 embeds kustomize 5.7.1, whose chart inflation first probes `helm version -c --short` and
// accepts only a v3 answer (api/internal/builtins/HelmChartInflationGenerator.go checkHelmVersion,
// before kustomize commit 54848c10 "support helm v4 beside v3"). Helm 4 removed `-c` (helm#31301), so
// every `helmCharts` render failed with "unknown shorthand flag: 'c'" (kustomize#6013). Argo CD ships
// kustomize 5.8.1, which probes `helm version --short` and accepts v3 and v4, and otherwise runs helm
// with the same arguments. This shim gives kubectl's kustomize that answer: it is the --helm-command,
// it answers the probe from the real helm (named by SHIM_HELM_ENV; kustomize passes its environment
// on, `cmd.Env = append(os.Environ(), ...)`) and runs the real helm for everything else. Harmless with
// a kustomize that already speaks helm 4: the probe it sends is not the one rewritten here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The variable that names the real helm (a command looked up on PATH, or a path). */
export const SHIM_HELM_ENV = 'SAFE_RENDER_KUSTOMIZE_HELM';

/** The probe's answer keeps the real version in it; kustomize 5.7 reads the first `v?N.N` only. */
const SHIM = `#!/bin/sh
# Written by safe-render for kubectl's kustomize 5.7 (see src/render/engines/kustomize-helm-shim.ts).
if [ "$#" -eq 3 ] && [ "$1" = version ] && [ "$2" = -c ] && [ "$3" = --short ]; then
  v=$("$${SHIM_HELM_ENV}" version --short) || exit $?
  case "$v" in
    v4.*) printf 'v3.999.0 (helm %s: kustomize 5.7 accepts only v3; 5.8 accepts v4)\\n' "$v" ;;
    *) printf '%s\\n' "$v" ;;
  esac
  exit 0
fi
exec "$${SHIM_HELM_ENV}" "$@"
`;

/** Writes the shim into the run's scratch HOME (private, removed after the run); returns its path. */
export function writeKustomizeHelmShim(home: string): string {
  const file = join(home, 'helm-for-kustomize');
  writeFileSync(file, SHIM, { mode: 0o700 });
  return file;
}
