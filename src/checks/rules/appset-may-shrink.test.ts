import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, parseJsonStream, writeFiles } from '../../../test/helpers';
import {
  applicationSet,
  assertClean,
  assertLocked,
  assertRefused,
  generate,
  lock,
  REPO_URL,
  type App,
} from '../../../test/lock-helpers';

const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };

const appset = (generators: string, preserve?: boolean) => applicationSet({ generators, preserve });

const LIST = (elements: string) => `- list:\n    elements: ${elements}\n`;

test('an ApplicationSet whose list generator is empty is refused, with the deliberate way to retire it', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[]')) });
  const lines = assertRefused(generate(repo, ROOT), 'appset-may-shrink');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^error\[appset-may-shrink\] argoproj\.io\/ApplicationSet argocd\/shops \(apps\/root\/shops\.yaml:1\): yields no Applications: list generator has no elements; the controller would delete the Applications it made/,
  );
  assert.match(lines[0]!, /kubectl delete appset NAME --cascade=orphan/);
});

test('a list generator with elements passes', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[{name: eu}, {name: us}]')) });
  const r = generate(repo, ROOT);
  assertClean(r);
  assert.equal(parseJsonStream(r.stdout).length, 1);
});

test('a same-repository git generator is evaluated against the repository', () => {
  const git = (path: string) =>
    `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories:\n      - path: '${path}'\n`;
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(git('shops/*')), 'shops/eu/cm.yaml': 'x: 1\n' });
  assertClean(generate(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(git('shop/*')) });
  assert.match(
    assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!,
    /git directories \["shop\/\*"\] match no folder in the repository/,
  );
});

test('a generator that cannot be checked offline needs preserveResourcesOnDeletion', () => {
  const clusters = '- clusters:\n    selector: {matchLabels: {env: prod}}\n';
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(clusters) });
  assert.match(
    assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!,
    /cannot be checked offline \(clusters generator depends on the live cluster or an external service\) and syncPolicy\.preserveResourcesOnDeletion is not true/,
  );
  writeFiles(repo, { 'apps/root/shops.yaml': appset(clusters, true) });
  assertClean(generate(repo, ROOT));
});

test('a matrix with an empty child is empty; preserveResourcesOnDeletion does not excuse an empty generator', () => {
  const matrix = `- matrix:\n    generators:\n      - list:\n          elements: [{name: eu}]\n      - list:\n          elements: []\n`;
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(matrix, true) });
  assert.match(
    assertRefused(generate(repo, ROOT), 'appset-may-shrink')[0]!,
    /yields no Applications: matrix: list generator has no elements/,
  );
});

test('lock will not record an ApplicationSet that may shrink', () => {
  const repo = makeRepo({ 'apps/root/shops.yaml': appset(LIST('[{name: eu}]')) });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(LIST('[]')) });
  const r = lock(repo, ROOT);
  assertRefused(r, 'appset-may-shrink');
  assert.match(r.stderr, /the lock was not written/);
});

// ---- Argo CD's own semantics for generators (issue 8 §6, issue 9 §5, contract §10) ----

const GIT_DIRS = (...entries: string[]) =>
  `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories:\n${entries.map((e) => `      - ${e}\n`).join('')}`;
const GIT_FILES = (...entries: string[]) =>
  `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    files:\n${entries.map((e) => `      - ${e}\n`).join('')}`;
const SHOPS = { 'shops/eu/cm.yaml': 'x: 1\n', 'shops/us/cm.yaml': 'x: 1\n', 'shops/us/prod/cm.yaml': 'x: 1\n' };
const withSyncPolicy = (yaml: string, lines: string) =>
  yaml.replace('  template:\n', `  syncPolicy:\n${lines}  template:\n`);
const refusal = (repo: string) => assertRefused(generate(repo, ROOT), 'appset-may-shrink');

