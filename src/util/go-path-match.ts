// Go's `path.Match`, ported line for line (go/src/path/match.go), because Argo CD's ApplicationSet
// git directory generator filters the repository's folders with it (applicationset/generators/git.go
// `filterApps`; contract §10). minimatch differs in every way that matters here: it expands braces,
// lets `**` cross folders and knows extglobs, so a pattern we would read as matching can match
// nothing in Argo CD, which then deletes every Application the generator made (issue 8 §6).
//
// Go strings are bytes: the port works on the UTF-8 bytes of both strings, decodes a rune only
// where Go does (`?` and character classes), and returns ErrBadPattern exactly where Go does. The
// caller decides what a malformed pattern means (Argo CD logs it and skips it: it matches nothing).

/** Go's `path.ErrBadPattern`: the pattern is malformed. */
export class GoBadPattern extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

export type GoMatchResult = { matched: boolean; err?: GoBadPattern };

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const QUESTION = 0x3f;
const RUNE_ERROR = 0xfffd;

const enc = new TextEncoder();

/** Go's utf8.DecodeRune over b[i:]: [rune, size]; [RuneError, 1] for an invalid byte, [RuneError, 0] at the end. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const n = b.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < n && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) return cont(1) ? [((c0 & 0x1f) << 6) | (b[i + 1]! & 0x3f), 2] : [RUNE_ERROR, 1];
  if (c0 >= 0xe0 && c0 <= 0xef) {
    // Go's accept ranges: E0 needs A0..BF (no overlong), ED needs 80..9F (no surrogates).
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2)) return [RUNE_ERROR, 1];
    return [((c0 & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f), 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return [RUNE_ERROR, 1];
    return [((c0 & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f), 4];
  }
  return [RUNE_ERROR, 1];
}

/** scanChunk: the next segment of the pattern, a non-star string possibly preceded by a star. */
function scanChunk(p: Uint8Array): { star: boolean; chunk: Uint8Array; rest: Uint8Array } {
  let star = false;
  while (p.length > 0 && p[0] === STAR) {
    p = p.subarray(1);
    star = true;
  }
  let inrange = false;
  for (let i = 0; i < p.length; i++) {
    switch (p[i]) {
      case BACKSLASH:
        // error check handled in matchChunk: bad pattern.
        if (i + 1 < p.length) i++;
        break;
      case LBRACKET:
        inrange = true;
        break;
      case RBRACKET:
        inrange = false;
        break;
      case STAR:
        if (!inrange) return { star, chunk: p.subarray(0, i), rest: p.subarray(i) };
        break;
    }
  }
  return { star, chunk: p, rest: p.subarray(p.length) };
}

type ChunkResult = { rest: Uint8Array; ok: boolean; err?: GoBadPattern };

/** getEsc: a possibly escaped character from the chunk, for a character class. */
function getEsc(chunk: Uint8Array): { r: number; chunk: Uint8Array; err?: GoBadPattern } {
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === RBRACKET) return { r: 0, chunk, err: new GoBadPattern() };
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) return { r: 0, chunk, err: new GoBadPattern() };
  }
  const [r, n] = decodeRune(chunk, 0);
  let err: GoBadPattern | undefined;
  if (r === RUNE_ERROR && n === 1) err = new GoBadPattern();
  const nchunk = chunk.subarray(n);
  if (nchunk.length === 0) err = new GoBadPattern();
  return { r, chunk: nchunk, err };
}

/** matchChunk: does the chunk match the beginning of s? Then the rest of s. After a failed match the
 * chunk is still read to the end, so that a malformed pattern is reported as Go reports it. */
function matchChunk(chunk: Uint8Array, s: Uint8Array): ChunkResult {
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === LBRACKET) {
      let r = 0;
      if (!failed) {
        const [rr, n] = decodeRune(s, 0);
        r = rr;
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === CARET) {
        negated = true;
        chunk = chunk.subarray(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === RBRACKET && nrange > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        const lo = getEsc(chunk);
        if (lo.err) return { rest: new Uint8Array(0), ok: false, err: lo.err };
        chunk = lo.chunk;
        let hi = lo.r;
        if (chunk[0] === DASH) {
          const h = getEsc(chunk.subarray(1));
          if (h.err) return { rest: new Uint8Array(0), ok: false, err: h.err };
          chunk = h.chunk;
          hi = h.r;
        }
        if (lo.r <= r && r <= hi) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === QUESTION) {
      if (!failed) {
        if (s[0] === SLASH) failed = true;
        const [, n] = decodeRune(s, 0);
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === BACKSLASH) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) return { rest: new Uint8Array(0), ok: false, err: new GoBadPattern() };
      }
      // default (and the escaped character after `\`): a literal byte.
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  if (failed) return { rest: new Uint8Array(0), ok: false };
  return { rest: s, ok: true };
}

/** Go's `path.Match(pattern, name)`: whether name matches the shell pattern as a whole, or
 * ErrBadPattern (then `matched` is false) when the pattern is malformed. */
export function goPathMatch(pattern: string, name: string): GoMatchResult {
  let p: Uint8Array = enc.encode(pattern);
  let n: Uint8Array = enc.encode(name);
  Pattern: while (p.length > 0) {
    const sc = scanChunk(p);
    const { star, chunk } = sc;
    p = sc.rest;
    if (star && chunk.length === 0) {
      // Trailing * matches rest of string unless it has a /.
      return { matched: n.indexOf(SLASH) < 0 };
    }
    // Look for match at current position.
    const m = matchChunk(chunk, n);
    // if we're the last chunk, make sure we've exhausted the name
    // otherwise we'll give a false result even if we could still match using the star
    if (m.ok && (m.rest.length === 0 || p.length > 0)) {
      n = m.rest;
      continue;
    }
    if (m.err) return { matched: false, err: m.err };
    if (star) {
      // Look for match skipping i+1 bytes. Cannot skip /.
      for (let i = 0; i < n.length && n[i] !== SLASH; i++) {
        const t = matchChunk(chunk, n.subarray(i + 1));
        if (t.ok) {
          // if we're the last chunk, make sure we exhausted the name
          if (p.length === 0 && t.rest.length > 0) continue;
          n = t.rest;
          continue Pattern;
        }
        if (t.err) return { matched: false, err: t.err };
      }
    }
    // Before returning false with no error, check that the remainder of the pattern is syntactically valid.
    while (p.length > 0) {
      const r = scanChunk(p);
      p = r.rest;
      const v = matchChunk(r.chunk, new Uint8Array(0));
      if (v.err) return { matched: false, err: v.err };
    }
    return { matched: false };
  }
  return { matched: n.length === 0 };
}
