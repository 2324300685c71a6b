/** Maps offsets to 1-based line numbers. Offsets usually arrive in increasing order (documents, then
 * List items), so it counts forward from the last answer: linear in the file, never quadratic. */
export function lineCounter(text: string): (offset: number) => number {
  let lastOffset = 0;
  let lastLine = 1;
  return (offset: number) => {
    if (offset < lastOffset) {
      lastOffset = 0;
      lastLine = 1;
    }
    let i = text.indexOf('\n', lastOffset);
    while (i !== -1 && i < offset) {
      lastLine++;
      i = text.indexOf('\n', i + 1);
    }
    lastOffset = offset;
    return lastLine;
  };
}