test('git directory patterns are read with Go path.Match: patterns minimatch would match, Argo CD does not, are refused', () => {
  for (const pattern of [
    'shops/{eu,us}',
    'shops/**/prod/..',
    'shops/@(eu|us)',
    'shops/+(eu)',
    'shops/**/cm',
    'shops/eu/',
    './shops/*',
    '/shops/*',
  ]) {
    const repo = makeRepo({ ...SHOPS, 'apps/root/shops.yaml': appset(GIT_DIRS(`path: '${pattern}'`)) });
    const [line] = refusal(repo);
    assert.match(line!, /yields no Applications: git directories \[.*\] match no folder in the repository/, pattern);
  }
});

test('a malformed git directory pattern matches nothing, as Argo CD skips it (and says so)', () => {
  for (const pattern of ['shops/[', 'shops/[eu', 'shops/*[', 'shops/eu\\', 'shops/[]]', 'shops/[-x]']) {
    const repo = makeRepo({
      ...SHOPS,
      'shops/[/cm.yaml': 'x: 1\n',
      'apps/root/shops.yaml': appset(GIT_DIRS(`path: '${pattern}'`)),
    });
    assert.match(refusal(repo)[0]!, /malformed for Go's path\.Match, so Argo CD skips it/, pattern);
  }
});

test('Go path.Match patterns that do match pass: *, ?, classes, two levels', () => {
  for (const pattern of ['shops/*', 'shops/?u', 'shops/[a-f]*', 'shops/[^x]s', 'shops/*/prod', 'shops/**', '*/eu']) {
    assertClean(generate(makeRepo({ ...SHOPS, 'apps/root/shops.yaml': appset(GIT_DIRS(`path: '${pattern}'`)) }), ROOT));
  }
});

test('any matching exclude: true wins, in whatever order the entries come', () => {
  for (const entries of [
    ["{path: 'shops/*'}", "{path: 'shops/*', exclude: true}"],
    ["{path: 'shops/*', exclude: true}", "{path: 'shops/*'}"],
    ["{path: 'shops/eu'}", "{path: 'shops/us'}", "{path: 'shops/?[su]', exclude: true}"],
  ]) {
    const repo = makeRepo({ ...SHOPS, 'apps/root/shops.yaml': appset(GIT_DIRS(...entries)) });
    assert.match(refusal(repo)[0]!, /every folder they match is excluded by an exclude: true entry/, entries.join(' '));
  }
  const repo = makeRepo({
    ...SHOPS,
    'apps/root/shops.yaml': appset(
      GIT_DIRS("{path: 'shops/*', exclude: true}", "{path: 'shops/*'}", "{path: 'shops/us/*'}"),
    ),
  });
  assertClean(generate(repo, ROOT));
});

test('hidden folders and symlinked folders are not listed by Argo CD; the policy can include hidden ones', () => {
  const repo = makeRepo({
    '.shops/eu/cm.yaml': 'x: 1\n',
    'real/eu/cm.yaml': 'x: 1\n',
    'apps/root/shops.yaml': appset(GIT_DIRS("path: '.shops/*'")),
  });
  assert.match(refusal(repo)[0]!, /Argo CD does not list hidden folders/);
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_DIRS("path: 'real/*/..'")) });
  refusal(repo);
  // A folder inside a hidden one is hidden too (WalkDir skips the whole subtree).
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_DIRS("path: '.shops/eu'")) });
  refusal(repo);
  const policy = join(repo, 'policy.yaml');
  writeFileSync(policy, 'default: {}\nargocd:\n  applicationSet: {includeHiddenDirectories: true}\n');
  assertClean(generate(repo, ROOT, { SAFE_RENDER_POLICY: policy }));
  // A symlink to a folder is not a folder for filepath.WalkDir.
  symlinkSync('real', join(repo, 'linked'));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_DIRS("path: 'linked'")) });
  refusal(repo);
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_DIRS("path: 'real'")) });
  assertClean(generate(repo, ROOT));
  // Git has no empty folders: one that holds no file (at any depth) is not in Argo CD's checkout.
  mkdirSync(join(repo, 'empty/a/b'), { recursive: true });
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_DIRS("path: 'empty/*'")) });
  refusal(repo);
  writeFiles(repo, { 'empty/a/b/.gitkeep': '' });
  assertClean(generate(repo, ROOT));
});

