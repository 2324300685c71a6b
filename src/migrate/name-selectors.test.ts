// The decision migrate makes for a file an Argo CD Application may select by name (issue 13): split
// only when every new name is selected exactly as the old one; anything undecided keeps the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_NAME_SELECTORS,
  nameSelectionVerdict,
  pathUnder,
  selectionChecker,
  type NameGuards,
  type NameSelector,
} from './name-selectors';

const sel = (over: Partial<NameSelector>): NameSelector => ({
  app: 'Application web',
  dir: 'apps/web',
  recurse: false,
  field: 'directory.include',
  glob: 'all.yaml',
  argoGlob: true,
  ...over,
});
const guards = (selectors: NameSelector[], rootInRepo = 'apps'): NameGuards => ({ rootInRepo, selectors, unknown: [] });
const NEW = ['deployment-web.yaml', 'service-web.yaml'];

test('include naming the old file: the file stays, with the Application and the glob', () => {
  assert.equal(
    nameSelectionVerdict(guards([sel({})]), 'web/all.yaml', NEW),
    'Application web selects files by name (directory.include: all.yaml); a new name would fall out of it (deployment-web.yaml)',
  );
});

test('include every new name still matches (*.yaml): split', () => {
  assert.equal(nameSelectionVerdict(guards([sel({ glob: '*.yaml' })]), 'web/all.yaml', NEW), undefined);
});

test('exclude that would catch a new name keeps the file; one that catches none lets it split', () => {
  const ex = (glob: string) => sel({ field: 'directory.exclude', glob });
  assert.match(
    nameSelectionVerdict(guards([ex('service-*.yaml')]), 'web/all.yaml', NEW) ?? '',
    /\(directory\.exclude: service-\*\.yaml\); a new name would fall into it \(service-web\.yaml\)$/,
  );
  assert.equal(nameSelectionVerdict(guards([ex('secret-*.yaml')]), 'web/all.yaml', NEW), undefined);
  // The old file excluded, and every new one too: Argo CD reads none of them before or after.
  assert.equal(nameSelectionVerdict(guards([ex('*')]), 'web/all.yaml', NEW), undefined);
});

test('a glob we cannot decide exactly, or a plugin parameter, keeps the file', () => {
  assert.match(
    nameSelectionVerdict(guards([sel({ glob: '{all.yaml,other.yaml}' })]), 'web/all.yaml', NEW) ?? '',
    /cannot decide exactly how Argo CD matches this glob$/,
  );
  assert.match(
    nameSelectionVerdict(
      guards([sel({ argoGlob: false, field: 'plugin parameter include', glob: '["*.yaml"]' })]),
      'web/all.yaml',
      NEW,
    ) ?? '',
    /plugin parameter include: \["\*\.yaml"\]\); migrate cannot tell/,
  );
});

test('recurse: a non-recursive app reads only its own folder; a recursive one matches the path under it', () => {
  assert.equal(pathUnder({ dir: 'apps', recurse: false }, 'apps/web/all.yaml'), undefined);
  assert.equal(pathUnder({ dir: 'apps', recurse: true }, 'apps/web/all.yaml'), 'web/all.yaml');
  assert.equal(pathUnder({ dir: '', recurse: false }, 'all.yaml'), 'all.yaml');
  assert.equal(pathUnder({ dir: 'app', recurse: true }, 'apps/x.yaml'), undefined);
  // Not recursive from the parent: the file is not the app's, so it splits.
  assert.equal(nameSelectionVerdict(guards([sel({ dir: 'apps' })]), 'web/all.yaml', NEW), undefined);
  // Recursive from the parent: `web/all.yaml` is the path Argo CD matches.
  assert.match(
    nameSelectionVerdict(guards([sel({ dir: 'apps', recurse: true, glob: 'web/all.yaml' })]), 'web/all.yaml', NEW) ??
      '',
    /fall out of it/,
  );
  assert.equal(
    nameSelectionVerdict(guards([sel({ dir: 'apps', recurse: true, glob: 'web/*' })]), 'web/all.yaml', NEW),
    undefined,
  );
});

test('an Application that could not be evaluated keeps every file; names are bounded', () => {
  const g: NameGuards = {
    rootInRepo: '',
    selectors: [],
    unknown: [{ app: 'ApplicationSet apps', why: 'could not be evaluated offline (x)' }],
  };
  assert.equal(
    nameSelectionVerdict(g, 'a/b.yaml', NEW),
    'ApplicationSet apps could not be evaluated offline (x); migrate does not guess',
  );
  const long =
    nameSelectionVerdict(guards([sel({ app: `Application ${'x'.repeat(500)}` })]), 'web/all.yaml', NEW) ?? '';
  assert.ok(long.length < 400, long);
  // A name or glob from the repository cannot carry a line break or an escape sequence to the terminal.
  const hostile =
    nameSelectionVerdict(
      guards([sel({ app: 'Application a\u001b[31m\nb', glob: 'all\u001b[0m\r\n' })]),
      'web/all.yaml',
      NEW,
    ) ?? '';
  assert.match(hostile, /cannot decide exactly/);
  assert.doesNotMatch(hostile, /[\u0000-\u001f]/);
});

test('bounded: past MAX_NAME_SELECTORS migrate refuses (exit 2) rather than weigh part of them', () => {
  const many = Array.from({ length: MAX_NAME_SELECTORS + 1 }, (_, i) => sel({ app: `Application a${i}` }));
  assert.throws(() => selectionChecker(guards(many)), /more than the 10000 migrate weighs/);
  // At the limit, a file far from every selector's folder is checked against none of them.
  const at = Array.from({ length: MAX_NAME_SELECTORS }, (_, i) => sel({ dir: `other/d${i}` }));
  assert.equal(selectionChecker(guards(at)).verdict('web/all.yaml', NEW), undefined);
});
