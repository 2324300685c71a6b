// goTemplate: true (utils.go Render.Replace with useGoTemplate): Go text/template with sprig.
import type { Params } from './context';
import type { Budget } from './limits';
import { NotEvaluable } from './limits';

export function goTemplateReplace(text: string, params: Params, options: readonly string[], budget: Budget): string {
  void params;
  void options;
  void budget;
  if (!text.includes('{{')) return text;
  throw new NotEvaluable('goTemplate is not evaluated yet');
}