test('git files patterns are read as git ls-files pathspecs: * crosses folders, a folder lists its files, braces do not exist', () => {
  const files = { 'clusters/eu/config.json': '{}\n', 'clusters/us/prod/config.json': '{}\n', '.hidden/x.json': '{}\n' };
  for (const pattern of [
    'clusters/*/config.json',
    'clusters/*.json',
    'clusters',
    'clusters/',
    'clusters/**/prod/config.json',
    '.hidden/*.json',
    '*/x.json',
  ]) {
    assertClean(
      generate(makeRepo({ ...files, 'apps/root/shops.yaml': appset(GIT_FILES(`path: '${pattern}'`)) }), ROOT),
    );
  }
  for (const pattern of [
    'clusters/{eu,us}/config.json',
    'cluster',
    'clusters/*.yaml',
    'clusters/[',
    'clusters/eu/config.json/x',
  ]) {
    const [line] = refusal(makeRepo({ ...files, 'apps/root/shops.yaml': appset(GIT_FILES(`path: '${pattern}'`)) }));
    assert.match(line!, /git files \[.*\] match no file in the repository \(as git ls-files reads them\)/, pattern);
  }
  // Exclusions remove what an include listed.
  const repo = makeRepo({
    ...files,
    'apps/root/shops.yaml': appset(GIT_FILES("path: 'clusters/*.json'", "{path: 'clusters/*', exclude: true}")),
  });
  refusal(repo);
  // Directories win over files: with both, Argo CD reads only the directories.
  writeFiles(repo, {
    'apps/root/shops.yaml': appset(`${GIT_DIRS("path: 'nothing/*'")}    files:\n      - path: 'clusters/*.json'\n`),
  });
  assert.match(refusal(repo)[0]!, /git directories \["nothing\/\*"\]/);
  // Pathspec magic is not evaluated: it needs preserveResourcesOnDeletion.
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_FILES("path: ':(glob)clusters/**/config.json'")) });
  assert.match(
    refusal(repo)[0]!,
    /cannot be checked offline \(git file ":\(glob\)clusters\/\*\*\/config\.json" uses pathspec magic\)/,
  );
  const policy = join(repo, 'policy.yaml');
  writeFileSync(policy, 'default: {}\nargocd:\n  applicationSet: {newGitFileGlobbing: true}\n');
  writeFiles(repo, { 'apps/root/shops.yaml': appset(GIT_FILES("path: 'clusters/*.json'")) });
  assert.match(
    assertRefused(generate(repo, ROOT, { SAFE_RENDER_POLICY: policy }), 'appset-may-shrink')[0]!,
    /new \(doublestar\) globbing/,
  );
});

