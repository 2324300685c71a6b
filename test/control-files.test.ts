// Issue 8 §7: the repository's control files are inputs like any other. safe-render.yaml,
// .safe-render/FREEZE, the lock and its index, Chart.yaml, kustomization files and value files go
// through one guarded reader: a link out of the repository, a folder, a fifo or a huge file in their
// place is one line and exit 2 (never a hang, never a stack trace), and their text reaches stderr
// only as a short sanitised excerpt. Links that stay inside the repository work, as for manifests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findingLines, makeRepo, manifest, runCli, type RunResult } from './helpers';

const TOKEN = 'glpat-FAKE-CI-TOKEN-0123456789';
const NO_FREEZE = { SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-test-freeze', SAFE_RENDER_POLICY: undefined };

function outsideDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-outside-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An outside file holding a fake token, as a CI runner's files would. */
function outsideSecret(name = 'secret'): string {
  const file = join(outsideDir(), name);
  writeFileSync(file, `reason: ${TOKEN}\nby: ${TOKEN}\ninclude: ["${TOKEN}"]\n${TOKEN}\n`);
  return file;
}

function generate(repo: string, app = 'apps/web', env: Record<string, string> = {}): RunResult {
  return runCli(['generate'], {
    cwd: join(repo, app),
    cleanEnv: true,
    timeoutMs: 30_000,
    env: {
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: app,
      CI_JOB_TOKEN: TOKEN,
      ...NO_FREEZE,
      ...env,
    },
  });
}

function render(repo: string, app = 'apps/web'): RunResult {
  return runCli(['render', app, '--app', 'web', '-n', 'prod'], {
    cwd: repo,
    timeoutMs: 30_000,
    env: { CI_JOB_TOKEN: TOKEN, ...NO_FREEZE },
  });
}

/** Exit 2, nothing on stdout, exactly one line on stderr that matches, no stack, no token. */
function assertOneLine(r: RunResult, re: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  assert.equal(lines.length, 1, `${what}: one line: ${r.stderr}`);
  assert.match(lines[0]!, re, what);
  assert.doesNotMatch(r.stderr, /\bat .*\.(c?js|ts):\d+|internal error/, `${what}: no stack trace`);
  assert.ok(!r.stderr.includes(TOKEN), `${what}: the file's content must never be printed`);
  assert.ok(lines[0]!.length < 800, `${what}: a short line`);
}

const WEB = { 'apps/web/a.yaml': manifest('ConfigMap', 'a') };

function lockRepo(extra: Record<string, string> = {}): string {
  const repo = makeRepo({ ...WEB, ...extra });
  const r = runCli(['lock', 'apps/web', '--app', 'web', '-n', 'prod'], { cwd: repo, env: NO_FREEZE });
  assert.equal(r.code, 0, r.stderr);
  return repo;
}

/** Puts `replace` in place of repo-relative `rel`. */
function plant(repo: string, rel: string, replace: (abs: string) => void): void {
  const abs = join(repo, rel);
  mkdirSync(dirname(abs), { recursive: true });
  rmSync(abs, { recursive: true, force: true });
  replace(abs);
}

const linkOut = (target: string) => (abs: string) => symlinkSync(target, abs);
const fifo = (abs: string) => assert.equal(spawnSync('mkfifo', [abs]).status, 0);
const folder = (abs: string) => mkdirSync(abs);

/** Every control file, with a repository that reads it and how its refusal names it. */
const CONTROL_FILES: Array<{
  rel: string;
  repo: () => string;
  run: (repo: string) => RunResult;
  shown: RegExp;
  outside?: RegExp;
}> = [
  { rel: '.safe-render/FREEZE', repo: () => makeRepo(WEB), run: (r) => generate(r), shown: /\.safe-render\/FREEZE/ },
  {
    rel: 'apps/web/safe-render.yaml',
    repo: () => makeRepo(WEB),
    run: (r) => generate(r),
    shown: /apps\/web\/safe-render\.yaml/,
  },
  {
    rel: '.safe-render/locks/web.lock',
    repo: () => lockRepo(),
    run: (r) => generate(r),
    shown: /\.safe-render\/locks\/web\.lock/,
  },
  { rel: '.safe-render/index', repo: () => lockRepo(), run: (r) => generate(r), shown: /\.safe-render\/index/ },
  {
    rel: 'charts/web/Chart.yaml',
    repo: () =>
      makeRepo({
        'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'charts/web/templates/cm.yaml': manifest('ConfigMap', 'a'),
      }),
    run: (r) => generate(r, 'charts/web'),
    shown: /charts\/web\/Chart\.yaml/,
    // The chart walk (tree-links.ts) sees the link before safe-render reads the file: helm would read it too.
    outside:
      /^error\[render-failed\] charts\/web\/Chart\.yaml: symlink leads outside the repository; helm would read it/,
  },
  {
    rel: 'charts/web/requirements.yaml',
    repo: () =>
      makeRepo({
        'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'charts/web/templates/cm.yaml': manifest('ConfigMap', 'a'),
      }),
    run: (r) => generate(r, 'charts/web'),
    shown: /charts\/web\/requirements\.yaml/,
    // The chart walk (tree-links.ts) sees the link before safe-render reads the file: helm would read it too.
    outside:
      /^error\[render-failed\] charts\/web\/requirements\.yaml: symlink leads outside the repository; helm would read it/,
  },
  {
    rel: 'charts/web/values-prod.yaml',
    repo: () =>
      makeRepo({
        'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'charts/web/templates/cm.yaml': manifest('ConfigMap', 'a'),
        'charts/web/safe-render.yaml': 'helm:\n  valueFiles: [values-prod.yaml]\n',
        'charts/web/values-prod.yaml': 'x: 1\n',
      }),
    run: (r) => generate(r, 'charts/web'),
    shown: /charts\/web\/values-prod\.yaml/,
    // A value file is checked where it is named (src/render/engines/inside-repo.ts), before it is opened.
    outside: /^error\[render-failed\]: values file "values-prod\.yaml" leads outside the repository/,
  },
  {
    rel: 'apps/kust/base/kustomization.yaml',
    repo: () =>
      makeRepo({
        'apps/kust/kustomization.yaml': 'resources: [base]\n',
        'apps/kust/base/kustomization.yaml': 'resources: [cm.yaml]\n',
        'apps/kust/base/cm.yaml': manifest('ConfigMap', 'a'),
      }),
    run: (r) => generate(r, 'apps/kust'),
    shown: /apps\/kust\/base\/kustomization\.yaml/,
  },
];

test('the legitimate case: every control file as a regular file renders', () => {
  for (const c of CONTROL_FILES) {
    if (c.rel.endsWith('FREEZE') || c.rel.endsWith('requirements.yaml')) continue;
    const r = c.run(c.repo());
    assert.equal(r.code, 0, `${c.rel}: ${r.stderr}`);
  }
});

test('a FREEZE linked to /proc/self/environ never prints the environment, and refuses', () => {
  for (const target of ['/proc/self/environ', '/proc/self/cmdline', '/etc/hostname']) {
    const repo = makeRepo(WEB);
    plant(repo, '.safe-render/FREEZE', linkOut(target));
    assertOneLine(
      generate(repo),
      /^error\[render-failed\] \.safe-render\/FREEZE: leads outside the repository/,
      `generate, FREEZE -> ${target}`,
    );
    // render and CI too: a link out of the repository is not a warning.
    assertOneLine(
      render(repo),
      /^error\[render-failed\] \.safe-render\/FREEZE: leads outside the repository/,
      `render, FREEZE -> ${target}`,
    );
  }
});

test('a FREEZE linked to an outside file holding a token, directly or through .safe-render, refuses without printing it', () => {
  const direct = makeRepo(WEB);
  plant(direct, '.safe-render/FREEZE', linkOut(outsideSecret()));
  assertOneLine(generate(direct), /\.safe-render\/FREEZE: leads outside the repository/, 'FREEZE -> outside file');
  const relative = makeRepo(WEB);
  const secret = outsideSecret();
  plant(relative, '.safe-render/FREEZE', linkOut(join('..', '..', '..', secret)));
  assertOneLine(
    generate(relative),
    /\.safe-render\/FREEZE: leads outside the repository/,
    'FREEZE -> ../../../outside',
  );
  const wholeDir = makeRepo(WEB);
  const out = outsideDir();
  writeFileSync(join(out, 'FREEZE'), `${TOKEN}\n`);
  plant(wholeDir, '.safe-render', linkOut(out));
  assertOneLine(
    generate(wholeDir),
    /\.safe-render\/FREEZE: leads outside the repository/,
    '.safe-render -> outside folder',
  );
  const broken = makeRepo(WEB);
  plant(broken, '.safe-render/FREEZE', linkOut('/nonexistent/freeze'));
  assertOneLine(
    generate(broken),
    /\.safe-render\/FREEZE: symlink points to nothing/,
    'FREEZE -> nothing: still refused, never unfrozen',
  );
});

test('each control file linked outside the repository is one line and exit 2, its content never shown', () => {
  for (const c of CONTROL_FILES) {
    const repo = c.repo();
    plant(repo, c.rel, linkOut(outsideSecret(c.rel.split('/').pop())));
    assertOneLine(
      c.run(repo),
      c.outside ?? new RegExp(`^error\\[render-failed\\] ${c.shown.source}: leads outside the repository`),
      `${c.rel} -> outside`,
    );
  }
});

test('a folder on the way to a control file that is a dangling link, a link out or a plain file is refused, never "absent"', () => {
  const cases: Array<[string, string, (abs: string) => void, RegExp]> = [
    [
      '.safe-render -> nothing',
      '.safe-render',
      linkOut('/nonexistent/control'),
      /\.safe-render\/FREEZE: symlink points to nothing/,
    ],
    [
      '.safe-render as a plain file',
      '.safe-render',
      (abs) => writeFileSync(abs, `${TOKEN}\n`),
      /\.safe-render\/FREEZE: \.safe-render is not a folder/,
    ],
    [
      '.safe-render/locks -> outside',
      '.safe-render/locks',
      linkOut(outsideDir()),
      /\.safe-render\/locks\/web\.lock: leads outside the repository/,
    ],
    [
      '.safe-render/locks -> nothing',
      '.safe-render/locks',
      linkOut('gone'),
      /\.safe-render\/locks\/web\.lock: symlink points to nothing/,
    ],
    [
      '.safe-render/locks as a plain file',
      '.safe-render/locks',
      (abs) => writeFileSync(abs, 'x'),
      /\.safe-render\/locks\/web\.lock: \.safe-render\/locks is not a folder/,
    ],
  ];
  for (const [what, rel, replace, re] of cases) {
    const repo = lockRepo();
    plant(repo, rel, replace);
    assertOneLine(generate(repo), re, what);
  }
  // Without any .safe-render at all, the app simply has no lock (a deletion in review, not here).
  const none = lockRepo();
  rmSync(join(none, '.safe-render'), { recursive: true });
  assert.equal(generate(none).code, 0);
});

test('a fifo in place of each control file does not hang: one line and exit 2', () => {
  for (const c of CONTROL_FILES) {
    const repo = c.repo();
    plant(repo, c.rel, fifo);
    assertOneLine(
      c.run(repo),
      new RegExp(`^error\\[render-failed\\] ${c.shown.source}: is a named pipe \\(fifo\\), not a regular file`),
      `${c.rel} fifo`,
    );
  }
});

test('a folder in place of each control file: one clear line, exit 2, no stack trace', () => {
  for (const c of CONTROL_FILES) {
    const repo = c.repo();
    plant(repo, c.rel, folder);
    assertOneLine(
      c.run(repo),
      new RegExp(`^error\\[render-failed\\] ${c.shown.source}: is a folder, not a regular file`),
      `${c.rel} folder`,
    );
  }
});

test('a huge control file is refused by size before it is read', () => {
  const sizes: Record<string, number> = {
    '.safe-render/FREEZE': 65 * 1024,
    'apps/web/safe-render.yaml': 1024 * 1024 + 1,
    '.safe-render/index': 1024 * 1024 + 1,
    '.safe-render/locks/web.lock': 16 * 1024 * 1024 + 1,
    'charts/web/Chart.yaml': 1024 * 1024 + 1,
    'charts/web/requirements.yaml': 1024 * 1024 + 1,
    'apps/kust/base/kustomization.yaml': 4 * 1024 * 1024 + 1,
    'charts/web/values-prod.yaml': 16 * 1024 * 1024 + 1,
  };
  for (const c of CONTROL_FILES) {
    const repo = c.repo();
    plant(repo, c.rel, (abs) => writeFileSync(abs, `# ${TOKEN}\n`.padEnd(sizes[c.rel]!, '#')));
    assertOneLine(
      c.run(repo),
      new RegExp(
        `^error\\[render-failed\\] ${c.shown.source}: file is [\\d.]+ [KM]iB, over the [\\d.]+ [KM]iB limit for this kind of file`,
      ),
      `${c.rel} huge`,
    );
  }
});

test('an invalid control file echoes at most a short sanitised excerpt', () => {
  const junk = `\x1b[31m${TOKEN.slice(0, 5)}${'A'.repeat(5000)}\u202e\r`;
  const cases: Array<[string, Record<string, string>, (repo: string) => RunResult]> = [
    [
      'safe-render.yaml, bad YAML',
      { ...WEB, 'apps/web/safe-render.yaml': `include: [${junk}\n  - : "\n` },
      (r) => generate(r),
    ],
    ['safe-render.yaml, unknown key', { ...WEB, 'apps/web/safe-render.yaml': `${junk}: 1\n` }, (r) => generate(r)],
    ['safe-render.yaml, bad value', { ...WEB, 'apps/web/safe-render.yaml': `engine: "${junk}"\n` }, (r) => generate(r)],
    [
      'kustomization, bad YAML',
      { 'apps/kust/kustomization.yaml': `resources: [${junk}\n  - : "\n` },
      (r) => generate(r, 'apps/kust'),
    ],
    [
      'Chart.yaml, bad YAML',
      {
        'charts/web/Chart.yaml': `name: [${junk}\n  - : "\n`,
        'charts/web/templates/cm.yaml': manifest('ConfigMap', 'a'),
      },
      (r) => generate(r, 'charts/web'),
    ],
    ['lock, bad version', { ...WEB, '.safe-render/locks/web.lock': `safe-render-lock ${junk}\n` }, (r) => generate(r)],
    ['lock, unknown line', { ...WEB, '.safe-render/locks/web.lock': `${junk} x\n` }, (r) => generate(r)],
  ];
  for (const [what, files, run] of cases) {
    const r = run(makeRepo(files));
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 1, `${what}: one line: ${JSON.stringify(r.stderr)}`);
    assert.ok(lines[0]!.length <= 800, `${what}: short (${lines[0]!.length} characters)`);
    assert.doesNotMatch(lines[0]!, /[\x00-\x08\x0b-\x1f\x7f\u202e]/, `${what}: control characters are escaped`);
    assert.ok(!lines[0]!.includes('A'.repeat(201)), `${what}: at most 200 characters of the file`);
  }
});

