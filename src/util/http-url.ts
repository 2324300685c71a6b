// An absolute http(s) URL used as a base that a relative path is appended to (the runbook links of
// issue 14: ci's --runbook-url, SAFE_RENDER_RUNBOOK_URL, the policy's runbookUrl).

/** `v` as a base ending in "/", or undefined when it is not an absolute http(s) URL. Whitespace and
 * control characters are refused: the base is printed in front of every runbook link on stderr. */
export function httpBase(v: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(v) || v.length > 2048) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  return v.endsWith('/') ? v : `${v}/`;
}
