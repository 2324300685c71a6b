// `git ls-files -- PATTERN`, as Argo CD's ApplicationSet files generator runs it: a table checked
// against real git, and a property run that compares the port with the git binary on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { gitPathspecMatch, gitWildmatch } from './git-pathspec';

const FILES = [
  'apps/web/config.json',
  'apps/api/config.json',
  'apps/api/prod/config.json',
  'apps/config.json',
  'apps/.hidden/config.json',
  'apps/web/values.yaml',
  'clusters/a.yaml',
  'clusters/b.yml',
  'top.json',
  'apps/{web,api}/config.json',
  'apps/w[e]b/x.json',
  'apps/a*b/c.json',
  'apps/UP/config.json',
  'apps/1/config.json',
];

type Row = [spec: string, expected: string[] | 'unsupported'];
const TABLE: Row[] = [
  [
    'apps/*/config.json',
    [
      'apps/web/config.json',
      'apps/api/config.json',
      'apps/api/prod/config.json',
      'apps/.hidden/config.json',
      'apps/{web,api}/config.json',
      'apps/UP/config.json',
      'apps/1/config.json',
    ],
  ],
  [
    'apps/*.json',
    [
      'apps/web/config.json',
      'apps/api/config.json',
      'apps/api/prod/config.json',
      'apps/config.json',
      'apps/.hidden/config.json',
      'apps/{web,api}/config.json',
      'apps/w[e]b/x.json',
      'apps/a*b/c.json',
      'apps/UP/config.json',
      'apps/1/config.json',
    ],
  ],
  [
    'apps/**/config.json',
    [
      'apps/web/config.json',
      'apps/api/config.json',
      'apps/api/prod/config.json',
      'apps/.hidden/config.json',
      'apps/{web,api}/config.json',
      'apps/UP/config.json',
      'apps/1/config.json',
    ],
  ],
  ['apps/{web,api}/config.json', ['apps/{web,api}/config.json']],
  ['apps/web', ['apps/web/config.json', 'apps/web/values.yaml']],
  ['apps/web/', ['apps/web/config.json', 'apps/web/values.yaml']],
  ['./apps//web/../api/config.json', ['apps/api/config.json']],
  ['apps/we', []],
  ['clusters/*.yaml', ['clusters/a.yaml']],
  ['clusters/?.y*ml', ['clusters/a.yaml', 'clusters/b.yml']],
  ['apps/[[:upper:]]*/config.json', ['apps/UP/config.json']],
  ['apps/[![:alpha:]]/config.json', ['apps/1/config.json']],
  [
    'apps/[^a-z]*/config.json',
    ['apps/.hidden/config.json', 'apps/{web,api}/config.json', 'apps/UP/config.json', 'apps/1/config.json'],
  ],
  ['apps/a\\*b/c.json', ['apps/a*b/c.json']],
  ['apps/[', []],
  ['', FILES],
  ['.', FILES],
  [':(glob)apps/*/config.json', 'unsupported'],
  [':!apps', 'unsupported'],
  ['/apps/web', 'unsupported'],
  ['../x', 'unsupported'],
];

function listed(spec: string): string[] | 'unsupported' {
  const out: string[] = [];
  for (const f of FILES) {
    const r = gitPathspecMatch(spec, f);
    if ('unsupported' in r) return 'unsupported';
    if (r.matched) out.push(f);
  }
  return out;
}

test('gitPathspecMatch: what git ls-files lists for ApplicationSet file patterns', () => {
  for (const [spec, want] of TABLE) assert.deepEqual(listed(spec), want, JSON.stringify(spec));
});

test('gitWildmatch: wildmatch without WM_PATHNAME', () => {
  const rows: [string, string, boolean][] = [
    ['*', 'a/b', true],
    ['a?b', 'a/b', true],
    ['a[/]b', 'a/b', true],
    ['a[!/]b', 'a/b', false],
    ['[a-c]x', 'bx', true],
    ['[c-a]x', 'bx', false],
    ['[]]', ']', true],
    ['[!]]', 'a', true],
    ['[a-]', '-', true],
    ['[[:digit:][:upper:]]', 'Q', true],
    ['[[:nope:]]', 'n', false],
    ['[[:alpha:]', 'a', false],
    ['x\\', 'x', false],
    ['**/x', 'x', false],
    ['**/x', 'a/x', true],
    ['a*', 'a', true],
    ['*a*', 'bab', true],
    ['é*', 'éa', true],
  ];
  for (const [p, t, want] of rows) assert.equal(gitWildmatch(p, t), want, `${p} ${t}`);
});

// The port against the real thing: random patterns over a fixed tree, listed by `git ls-files`.
test('gitPathspecMatch agrees with git ls-files on random patterns', () => {
  const repo = mkdtempSync(join(tmpdir(), 'pathspec-'));
  try {
    for (const f of FILES) {
      mkdirSync(join(repo, dirname(f)), { recursive: true });
      writeFileSync(join(repo, f), '{}');
    }
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_LITERAL_PATHSPECS: '',
          GIT_GLOB_PATHSPECS: '',
          GIT_NOGLOB_PATHSPECS: '',
          GIT_ICASE_PATHSPECS: '',
        },
      });
    git('init', '-q');
    git('add', '-A');
    const atom = fc.constantFrom(
      'apps',
      'web',
      'api',
      'config',
      '.json',
      '/',
      '*',
      '**',
      '?',
      '[a-z]',
      '[!a]',
      '[[:alpha:]]',
      '\\*',
      'e',
      '.',
      '{',
      ',',
      '}',
      'UP',
      '1',
      '[',
      ']',
    );
    fc.assert(
      fc.property(
        fc.array(atom, { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
        (spec) => {
          if (spec.startsWith('/') || spec.startsWith(':') || spec.split('/').includes('..')) return;
          let want: string[];
          try {
            want = git('ls-files', '--full-name', '-z', '--', spec).split('\0').filter(Boolean).sort();
          } catch {
            return; // git refused the pathspec: Argo CD's generator errors, nothing to compare
          }
          const got = listed(spec);
          assert.notEqual(got, 'unsupported');
          assert.deepEqual([...(got as string[])].sort(), want, JSON.stringify(spec));
        },
      ),
      { seed: 9_5, numRuns: 300 },
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
