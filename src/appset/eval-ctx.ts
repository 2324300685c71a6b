// The evaluation context of one ApplicationSet: its template style (utils.go Render.Replace picks
// fasttemplate or text/template) and the budget every generator and template shares.
import type { ArgoInstall } from '../config/platform-policy';
import type { EvalCtx, Params } from './context';
import { fastReplace } from './fasttemplate';
import type { AppSetRepo } from './generate';
import { goTemplateReplace } from './go-template';
import { Budget } from './limits';

export function newEvalCtx(
  goTemplate: boolean,
  options: readonly string[],
  repo: AppSetRepo,
  install: ArgoInstall,
): EvalCtx {
  const budget = new Budget();
  const replace = (text: string, params: Params, opts?: readonly string[]) =>
    budget.emit(goTemplate ? goTemplateReplace(text, params, opts ?? options, budget) : fastReplace(text, params));
  return { goTemplate, options, repo, install, budget, replace };
}
