// Argo CD's directory include/exclude globs (gobwas/glob v0.2.3, no separators), decided only for the
// shapes whose compiled matcher we read; everything else is undecided.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { argoGlob, argoGlobMatch } from './argo-glob';

test('the decided shapes match as gobwas v0.2.3 compiles them', () => {
  const rows: [string, string, boolean][] = [
    ['all.yaml', 'all.yaml', true],
    ['all.yaml', 'deployment-web.yaml', false],
    ['all.yaml', 'sub/all.yaml', false],
    ['*.yaml', 'deployment-web.yaml', true],
    ['*.yaml', 'sub/deployment-web.yaml', true], // no separators: `*` crosses `/`
    ['*.yaml', 'all.yml', false],
    ['**', 'a/b/c.json', true],
    ['*', '', true],
    ['service-*.yaml', 'service-web.yaml', true],
    ['service-*.yaml', 'deployment-web.yaml', false],
    ['prod/*', 'prod/a.yaml', true],
    ['prod/**', 'stage/a.yaml', false],
    // PrefixSuffix is HasPrefix && HasSuffix: the prefix and suffix may overlap (gobwas/glob #61).
    ['start*art', 'start', true],
    ['a,b}.yaml', 'a,b}.yaml', true], // `,` and `}` outside braces are text
  ];
  for (const [pattern, text, want] of rows) assert.equal(argoGlobMatch(pattern, text), want, `${pattern} ~ ${text}`);
});

test('every other shape is undecided, never guessed', () => {
  for (const p of [
    '{a.yaml,b.yaml}',
    '*.{yaml,yml}',
    'a?.yaml',
    '[ab].yaml',
    'a\\*.yaml',
    '*a*',
    '***',
    'x'.repeat(1025),
    'a\ud800',
  ])
    assert.equal(argoGlob(p), undefined, p);
  assert.equal(argoGlobMatch('*.yaml', 'a\udc00.yaml'), undefined);
});

test('property: a plain name matches itself and nothing else; `*` + suffix matches every name with it', () => {
  const name = fc.stringMatching(/^[a-z0-9._/-]{1,30}$/);
  fc.assert(
    fc.property(name, name, (a, b) => {
      assert.equal(argoGlobMatch(a, b), a === b);
      assert.equal(argoGlobMatch(`*${a}`, `${b}${a}`), true);
      assert.equal(argoGlobMatch(`${a}*`, `${a}${b}`), true);
    }),
    { seed: 13, numRuns: 300 },
  );
});