test('the freeze reason, author and apps shown are one bounded, sanitised line', () => {
  const long = `INC-9 ${'x'.repeat(5000)}`;
  const cases: Array<[string, string]> = [
    ['plain text, many lines', `line one\nline two\x1b[2J\n${long}\n`],
    ['YAML, multi-line reason', `reason: |\n  first\n  second\x07\n  ${long}\nby: "eve\\nmallory\\r"\n`],
  ];
  for (const [what, text] of cases) {
    const repo = makeRepo({ ...WEB, '.safe-render/FREEZE': text });
    const r = generate(repo);
    assert.equal(r.code, 1, `${what}: still frozen: ${r.stderr}`);
    const lines = findingLines(r.stderr, 'deploy-freeze');
    assert.equal(lines.length, 1, what);
    assert.equal(
      r.stderr.split('\n').filter((l) => l !== '').length,
      4,
      `${what}: the headline, one finding line, its fix and the summary: ${r.stderr}`,
    );
    assert.ok(lines[0]!.length < 800, `${what}: ${lines[0]!.length} characters`);
    assert.doesNotMatch(lines[0]!, /[\x00-\x1f\x7f]/, what);
    assert.ok(!lines[0]!.includes('x'.repeat(201)), what);
  }
  // A list of app globs no list of apps could be freezes every app (fail closed), not none.
  const many = makeRepo({
    ...WEB,
    '.safe-render/FREEZE': `reason: r\napps:\n${Array.from({ length: 300 }, (_, i) => `  - other-${i}\n`).join('')}`,
  });
  assert.equal(generate(many).code, 1);
  const hugeGlob = makeRepo({ ...WEB, '.safe-render/FREEZE': `reason: r\napps: ["other-${'*'.repeat(300)}"]\n` });
  assert.equal(generate(hugeGlob).code, 1);
  const scoped = makeRepo({ ...WEB, '.safe-render/FREEZE': 'reason: r\napps: [payments-*]\n' });
  assert.equal(generate(scoped).code, 0, 'a freeze for other apps lets this one render');
});

