// Argo CD's own name helpers: applicationset/utils/template_functions.go SanitizeName (the git
// generator's *Normalized params and the `normalize` template function).

/** strings.ToLower rune by rune: unicode.ToLower maps one rune to one rune (JS may yield two, e.g.
 * U+0130 -> "i̇"; Go gives "i"). */
function goToLower(s: string): string {
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : [...l][0]!;
  }
  return out;
}

/** SanitizeName: lower case, every rune outside [-a-z0-9.] becomes "-", at most 253 characters, and
 * leading/trailing "-" and "." trimmed. */
export function sanitizeName(name: string): string {
  let n = goToLower(name).replace(/[^-a-z0-9.]/gu, '-');
  if (n.length > 253) n = n.slice(0, 253);
  return n.replace(/^[-.]+|[-.]+$/g, '');
}
