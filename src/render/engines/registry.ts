// Every render engine, by the name safe-render.yaml's `engine:` gives it. The names themselves are
// config vocabulary (ENGINE_NAMES in src/config/app-config.ts, which the config schema's enum reads);
// the type below makes the compiler refuse a name without an engine here, or an engine whose name the
// schema does not accept, so the two cannot drift. The order is detection order (detect.ts).
// Adding an engine: one file beside this one, its name in ENGINE_NAMES, one line here.
import type { EngineName } from '../../config/app-config';
import type { Engine } from './engine';
import { helmEngine } from './helm';
import { kustomizeEngine } from './kustomize';
import { plainEngine } from './plain';

export const ENGINES: { readonly [N in EngineName]: Engine<N> } = {
  plain: plainEngine,
  kustomize: kustomizeEngine,
  helm: helmEngine,
};

/** The engine of an app folder that no other engine's files mark. */
export const FALLBACK_ENGINE: EngineName = 'plain';

export function engineNamed(name: EngineName): Engine {
  return ENGINES[name] as Engine;
}