test('control files linked inside the repository work, as manifests do', () => {
  // safe-render.yaml, FREEZE, the lock and the index as links to files elsewhere in the repository.
  const repo = lockRepo({ 'shared/safe-render.yaml': 'allowEmpty: false\n' });
  symlinkSync('../../shared/safe-render.yaml', join(repo, 'apps/web/safe-render.yaml'));
  mkdirSync(join(repo, 'config'));
  renameSync(join(repo, '.safe-render/locks/web.lock'), join(repo, 'config/web.lock'));
  symlinkSync('../../config/web.lock', join(repo, '.safe-render/locks/web.lock'));
  renameSync(join(repo, '.safe-render/index'), join(repo, 'config/index'));
  symlinkSync('../config/index', join(repo, '.safe-render/index'));
  const ok = generate(repo);
  assert.equal(ok.code, 0, ok.stderr);
  // The lock is read through the link: dropping the object it records is refused.
  writeFileSync(join(repo, 'apps/web/a.yaml'), manifest('ConfigMap', 'b'));
  assert.equal(generate(repo).code, 1);
  writeFileSync(join(repo, 'apps/web/a.yaml'), manifest('ConfigMap', 'a'));
  writeFileSync(join(repo, 'config/FREEZE'), 'reason: linked freeze\n');
  symlinkSync('../config/FREEZE', join(repo, '.safe-render/FREEZE'));
  const frozen = generate(repo);
  assert.equal(frozen.code, 1, frozen.stderr);
  assert.match(findingLines(frozen.stderr, 'deploy-freeze')[0]!, /"linked freeze"/);
  // The whole .safe-render folder as a link inside the repository.
  const whole = lockRepo();
  renameSync(join(whole, '.safe-render'), join(whole, 'control'));
  symlinkSync('control', join(whole, '.safe-render'));
  assert.equal(generate(whole).code, 0);
  // A kustomization and a chart reached through in-repository links.
  const kust = makeRepo({
    'shared/base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'shared/base/cm.yaml': manifest('ConfigMap', 'a'),
    'apps/kust/kustomization.yaml': 'resources: [base]\n',
  });
  symlinkSync('../../shared/base', join(kust, 'apps/kust/base'));
  const k = generate(kust, 'apps/kust');
  assert.equal(k.code, 0, k.stderr);
});

test('the parameters command reads safe-render.yaml through the same guard', () => {
  const params = (repo: string) =>
    runCli(['parameters'], {
      cwd: join(repo, 'apps/web'),
      cleanEnv: true,
      timeoutMs: 30_000,
      env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_SOURCE_PATH: 'apps/web', CI_JOB_TOKEN: TOKEN },
    });
  const ok = makeRepo({ ...WEB, 'apps/web/safe-render.yaml': 'include: ["*.yaml"]\n' });
  const good = params(ok);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /"array":\["\*\.yaml"\]/);
  for (const [what, replace] of [
    ['linked out', linkOut(outsideSecret())],
    ['a fifo', fifo],
    ['a folder', folder],
  ] as const) {
    const repo = makeRepo(WEB);
    plant(repo, 'apps/web/safe-render.yaml', replace);
    assertOneLine(
      params(repo),
      /^error\[render-failed\] apps\/web\/safe-render\.yaml: /,
      `parameters, safe-render.yaml ${what}`,
    );
  }
});
