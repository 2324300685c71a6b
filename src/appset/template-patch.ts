// templatePatch: argo-cd applicationset/controllers/template/patch.go applyTemplatePatch.
import type { JsonObject } from '../model/object';
import type { EvalCtx } from './context';
import { NotEvaluable } from './limits';

export function applyTemplatePatch(app: JsonObject, patch: string, ctx: EvalCtx): JsonObject {
  void app;
  void patch;
  void ctx;
  throw new NotEvaluable('templatePatch is not evaluated yet');
}
