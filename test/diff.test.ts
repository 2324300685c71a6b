// `safe-render diff` end to end (issue 12's "Done when"), running the bundle against a real Git
// repository with two commits (test/diff-repo.ts): an image tag bumped, a ConfigMap removed, a
// Deployment renamed (one removal and one addition, refused by unacknowledged-deletion), a Secret's
// values changed, and a child Application of an app-of-apps re-pointed (app-destination-change in the
// parent's diff, app-source-drift in --all). Each format shows exactly those changes; no Secret value,
// old or new, plain or base64, appears on stdout or stderr; the scratch folders are gone after each run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findingLines, manifest, runCli, writeFiles, type RunResult } from './helpers';
import { APPS, diff as runDiff, diffRepo, git, REPO_URL, SECRET_FORMS, tmp } from './diff-repo';

const R = diffRepo();
const ENV = { TMPDIR: R.scratch, NO_COLOR: undefined };

const appArgs = (name: keyof typeof APPS) => [
  APPS[name].path,
  '--app',
  name,
  '--namespace',
  APPS[name].ns,
  '--project',
  'default',
  '--repo-url',
  REPO_URL,
];

/** Runs diff; then checks what every run must hold: no Secret value anywhere, no scratch folder left. */
function diff(args: readonly string[], repo = R.repo): RunResult {
  const r = runDiff(repo, args, ENV);
  for (const s of SECRET_FORMS) {
    assert.ok(!r.stdout.includes(s), `stdout holds a Secret value (${s})`);
    assert.ok(!r.stderr.includes(s), `stderr holds a Secret value (${s})`);
  }
  assert.deepEqual(readdirSync(R.scratch), [], 'a scratch folder was left behind');
  return r;
}

const WEB_REMOVED = ['apps/Deployment prod/api', 'ConfigMap prod/settings'].sort();
const WEB_ADDED = ['apps/Deployment prod/api-v2'];
const WEB_CHANGED = ['Secret prod/creds', 'apps/Deployment prod/web'];

/** The `- removed X`, `+ added X`, `~ changed X` lines of a text report. */
function textObjects(out: string) {
  const pick = (re: RegExp) => [...out.matchAll(re)].map((m) => m[1]!).sort();
  return {
    removed: pick(/^- removed (.+)$/gm),
    added: pick(/^\+ added (.+)$/gm),
    changed: pick(/^~ changed (.+)$/gm),
  };
}

test('text: the image tag, the removed ConfigMap, the rename (one removal, one addition) and the Secret, nothing else; refused by the deletion rule', () => {
  const r = diff([...appArgs('web'), '--base', 'main', '--head', 'change']);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(textObjects(r.stdout), { removed: WEB_REMOVED, added: WEB_ADDED, changed: [...WEB_CHANGED].sort() });
  assert.match(r.stdout, /^web: \+1 -2 ~2 objects \(head refused\)$/m);
  // Removals first: what prune deletes.
  assert.ok(r.stdout.indexOf('- removed') < r.stdout.indexOf('+ added'));
  assert.ok(r.stdout.indexOf('+ added') < r.stdout.indexOf('~ changed'));
  assert.match(r.stdout, /^-\s+image: registry\.example\.com\/web:1\.0\.0$/m);
  assert.match(r.stdout, /^\+\s+image: registry\.example\.com\/web:1\.1\.0$/m);
  assert.match(r.stdout, /^-  password: \(secret value before, not shown\)$/m);
  assert.match(r.stdout, /^\+  token: \(secret value after, not shown\)$/m);
  assert.match(r.stdout, /^Not compared .*metadata\.managedFields.*status$/m);
  const deletions = findingLines(r.stderr, 'unacknowledged-deletion');
  assert.equal(deletions.length, 2);
  assert.ok(deletions.some((l) => l.includes('apps/Deployment/prod/api:')));
  assert.ok(deletions.some((l) => l.includes('core/ConfigMap/prod/settings:')));
  assert.match(r.stdout, /removes 2 objects: 0 accepted by the lock, 2 not accepted/);
  assert.match(r.stderr, /^safe-render: refused: 2 errors; the sidecar would not render the head$/m);
  assert.match(r.stderr, /^safe-render diff: base [0-9a-f]{12}, head [0-9a-f]{12}$/m);
});

