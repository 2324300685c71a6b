// The git generator: argo-cd applicationset/generators/git.go.
import type { JsonObject } from '../model/object';
import type { EvalCtx, Params } from './context';
import { NotEvaluable } from './limits';

export function gitParams(git: JsonObject, ctx: EvalCtx): Params[] {
  void git;
  void ctx;
  throw new NotEvaluable('git generator is not evaluated yet', 'git');
}
