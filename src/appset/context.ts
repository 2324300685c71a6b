// What every generator and the renderer of one ApplicationSet share while it is evaluated.
import type { ArgoInstall } from '../config/platform-policy';
import type { AppSetRepo } from './generate';
import type { Budget } from './limits';

/** One parameter set: map[string]any as a generator yields it. */
export type Params = Record<string, unknown>;

export interface EvalCtx {
  /** spec.goTemplate */
  goTemplate: boolean;
  /** spec.goTemplateOptions */
  options: readonly string[];
  repo: AppSetRepo;
  install: ArgoInstall;
  budget: Budget;
  /** Render.Replace with the ApplicationSet's style; `options` overrides spec.goTemplateOptions. */
  replace: (text: string, params: Params, options?: readonly string[]) => string;
}