test('markdown: refusals first, then removals, additions and changes, exactly these objects', () => {
  const r = diff([...appArgs('web'), '--base', 'main', '--head', 'change', '--format', 'markdown']);
  assert.equal(r.code, 1, r.stderr);
  const out = r.stdout;
  const at = (s: string) => out.indexOf(s);
  assert.ok(at('#### Refused') > 0 && at('#### Refused') < at('#### Removed') && at('#### Removed') < at('#### Added'));
  assert.ok(at('#### Added') < at('#### Changed'));
  const section = (h: string) => out.slice(at(h)).split('\n#### ')[0]!;
  const items = (s: string) => [...s.matchAll(/^- web: (.+)$/gm)].map((m) => m[1]!.replace(/\\/g, '')).sort();
  assert.deepEqual(items(section('#### Removed')), WEB_REMOVED);
  assert.deepEqual(items(section('#### Added')), WEB_ADDED);
  const summaries = [...out.matchAll(/<summary>web: (.+)<\/summary>/g)].map((m) => m[1]!.replace(/\\/g, '')).sort();
  assert.deepEqual(summaries, [...WEB_CHANGED].sort());
  assert.match(section('#### Refused'), /`unacknowledged-deletion` apps\/Deployment\/prod\/api/);
  assert.ok(Buffer.byteLength(out) < 65_536);
  // The findings are on stderr as for any render.
  assert.equal(findingLines(r.stderr, 'unacknowledged-deletion').length, 2);
});

