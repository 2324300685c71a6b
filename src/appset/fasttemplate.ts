// The default template style: argo-cd applicationset/utils/utils.go Render.Replace with useGoTemplate
// false, i.e. valyala/fasttemplate with `{{` and `}}` (template.go Reset, ExecuteFuncString).
import { AppSetInvalid, short } from './limits';

// isTemplatedRegex = regexp.MustCompile(".*{{.*}}.*"): Go's `.` is anything but "\n" (JS's also
// excludes "\r", U+2028, U+2029), so a `{{` and a `}}` on one line.
const TEMPLATED = /\{\{[^\n]*\}\}/;

// unicode.IsSpace, which strings.TrimSpace uses (JS's \s also takes U+FEFF, Go's does not).
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
export const goTrimSpace = (s: string): string => s.replace(TRIM, '');

/** `tmpl` with each `{{tag}}` whose trimmed tag is a string parameter replaced; other tags are left as
 * written (`{{tag}}`, spacing kept). Throws AppSetInvalid when a `{{` has no `}}` after it and the text
 * is "templated" (fasttemplate.NewTemplate's error). */
export function fastReplace(tmpl: string, params: Readonly<Record<string, unknown>>): string {
  if (!TEMPLATED.test(tmpl)) return tmpl;
  let out = '';
  let s = tmpl;
  for (;;) {
    const n = s.indexOf('{{');
    if (n < 0) return out + s;
    out += s.slice(0, n);
    s = s.slice(n + 2);
    const e = s.indexOf('}}');
    if (e < 0) throw new AppSetInvalid(`invalid template: cannot find end tag "}}" in ${short(tmpl)}`);
    const tag = s.slice(0, e);
    s = s.slice(e + 2);
    // strings.TrimSpace; replaceMap[trimmedTag].(string): only string values replace.
    const trimmed = goTrimSpace(tag);
    const v = Object.prototype.hasOwnProperty.call(params, trimmed) ? params[trimmed] : undefined;
    out += trimmed !== '' && typeof v === 'string' ? v : `{{${tag}}}`;
  }
}
