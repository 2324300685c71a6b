// A unified line diff (issue 12: a changed object shows its field changes as a unified diff of the
// YAML). No dependency of package.json has one, so this is Myers' O(ND) algorithm in its linear-space
// form: the middle snake found from both ends, then each half diffed in turn (E. Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986, section 4b; the loop follows diff-match-patch's
// diff_bisect). Memory is O(N + M) per level of the recursion, so one large ConfigMap cannot make it
// quadratic in space.

/** Work one middle-snake search may do (diagonals walked times the range's length) before it gives
 * up and the range is shown as all removed then all added: still a correct diff, no longer a shortest
 * one. Myers' time is O((N + M) D); two large, mostly different texts in a hostile render (a 50k-line
 * ConfigMap rewritten) would otherwise cost billions of steps. Objects of a few hundred lines never
 * come near it. */
const COST_LIMIT = 200_000_000;

export type LineOp = { op: ' ' | '-' | '+'; line: string };

/** The edit script from `a` to `b` as whole lines: common lines ' ', removed '-', added '+'; within a
 * changed block removals come before additions. A shortest script (fewest '-' and '+'). */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  // Lines as small integers, so the inner loops compare numbers.
  const ids = new Map<string, number>();
  const id = (s: string) => {
    let n = ids.get(s);
    if (n === undefined) ids.set(s, (n = ids.size));
    return n;
  };
  const x = Int32Array.from(a, id);
  const y = Int32Array.from(b, id);
  const removed = new Uint8Array(x.length);
  const added = new Uint8Array(y.length);
  diffRange(x, 0, x.length, y, 0, y.length, removed, added);
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && removed[i]) out.push({ op: '-', line: a[i++]! });
    else if (j < y.length && added[j]) out.push({ op: '+', line: b[j++]! });
    else {
      out.push({ op: ' ', line: a[i++]! });
      j++;
    }
  }
  return out;
}

function diffRange(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  removed: Uint8Array,
  added: Uint8Array,
): void {
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
    aLo++;
    bLo++;
  }
  while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
    aHi--;
    bHi--;
  }
  if (aLo === aHi || bLo === bHi) {
    for (let i = aLo; i < aHi; i++) removed[i] = 1;
    for (let j = bLo; j < bHi; j++) added[j] = 1;
    return;
  }
  const split = middleSnake(a, aLo, aHi, b, bLo, bHi);
  if (!split) {
    for (let i = aLo; i < aHi; i++) removed[i] = 1;
    for (let j = bLo; j < bHi; j++) added[j] = 1;
    return;
  }
  diffRange(a, aLo, aLo + split[0], b, bLo, bLo + split[1], removed, added);
  diffRange(a, aLo + split[0], aHi, b, bLo + split[1], bHi, removed, added);
}

/** Where a shortest path through the edit graph of a[aLo:aHi] and b[bLo:bHi] crosses its middle, as
 * offsets into the two ranges; undefined when the ranges share no line. */
function middleSnake(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
): [number, number] | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const off = maxD;
  const len = 2 * maxD + 2;
  const v1 = new Int32Array(len).fill(-1);
  const v2 = new Int32Array(len).fill(-1);
  v1[off + 1] = 0;
  v2[off + 1] = 0;
  const delta = n - m;
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    if (d * (n + m) > COST_LIMIT) return undefined;
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = off + k1;
      let x1 = k1 === -d || (k1 !== d && v1[k1o - 1]! < v1[k1o + 1]!) ? v1[k1o + 1]! : v1[k1o - 1]! + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1++;
        y1++;
      }
      v1[k1o] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2o = off + delta - k1;
        if (k2o >= 0 && k2o < len && v2[k2o] !== -1 && x1 >= n - v2[k2o]!) return [x1, y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = off + k2;
      let x2 = k2 === -d || (k2 !== d && v2[k2o - 1]! < v2[k2o + 1]!) ? v2[k2o + 1]! : v2[k2o - 1]! + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[aHi - x2 - 1] === b[bHi - y2 - 1]) {
        x2++;
        y2++;
      }
      v2[k2o] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1o = off + delta - k2;
        if (k1o >= 0 && k1o < len && v1[k1o] !== -1) {
          const x1 = v1[k1o]!;
          const y1 = off + x1 - k1o;
          if (x1 >= n - x2) return [x1, y1];
        }
      }
    }
  }
  return undefined;
}

/** `git diff`'s unified format for one pair of texts: `@@ -l,s +l,s @@` hunks with `context` common
 * lines around each change; hunks closer than twice the context merge. Empty when the texts are equal. */
export function unifiedDiff(a: string, b: string, context = 3): string {
  const ops = diffLines(splitLines(a), splitLines(b));
  const changes: number[] = [];
  ops.forEach((o, i) => o.op !== ' ' && changes.push(i));
  if (!changes.length) return '';
  // Line numbers (1-based) of each op in a and b.
  const lineA: number[] = [];
  const lineB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const o of ops) {
    lineA.push(la);
    lineB.push(lb);
    if (o.op !== '+') la++;
    if (o.op !== '-') lb++;
  }
  let out = '';
  let c = 0;
  while (c < changes.length) {
    const start = Math.max(0, changes[c]! - context);
    let end = changes[c]!;
    while (c + 1 < changes.length && changes[c + 1]! - end <= 2 * context) end = changes[++c]!;
    c++;
    const stop = Math.min(ops.length, end + context + 1);
    let sa = 0;
    let sb = 0;
    let body = '';
    for (let i = start; i < stop; i++) {
      const o = ops[i]!;
      if (o.op !== '+') sa++;
      if (o.op !== '-') sb++;
      body += `${o.op}${o.line}\n`;
    }
    // As diff(1): an empty range is numbered by the line before it.
    const from = sa ? lineA[start]! : lineA[start]! - 1;
    const to = sb ? lineB[start]! : lineB[start]! - 1;
    out += `@@ -${from},${sa} +${to},${sb} @@\n${body}`;
  }
  return out;
}

/** Lines of a text without their line breaks; a final line break does not make an empty last line. */
export function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