test('an empty elementsYaml yields nothing; a non-empty one yields its elements', () => {
  for (const y of ["''", "'[]'", "'null'", "'# nothing\\n'", "'~'"]) {
    const [line] = refusal(
      makeRepo({ 'apps/root/shops.yaml': appset(`- list:\n    elements: []\n    elementsYaml: ${y}\n`) }),
    );
    assert.match(line!, /yields no Applications: list generator has no elements and its elementsYaml yields none/, y);
  }
  for (const y of ["'- {region: eu}'", '"[{region: eu}, {region: us}]"', '|\n      - region: eu\n']) {
    assertClean(generate(makeRepo({ 'apps/root/shops.yaml': appset(`- list:\n    elementsYaml: ${y}\n`) }), ROOT));
  }
  // What Argo CD cannot read is an error there: not known offline.
  assert.match(
    refusal(makeRepo({ 'apps/root/shops.yaml': appset("- list:\n    elementsYaml: 'region: eu'\n") }))[0]!,
    /cannot be checked offline \(list generator elementsYaml is not a list of mappings/,
  );
});

test('a selector that filters out every element empties the generator', () => {
  const cases = [
    '  selector: {matchLabels: {region: asia}}\n',
    '  selector: {matchLabels: {region: eu, tier: web}}\n',
    '  selector: {matchExpressions: [{key: region, operator: NotIn, values: [eu, us]}]}\n',
    '  selector: {matchExpressions: [{key: tier, operator: Exists}]}\n',
    '  selector: {matchExpressions: [{key: region, operator: DoesNotExist}]}\n',
  ];
  for (const sel of cases) {
    const [line] = refusal(
      makeRepo({ 'apps/root/shops.yaml': appset(`- list:\n    elements: [{region: eu}, {region: us}]\n${sel}`) }),
    );
    assert.match(line!, /yields no Applications: list generator selector matches none of its 2 elements/, sel);
  }
  for (const sel of [
    '  selector: {matchLabels: {region: us}}\n',
    '  selector: {}\n',
    '  selector: {matchExpressions: [{key: region, operator: In, values: [asia, eu]}]}\n',
  ]) {
    assertClean(
      generate(
        makeRepo({ 'apps/root/shops.yaml': appset(`- list:\n    elements: [{region: eu}, {region: us}]\n${sel}`) }),
        ROOT,
      ),
    );
  }
  // Inside a matrix the child's selector empties the matrix.
  const matrix =
    '- matrix:\n    generators:\n      - list:\n          elements: [{region: eu}]\n        selector: {matchLabels: {region: us}}\n      - list:\n          elements: [{tier: web}]\n';
  assert.match(
    refusal(makeRepo({ 'apps/root/shops.yaml': appset(matrix) }))[0]!,
    /yields no Applications: matrix: list generator selector matches none of its 1 element/,
  );
  // A selector on a git generator cannot be evaluated offline; an invalid one is rejected by Argo CD.
  const gitSel = makeRepo({
    ...SHOPS,
    'apps/root/shops.yaml': appset(`${GIT_DIRS("path: 'shops/*'")}  selector: {matchLabels: {path.basename: eu}}\n`),
  });
  assert.match(refusal(gitSel)[0]!, /git generator has a selector over parameters that are not known offline/);
  const bad = makeRepo({
    'apps/root/shops.yaml': appset(
      '- list:\n    elements: [{region: eu}]\n  selector: {matchExpressions: [{key: region, operator: Equals, values: [eu]}]}\n',
    ),
  });
  assert.match(refusal(bad)[0]!, /selector is invalid/);
});

test('one empty generator among others is named, with what it deletes', () => {
  const gens = `${LIST('[{region: eu}]')}${LIST('[]')}`;
  const lines = refusal(makeRepo({ 'apps/root/shops.yaml': appset(gens) }));
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /: generator 2 of 2 \(list\) yields nothing: list generator has no elements; the controller would delete the Applications only that generator made/,
  );
  assert.doesNotMatch(lines[0]!, /yields no Applications/);
  const both = refusal(makeRepo({ 'apps/root/shops.yaml': appset(`${LIST('[]')}${LIST('[]')}`) }));
  assert.match(
    both[0]!,
    /yields no Applications: generator 1 of 2 \(list\): list generator has no elements; generator 2 of 2 \(list\): list generator has no elements/,
  );
});

test('applicationsSync create-only and create-update never delete, so a shrink is not refused; sync and create-delete are', () => {
  const empty = appset(LIST('[]'));
  const clusters = appset('- clusters: {}\n');
  for (const policy of ['create-only', 'create-update']) {
    for (const yaml of [empty, clusters])
      assertClean(
        generate(makeRepo({ 'apps/root/shops.yaml': withSyncPolicy(yaml, `    applicationsSync: ${policy}\n`) }), ROOT),
      );
  }
  for (const policy of ['create-delete', 'sync', 'Create-Only', '"create-only "']) {
    refusal(makeRepo({ 'apps/root/shops.yaml': withSyncPolicy(empty, `    applicationsSync: ${policy}\n`) }));
  }
  // The install decides whether the ApplicationSet's own policy counts (--policy, --enable-policy-override).
  const repo = makeRepo({ 'apps/root/shops.yaml': withSyncPolicy(empty, '    applicationsSync: create-only\n') });
  const policyFile = (body: string) => {
    writeFileSync(join(repo, 'policy.yaml'), `default: {}\nargocd:\n  applicationSet: ${body}\n`);
    return { SAFE_RENDER_POLICY: join(repo, 'policy.yaml') };
  };
  assertRefused(generate(repo, ROOT, policyFile('{enablePolicyOverride: false}')), 'appset-may-shrink');
  assertRefused(generate(repo, ROOT, policyFile('{policy: sync}')), 'appset-may-shrink');
  assertClean(generate(repo, ROOT, policyFile('{policy: sync, enablePolicyOverride: true}')));
  writeFiles(repo, { 'apps/root/shops.yaml': empty });
  assertClean(generate(repo, ROOT, policyFile('{policy: create-update}')));
  assertRefused(generate(repo, ROOT, policyFile('{policy: create-delete}')), 'appset-may-shrink');
});

