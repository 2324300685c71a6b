// The repository-wide deletion budget counts what locks accepted since the base revision (issue 11:
// "one shared template change that shrinks many apps is caught even when each app alone stays under its
// own budget"). Each app below loses 2 of its 10 ConfigMaps, within its own budget, and its lock is
// rewritten in the same change; summed, 4 deletions are over a repository budget of 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, runCli } from './helpers';
import { REPO_URL, gitRepo } from './ci-repo';

requireTools();

const APPS = ['shop', 'cart'];
const cm = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${n}\ndata:\n  n: "${n}"\n`;
const application = (name: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n  source:\n    repoURL: ${REPO_URL}\n    path: apps/${name}\n    plugin:\n      name: safe-render\n`;

function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const app of APPS) {
    out[`argocd/${app}.yaml`] = application(app);
    for (let i = 0; i < 10; i++) out[`apps/${app}/cm-${i}.yaml`] = cm(i);
  }
  return out;
}

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });

function lock(dir: string, app: string): void {
  const r = runCli(['lock', `apps/${app}`, '--app', app, '-n', app, '--repo-url', REPO_URL], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
}

/** A repository whose main branch has every app locked, and a branch that drops 2 objects per app and
 * rewrites the locks (within each app's own budget, so `lock` needs no --accept). */
function shrunk(): string {
  const { dir } = gitRepo(files());
  for (const app of APPS) lock(dir, app);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'locks']);
  git(dir, ['checkout', '-q', '-b', 'shrink']);
  for (const app of APPS) {
    for (const i of [8, 9]) rmSync(join(dir, `apps/${app}/cm-${i}.yaml`));
    lock(dir, app);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'shrink every app a little']);
  return dir;
}

const budgetFindings = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; message: string }[] }).findings.filter(
    (f) => f.rule === 'repo-mass-deletion',
  );

test('deletions accepted in every app since the merge base are summed: over --max-deletions, ci refuses', () => {
  const dir = shrunk();
  const r = runCli(['ci', '--report', 'json=-', '--max-deletions', '3'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  const found = budgetFindings(r.stdout);
  assert.equal(found.length, 1, r.stdout);
  assert.match(found[0]!.message, /\b4\b/);
  assert.match(r.stderr, /repo-mass-deletion/);
});

test('the same change within the budget passes; an explicit --base of the branch itself counts nothing', () => {
  const dir = shrunk();
  const ok = runCli(['ci', '--report', 'json=-', '--max-deletions', '4'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(budgetFindings(ok.stdout), []);
  const self = runCli(['ci', '--report', 'json=-', '--max-deletions', '3', '--base', 'HEAD'], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  assert.equal(self.code, 0, self.stderr);
  const bad = runCli(['ci', '--base', '--help'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
});
