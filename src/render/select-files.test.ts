// Which files of an app directory are manifests, in-process: Argo CD's directory include/exclude
// (a pattern without "/" matches a file in any folder), the extensions it reads, our own config
// file left out, globs that leave the app refused, and an order that never depends on the disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UsageError } from '../util/errors';
import { DEFAULT_CONFIG, type AppConfig } from '../config/app-config';
import { checkGlobs, selectManifestFiles } from './select-files';
import { byCodeUnit } from '../util/compare';

const cfg = (include: string[] = [], exclude: string[] = []): AppConfig => ({ ...DEFAULT_CONFIG, include, exclude });
const FILES = [
  'a.yaml',
  'b.yml',
  'c.json',
  'D.YAML',
  'e.Json',
  'notes.txt',
  'README.md',
  'safe-render.yaml',
  'x.yaml.bak',
  '.hidden.yaml',
  'sub/f.yaml',
  'sub/g.json',
  'sub/safe-render.yaml',
  'sub/deep/h.yaml',
  'prod/i.yaml',
  'prod/skip/j.yaml',
  'test-k.yaml',
  'sub/test-l.yaml',
];

test('selectManifestFiles: a table of include/exclude and the files they select', () => {
  const rows: Array<[string[], string[], string[]]> = [
    [
      [],
      [],
      [
        '.hidden.yaml',
        'D.YAML',
        'a.yaml',
        'b.yml',
        'c.json',
        'e.Json',
        'prod/i.yaml',
        'prod/skip/j.yaml',
        'sub/deep/h.yaml',
        'sub/f.yaml',
        'sub/g.json',
        'sub/safe-render.yaml',
        'sub/test-l.yaml',
        'test-k.yaml',
      ],
    ],
    [
      ['*.yaml'],
      [],
      [
        'a.yaml',
        'prod/i.yaml',
        'prod/skip/j.yaml',
        'sub/deep/h.yaml',
        'sub/f.yaml',
        'sub/safe-render.yaml',
        'sub/test-l.yaml',
        'test-k.yaml',
      ],
    ],
    [['*.json'], [], ['c.json', 'sub/g.json']],
    [['sub/*'], [], ['sub/f.yaml', 'sub/g.json', 'sub/safe-render.yaml', 'sub/test-l.yaml']],
    [['sub/**'], [], ['sub/deep/h.yaml', 'sub/f.yaml', 'sub/g.json', 'sub/safe-render.yaml', 'sub/test-l.yaml']],
    [['sub/**/*.yaml'], [], ['sub/deep/h.yaml', 'sub/f.yaml', 'sub/safe-render.yaml', 'sub/test-l.yaml']],
    [['{a,b}.*'], [], ['a.yaml', 'b.yml']],
    [['a.yaml', 'c.json'], [], ['a.yaml', 'c.json']],
    [['nothing-*'], [], []],
    [
      [],
      ['test-*'],
      [
        '.hidden.yaml',
        'D.YAML',
        'a.yaml',
        'b.yml',
        'c.json',
        'e.Json',
        'prod/i.yaml',
        'prod/skip/j.yaml',
        'sub/deep/h.yaml',
        'sub/f.yaml',
        'sub/g.json',
        'sub/safe-render.yaml',
      ],
    ],
    [['prod/**'], ['prod/skip/*'], ['prod/i.yaml']],
    [['*.yaml'], ['*.yaml'], []],
    [[], ['**'], ['.hidden.yaml']], // dot: false: a glob's `*` does not match a leading "." (minimatch's rule)
    [
      ['*'],
      [],
      [
        'D.YAML',
        'a.yaml',
        'b.yml',
        'c.json',
        'e.Json',
        'prod/i.yaml',
        'prod/skip/j.yaml',
        'sub/deep/h.yaml',
        'sub/f.yaml',
        'sub/g.json',
        'sub/safe-render.yaml',
        'sub/test-l.yaml',
        'test-k.yaml',
      ],
    ],
    [['#x'], [], []], // not a comment
    [['[ab].y*ml'], [], ['a.yaml', 'b.yml']],
  ];
  for (const [include, exclude, want] of rows)
    assert.deepEqual(selectManifestFiles(FILES, cfg(include, exclude)), want, JSON.stringify([include, exclude]));
});

test("selectManifestFiles: only the app's own safe-render.yaml is left out; other extensions never read", () => {
  assert.deepEqual(
    selectManifestFiles(
      ['safe-render.yaml', 'safe-render.yml', 'x/safe-render.yaml', 'a.yaml~', 'a.yamll', 'ayaml', 'a.', 'a.YmL'],
      cfg(),
    ),
    ['a.YmL', 'safe-render.yml', 'x/safe-render.yaml'],
  );
});

test('selectManifestFiles: the result is the same whatever order the disk lists files in (property, fixed seed)', () => {
  fc.assert(
    fc.property(fc.shuffledSubarray(FILES), (files) => {
      const out = selectManifestFiles(files, cfg());
      assert.deepEqual(out, [...out].sort(byCodeUnit));
      assert.deepEqual(out, selectManifestFiles([...files].reverse(), cfg()));
    }),
    { seed: 10_003, numRuns: 200 },
  );
});

test('byCodeUnit: UTF-16 code units, never the locale', () => {
  const rows: Array<[string, string, number]> = [
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['B', 'a', -1],
    ['a', 'é', -1],
    ['z', 'é', -1],
    ['a/b', 'a-b', 1],
    ['', 'a', -1],
    ['\u{1F600}', '\uFFFF', -1],
  ];
  for (const [a, b, want] of rows) assert.equal(byCodeUnit(a, b), want, `${a} ${b}`);
});

test('checkGlobs: a glob may not leave the app directory', () => {
  const refused = ['/etc/*', '../x/*.yaml', 'a/../../b', '..', 'a/..'];
  for (const g of refused) {
    assert.throws(
      () => checkGlobs(cfg([g])),
      (e: unknown) =>
        e instanceof UsageError && e.message.includes(JSON.stringify(g)) && /leaves the app directory/.test(e.message),
      g,
    );
    assert.throws(() => checkGlobs(cfg([], [g])), UsageError, g);
  }
  for (const g of ['*.yaml', 'a/**', '..x/*', 'x../y', '.../z', './a.yaml'])
    assert.doesNotThrow(() => checkGlobs(cfg([g], [g])), g);
});

test('selectManifestFiles: a hostile glob is refused before it is matched', () => {
  assert.throws(() => selectManifestFiles(['a.yaml'], cfg(['*a*a*a*b'])), UsageError);
  assert.throws(() => selectManifestFiles(['a.yaml'], cfg([], ['{1..1000}'])), UsageError);
});