test('matrix and merge keep Argo CD semantics', () => {
  const L = (e: string, indent: string) => `${indent}- list:\n${indent}    elements: ${e}\n`;
  const matrix = (a: string, b: string) => `- matrix:\n    generators:\n${L(a, '      ')}${L(b, '      ')}`;
  const merge = (a: string, b: string) =>
    `- merge:\n    mergeKeys: [region]\n    generators:\n${L(a, '      ')}${L(b, '      ')}`;
  refusal(makeRepo({ 'apps/root/shops.yaml': appset(matrix('[]', '[{tier: web}]')) }));
  refusal(makeRepo({ 'apps/root/shops.yaml': appset(matrix('[{region: eu}]', '[]')) }));
  assertClean(generate(makeRepo({ 'apps/root/shops.yaml': appset(matrix('[{region: eu}]', '[{tier: web}]')) }), ROOT));
  // A merge yields one set per set of its first generator: only the first can empty it.
  assert.match(
    refusal(makeRepo({ 'apps/root/shops.yaml': appset(merge('[]', '[{region: eu}]')) }))[0]!,
    /yields no Applications: merge: list generator has no elements/,
  );
  assertClean(generate(makeRepo({ 'apps/root/shops.yaml': appset(merge('[{region: eu}]', '[]')) }), ROOT));
  // The second matrix child is interpolated from the first: its {{...}} paths are not literal.
  const interp = `- matrix:\n    generators:\n${L('[{region: eu}]', '      ')}      - git:\n          repoURL: ${REPO_URL}\n          revision: main\n          directories: [{path: 'shops/{{region}}'}]\n`;
  assert.match(
    refusal(makeRepo({ ...SHOPS, 'apps/root/shops.yaml': appset(interp) }))[0]!,
    /cannot be checked offline \(matrix: git directory "shops\/\{\{region\}\}" is filled in from the matrix's first generator\)/,
  );
  // A matrix of one generator is an error in Argo CD (nothing deleted), but not a known shape.
  assert.match(
    refusal(
      makeRepo({ 'apps/root/shops.yaml': appset(`- matrix:\n    generators:\n${L('[{region: eu}]', '      ')}`) }),
    )[0]!,
    /matrix generator has 1 generators, which Argo CD rejects/,
  );
});

test('hostile generators are bounded work: alias bombs in elementsYaml and huge pattern lists are not evaluated', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
  ];
  const yaml = `- ${bomb.join('\n  ')}\n`;
  const set = appset(`- list:\n    elementsYaml: ${JSON.stringify(yaml)}\n  selector: {matchLabels: {x: z}}\n`);
  const t0 = Date.now();
  const r = generate(makeRepo({ 'apps/root/shops.yaml': set }), ROOT);
  assert.ok(Date.now() - t0 < 20_000);
  assert.match(
    assertRefused(r, 'appset-may-shrink')[0]!,
    /cannot be checked offline \(list generator elementsYaml (cannot be read \(aliases\)|is too large to evaluate offline)\)/,
  );
  const many = Array.from({ length: 3000 }, (_, i) => `{path: 'none${i}/*'}`).join(', ');
  const dirs = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`d${i}/cm.yaml`, 'x: 1\n']));
  const big = makeRepo({
    ...dirs,
    'apps/root/shops.yaml': appset(
      `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories: [${many}]\n`,
    ),
  });
  assert.match(refusal(big)[0]!, /git directory patterns x folders are too many to evaluate offline/);
});
