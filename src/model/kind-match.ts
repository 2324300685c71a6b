/** Config lists kinds as `Kind` (any group) or `group/Kind` (`/Kind` or `core/Kind` for the core group). */
export function kindListed(list: readonly string[], group: string, kind: string): boolean {
  return list.some((entry) => {
    const slash = entry.lastIndexOf('/');
    if (slash < 0) return entry === kind;
    const g = entry.slice(0, slash);
    return entry.slice(slash + 1) === kind && (g === group || (group === '' && g === 'core'));
  });
}
