// File names made from identities (lock files, one-object-per-file output). They must be injective over
// every string we accept (issue 9 §2): two different identities never share a file, whatever case,
// `%`, `.`, `_`, unicode or lone surrogates they hold. The encoding is ASCII only, so no file system's
// Unicode normalisation (macOS) or case folding beyond ASCII letters can merge two names.
import { createHash } from 'node:crypto';
import { NAME_MAX_BYTES } from './safe-write';

const hex2 = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** Percent-encodes every code point that `keep` (a one-character test) does not accept: as the %XX of
 * its UTF-8 bytes, or `%uXXXX` for a lone UTF-16 surrogate (which has no UTF-8 form; `u` is not a hex
 * digit, so the two forms cannot be confused). `%` must not be kept, which makes the encoding injective. */
export function percentEncode(s: string, keep: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (ch !== '%' && keep.test(ch)) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) out += `%u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else for (const b of Buffer.from(ch, 'utf8')) out += hex2(b);
  }
  return out;
}

/** The inverse of percentEncode; undefined for text that percentEncode cannot have produced. */
export function percentDecode(s: string): string | undefined {
  const bytes: number[] = [];
  let out = '';
  const flush = (): boolean => {
    if (!bytes.length) return true;
    const buf = Buffer.from(bytes);
    const text = buf.toString('utf8');
    bytes.length = 0;
    if (!Buffer.from(text, 'utf8').equals(buf)) return false;
    out += text;
    return true;
  };
  for (let i = 0; i < s.length;) {
    if (s[i] !== '%') {
      if (!flush()) return undefined;
      out += s[i++];
      continue;
    }
    const m = /^%(?:u([0-9A-F]{4})|([0-9A-F]{2}))/.exec(s.slice(i, i + 6));
    if (!m) return undefined;
    if (m[1] !== undefined) {
      if (!flush()) return undefined;
      out += String.fromCharCode(parseInt(m[1], 16));
    } else {
      bytes.push(parseInt(m[2]!, 16));
    }
    i += m[0].length;
  }
  return flush() ? out : undefined;
}

/** Marks a shortened name; every encoder here escapes `~`, so a name holding it was shortened. */
export const SHORTENED_MARK = '~';

/** `name + suffix` when it fits in one file name component (255 bytes), else a readable prefix of
 * `name`, `~` and the SHA-256 of the whole `name`, then `suffix`. `name` must be the ASCII output of
 * percentEncode with `~` escaped: a shortened name then never equals an unshortened one, and two
 * shortened names are equal only if their full names collide under SHA-256. */
export function fitComponent(name: string, suffix = ''): string {
  if (name.length + suffix.length <= NAME_MAX_BYTES) return name + suffix;
  const digest = createHash('sha256').update(name).digest('hex');
  const room = NAME_MAX_BYTES - suffix.length - SHORTENED_MARK.length - digest.length;
  // Do not cut an escape in half: the prefix is for people and should decode.
  const prefix = name.slice(0, room).replace(/%(?:u[0-9A-F]{0,3}|[0-9A-F]?)$/, '');
  return `${prefix}${SHORTENED_MARK}${digest}${suffix}`;
}