test('json: identities, JSON Patch operations for the changes, the verdict and deletions', () => {
  const r = diff([...appArgs('web'), '--base', 'main', '--head', 'change', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const v = JSON.parse(r.stdout) as {
    version: number;
    exitCode: number;
    apps: Array<{
      app: string;
      verdict: string;
      removed: Array<{ ref: string }>;
      added: Array<{ ref: string }>;
      changed: Array<{ ref: string; patch: Array<{ op: string; path: string; value?: unknown }> }>;
      deletions: Array<{ ref: string; accepted: boolean | null }>;
      findings: Array<{ rule: string }>;
    }>;
  };
  assert.equal(v.version, 1);
  assert.equal(v.exitCode, 1);
  assert.equal(v.apps.length, 1);
  const [web] = v.apps;
  assert.equal(web!.verdict, 'refused');
  assert.deepEqual(
    web!.removed.map((o) => o.ref),
    ['apps/Deployment/prod/api', 'core/ConfigMap/prod/settings'],
  );
  assert.deepEqual(
    web!.added.map((o) => o.ref),
    ['apps/Deployment/prod/api-v2'],
  );
  assert.deepEqual(
    web!.changed.map((o) => o.ref),
    ['apps/Deployment/prod/web', 'core/Secret/prod/creds'],
  );
  assert.deepEqual(web!.changed[0]!.patch, [
    { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example.com/web:1.1.0' },
  ]);
  assert.deepEqual(web!.changed[1]!.patch.map((p) => p.path).sort(), ['/data/password', '/stringData/token']);
  assert.deepEqual(web!.deletions, [
    { ref: 'apps/Deployment/prod/api', accepted: false },
    { ref: 'core/ConfigMap/prod/settings', accepted: false },
  ]);
  assert.deepEqual([...new Set(web!.findings.map((f) => f.rule))].sort(), ['lock-stale', 'unacknowledged-deletion']);
});

test("the app-of-apps' parent: the child's re-pointed source is its only change, refused by app-destination-change", () => {
  for (const format of ['text', 'json', 'markdown']) {
    const r = diff([...appArgs('root'), '--base', 'main', '--head', 'change', '--format', format]);
    assert.equal(r.code, 1, r.stderr);
    const [line] = findingLines(r.stderr, 'app-destination-change');
    assert.match(line!, /argoproj\.io\/Application\/argocd\/child: .*path "apps\/child" -> "apps\/child-v2"/);
    if (format === 'text') {
      assert.deepEqual(textObjects(r.stdout), {
        removed: [],
        added: [],
        changed: ['argoproj.io/Application argocd/child'],
      });
      assert.match(r.stdout, /^-    path: apps\/child$/m);
      assert.match(r.stdout, /^\+    path: apps\/child-v2$/m);
    } else if (format === 'json') {
      const [root] = (JSON.parse(r.stdout) as { apps: Array<{ changed: Array<{ ref: string; patch: unknown }> }> })
        .apps;
      assert.deepEqual(root!.changed, [
        {
          ref: 'argoproj.io/Application/argocd/child',
          group: 'argoproj.io',
          kind: 'Application',
          namespace: 'argocd',
          name: 'child',
          patch: [{ op: 'replace', path: '/spec/source/path', value: 'apps/child-v2' }],
        },
      ]);
    } else {
      assert.match(r.stdout, /`app-destination-change`/);
      assert.doesNotMatch(r.stdout, /#### Removed|#### Added/);
    }
  }
});

test('--all: the changed apps only, the child flagged by its own app-source-drift; the same commit twice: nothing, exit 0', () => {
  const r = diff(['--all', '--base', 'main', '--head', 'change']);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    [...r.stdout.matchAll(/^(\w+): \+\d+ -\d+ ~\d+ objects/gm)].map((m) => m[1]),
    ['child', 'root', 'web'],
  );
  assert.match(r.stdout, /^child: \+0 -0 ~1 objects \(head refused\)$/m);
  assert.match(r.stdout, /^root: \+0 -0 ~1 objects \(head refused\)$/m);
  assert.match(r.stdout, /^web: \+1 -2 ~2 objects \(head refused\)$/m);
  assert.match(r.stdout, /^0 other apps unchanged$/m);
  const [drift] = findingLines(r.stderr, 'app-source-drift');
  assert.match(drift!, /app child: is rendered from path "apps\/child-v2" but its lock .* records "apps\/child"/);
  assert.equal(findingLines(r.stderr, 'app-destination-change').length, 1);
  assert.match(r.stderr, /3 apps checked: 0 passed, 3 refused/);

  const j = diff(['--all', '--base', 'main', '--head', 'change', '--format', 'json']);
  const v = JSON.parse(j.stdout) as {
    apps: Array<{ app: string; findings: Array<{ rule: string }> }>;
    unchangedApps: number;
  };
  assert.deepEqual(
    v.apps.map((a) => a.app),
    ['child', 'root', 'web'],
  );
  assert.ok(v.apps[0]!.findings.some((f) => f.rule === 'app-source-drift'));
  assert.equal(v.unchangedApps, 0);

  const same = diff(['--all', '--base', 'main', '--head', 'main']);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /^3 other apps unchanged$/m);
  assert.doesNotMatch(same.stdout, /objects/);
});

test("the same revision twice: no change, and the exit code is that revision's verdict (with --exit-code too)", () => {
  const accepted = diff([...appArgs('web'), '--base', 'main', '--head', 'main', '--exit-code']);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, /^web: \+0 -0 ~0 objects$/m);
  assert.match(accepted.stderr, /base ([0-9a-f]{12}), head \1$/m);
  const refused = diff([...appArgs('web'), '--base', 'change', '--head', 'change', '--format', 'json']);
  assert.equal(refused.code, 1);
  const v = JSON.parse(refused.stdout) as { apps: Array<{ summary: Record<string, number> }> };
  assert.deepEqual(v.apps[0]!.summary, { removed: 0, added: 0, changed: 0, unchanged: 3 });
  assert.equal(findingLines(refused.stderr, 'unacknowledged-deletion').length, 2);
});

test('a base revision that does not exist: one line, exit 2, stdout empty', () => {
  for (const base of ['no-such-branch', '0123456789abcdef0123456789abcdef01234567', '--upload-pack=x']) {
    const r = diff([...appArgs('web'), '--base', base]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^safe-render: error: --base /);
  }
  const h = diff([...appArgs('web'), '--base', 'main', '--head', 'nope']);
  assert.equal(h.code, 2);
  assert.match(h.stderr, /^safe-render: error: --head nope/);
  assert.equal(diff([...appArgs('web'), '--format', 'html']).code, 2);
});

test('the working tree as it is: an uncommitted edit and an untracked file are diffed, an ignored file is not; --exit-code', () => {
  const w = diffRepo();
  git(w.repo, 'checkout', '-q', 'main');
  writeFiles(w.repo, {
    'apps/web/web.yaml': readWeb(w.repo).replace('web:1.0.0', 'web:2.0.0-rc1'),
    'apps/web/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
    'apps/web/ignored.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ignored\n',
  });
  const r = diff([...appArgs('web')], w.repo);
  // Defaults: the base is the merge base with main (HEAD itself here), the head the working tree.
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(textObjects(r.stdout), {
    removed: [],
    added: ['ConfigMap prod/extra'],
    changed: ['apps/Deployment prod/web'],
  });
  assert.match(r.stdout, /^\+\s+image: registry\.example\.com\/web:2\.0\.0-rc1$/m);
  assert.match(r.stderr, /head working tree \(HEAD [0-9a-f]{12}\)/);
  const e = diff([...appArgs('web'), '--exit-code'], w.repo);
  assert.equal(e.code, 1);
  assert.equal(e.stdout, r.stdout, 'a difference with --exit-code keeps the report');
});

function readWeb(repo: string): string {
  return git(repo, 'show', `HEAD:${join('apps/web', 'web.yaml')}`) + '\n';
}

test('SIGTERM in the middle of a diff: exit 2, stdout empty, the scratch folders removed', async () => {
  const { spawn } = await import('node:child_process');
  const { BUNDLE } = await import('./helpers');
  const big = diffRepo();
  // Large enough that the renders take a while after the scratch folders exist.
  const cms = Array.from(
    { length: 6000 },
    (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  v: "${i}"\n`,
  );
  writeFiles(big.repo, { 'apps/web/many.yaml': cms.join('---\n') });
  const child = spawn(process.execPath, [BUNDLE, 'diff', ...appArgs('web'), '--base', 'main'], {
    cwd: big.repo,
    env: { ...process.env, TMPDIR: big.scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const deadline = Date.now() + 60_000;
  while (readdirSync(big.scratch).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(readdirSync(big.scratch).length >= 1, 'no scratch folder appeared');
  child.kill('SIGTERM');
  const code = await exited;
  assert.equal(code, 2, stderr);
  assert.equal(stdout, '');
  assert.match(stderr, /SIGTERM/);
  assert.deepEqual(readdirSync(big.scratch), []);
});

test('--all: an app whose head does not render is listed with a note, not as every object removed', () => {
  const w = diffRepo();
  git(w.repo, 'checkout', '-q', 'main');
  writeFiles(w.repo, { 'apps/child/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n' });
  const r = diff(['--all'], w.repo);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^child: \+0 -0 ~0 objects \(head render failed\)$/m);
  assert.match(r.stdout, /^ {2}note: the head revision did not render: its objects are not known$/m);
  assert.doesNotMatch(r.stdout, /removed/);
  assert.match(r.stdout, /^2 other apps unchanged$/m);
  assert.match(r.stderr, /^safe-render: app child failed/m);
});

test('without --app the app is named after its folder (the repository root too), not after the scratch copy', () => {
  const repo = tmp('safe-render-diff-rootapp-');
  git(repo, 'init', '-q', '-b', 'main');
  writeFiles(repo, { 'a.yaml': manifest('ConfigMap', 'a'), 'b.yaml': manifest('ConfigMap', 'b') });
  assert.equal(runCli(['lock', '-n', 'x'], { cwd: repo }).code, 0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'one');
  rmSync(join(repo, 'b.yaml'));
  const r = diff(['-n', 'x', '--base', 'main'], repo);
  assert.equal(r.code, 1, r.stderr);
  const name = basename(repo);
  assert.match(r.stdout, new RegExp(`^${name}: \\+0 -1 ~0 objects \\(head refused\\)$`, 'm'));
  assert.match(r.stderr, new RegExp(`locks/${name}\\.lock`));
});
