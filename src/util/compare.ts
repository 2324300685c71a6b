/** Orders strings by UTF-16 code unit, as Go's sort.Strings and Array.prototype.sort() do: never by the
 * locale, so output and lock files are the same on every machine. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
