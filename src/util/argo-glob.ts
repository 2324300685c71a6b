// Argo CD's `directory.include` / `directory.exclude` matching, for the patterns whose answer we know
// exactly (issue 13, migrate). Argo CD matches the path of each file relative to the app folder
// (reposerver/repository/repository.go getPotentiallyValidManifestFile: `glob.Match(exclude, relPath)`,
// then `!glob.Match(include, relPath)`) with util/glob/glob.go Match, which compiles the pattern with
// github.com/gobwas/glob v0.2.3 and NO separators: `*` crosses `/`, and a pattern that does not
// compile matches nothing (Match logs and returns false).
//
// gobwas v0.2.3's compiled matchers differ from its documented syntax in places (gobwas/glob issues
// #23, #50, #61, #62, #66: alternatives, and `start*art` matching "start"), so a full reimplementation
// of the syntax would be a guess. Only the shapes whose compiled matcher we read are decided here
// (compiler/compiler.go optimizeMatcher; match/text.go, prefix.go, suffix.go, prefix_suffix.go,
// super.go): plain text (Text: equality), `*` or `**` alone (Super: anything), `p*`, `*s` and `p*s`
// (Prefix, Suffix, PrefixSuffix: HasPrefix && HasSuffix, which is why `start*art` matches "start").
// Every other pattern (`?`, `[..]`, `{..}`, `\`, more than one `*` run) is undecided: the caller must
// then assume nothing.

// With the u flag a pair of surrogates is one code point: only a lone one is \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

/** Longest pattern decided; a longer one is undecided (it comes from the repository). */
export const ARGO_GLOB_MAX_LENGTH = 1024;

export type ArgoGlob =
  { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'prefix-suffix'; prefix: string; suffix: string };

/** The matcher gobwas v0.2.3 compiles `pattern` to (no separators), or undefined when the pattern is
 * outside the shapes we decide. */
export function argoGlob(pattern: string): ArgoGlob | undefined {
  if (pattern.length > ARGO_GLOB_MAX_LENGTH) return undefined;
  // `?`, `[`, `{` and `\` open syntax whose compiled behaviour we do not model. A lone surrogate is
  // not UTF-8: gobwas's lexer fails on it ("could not read rune") and the pattern matches nothing; we
  // do not claim to know what YAML decoding made of it either.
  if (/[?[{\\]/.test(pattern) || LONE_SURROGATE.test(pattern)) return undefined;
  const runs = pattern.match(/\*+/g) ?? [];
  if (runs.length === 0) return { kind: 'text', text: pattern };
  // `*` is Any (no separators, so optimizeMatcher makes it Super) and `**` Super; `***` lexes as
  // Super then Any, two matchers, a shape we do not decide.
  if (runs.length > 1 || runs[0]!.length > 2) return undefined;
  const at = pattern.indexOf('*');
  const prefix = pattern.slice(0, at);
  const suffix = pattern.slice(at + runs[0]!.length);
  if (prefix === '' && suffix === '') return { kind: 'any' };
  return { kind: 'prefix-suffix', prefix, suffix };
}

/** Whether Argo CD's glob.Match(pattern, text) is true, or undefined when we cannot tell exactly. */
export function argoGlobMatch(pattern: string, text: string): boolean | undefined {
  const g = argoGlob(pattern);
  if (!g) return undefined;
  switch (g.kind) {
    case 'text':
      return text === g.text;
    case 'any':
      return true;
    case 'prefix-suffix':
      // Go compares bytes, JS UTF-16 code units: for well-formed strings prefix and suffix tests agree.
      if (LONE_SURROGATE.test(text)) return undefined;
      return text.startsWith(g.prefix) && text.endsWith(g.suffix);
  }
}
