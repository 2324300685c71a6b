import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, runCli, type RunResult } from '../../../test/helpers';
import { runGenerate } from '../../../test/harness/cmp-server';

const NO_FREEZE = { SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-test-freeze' };
const WEB = { 'apps/web/a.yaml': manifest('ConfigMap', 'a') };
const OVERRIDE = 'plugin:\n  env:\n    - {name: X, value: y}\n';

function generate(repo: string, appName = 'web'): RunResult {
  return runCli(['generate'], {
    cwd: join(repo, 'apps/web'),
    cleanEnv: true,
    env: { ARGOCD_APP_NAME: appName, ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_SOURCE_PATH: 'apps/web', ...NO_FREEZE },
  });
}

test('generate refuses .argocd-source.yaml and .argocd-source-<app>.yaml, which Argo CD merges into the source', () => {
  const cases: Array<[string, string]> = [
    ['.argocd-source.yaml', 'web'],
    ['.argocd-source-web.yaml', 'web'],
    // Apps outside the control-plane namespace: Argo CD uses the instance name <ns>_<name>.
    ['.argocd-source-team-a_web.yaml', 'team-a_web'],
  ];
  for (const [file, app] of cases) {
    const r = generate(makeRepo({ ...WEB, [`apps/web/${file}`]: OVERRIDE }), app);
    assert.equal(r.code, 1, `${file}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const [line] = findingLines(r.stderr, 'source-override');
    assert.ok(line, `${file}: ${r.stderr}`);
    assert.ok(
      line.startsWith(
        `error[source-override] apps/web/${file}: Argo CD merges this file into the Application's source before the plugin runs`,
      ),
      line,
    );
    assert.ok(line.endsWith('(runbook: docs/rules/source-override.md)'), line);
  }
});

test('an empty file, a link to one, or anything that is not a folder under the name is refused too', () => {
  const empty = generate(makeRepo({ ...WEB, 'apps/web/.argocd-source.yaml': '' }));
  assert.equal(empty.code, 1, empty.stderr);
  const linked = makeRepo({ ...WEB, 'apps/web/real.yaml.txt': OVERRIDE });
  symlinkSync('real.yaml.txt', join(linked, 'apps/web/.argocd-source-web.yaml'));
  assert.equal(generate(linked).code, 1);
  const broken = makeRepo(WEB);
  symlinkSync('nothing', join(broken, 'apps/web/.argocd-source.yaml'));
  assert.equal(generate(broken).code, 1, 'fail closed on a name we cannot read');
});

test("the legitimate case: no override file, a folder under the name (Argo CD skips it), another app's file", () => {
  const none = generate(makeRepo(WEB));
  assert.equal(none.code, 0, none.stderr);
  assert.equal(parseJsonStream(none.stdout).length, 1);
  const folder = makeRepo(WEB);
  mkdirSync(join(folder, 'apps/web/.argocd-source.yaml'));
  assert.equal(generate(folder).code, 0);
  // Another app's file in a shared folder does not change this app: a warning only.
  const other = generate(makeRepo({ ...WEB, 'apps/web/.argocd-source-payments.yaml': OVERRIDE }));
  assert.equal(other.code, 0, other.stderr);
  assert.match(
    findingLines(other.stderr, 'source-override', 'warning')[0]!,
    /apps\/web\/\.argocd-source-payments\.yaml: Argo CD merges this file, for the app it names,/,
  );
  // A file that only looks similar is not read by Argo CD.
  assert.equal(generate(makeRepo({ ...WEB, 'apps/web/argocd-source.yaml.bak': 'x' })).code, 0);
});

test('render and lock warn for every override file, whatever the app name (only CI sees a switched-off app)', () => {
  for (const file of ['.argocd-source.yaml', '.argocd-source-web.yaml', '.argocd-source-argocd-apps_web.yaml']) {
    const repo = makeRepo({ ...WEB, [`apps/web/${file}`]: OVERRIDE });
    const r = runCli(['render', 'apps/web', '--app', 'web', '-n', 'prod'], { cwd: repo, env: NO_FREEZE });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      findingLines(r.stderr, 'source-override', 'warning')[0]!,
      new RegExp(`apps/web/${file.replace(/\./g, '\\.')}: `),
    );
    const l = runCli(['lock', 'apps/web', '--app', 'web', '-n', 'prod'], { cwd: repo, env: NO_FREEZE });
    assert.equal(l.code, 0, l.stderr);
    assert.equal(findingLines(l.stderr, 'source-override', 'warning').length, 1);
  }
});

test('through the harness: the sidecar refuses, the file name reaches stderr sanitised', async () => {
  const repo = makeRepo({ ...WEB, 'apps/web/.argocd-source-web.yaml': OVERRIDE });
  const r = await runGenerate({ name: 'web', path: 'apps/web', destinationNamespace: 'prod', repoDir: repo });
  assert.equal(r.ok, false);
  assert.equal(r.exitCode, 1);
  assert.match(r.error ?? '', /error\[source-override\] apps\/web\/\.argocd-source-web\.yaml/);
  const odd = makeRepo({ ...WEB, 'apps/web/.argocd-source-\x1b[2Jx.yaml': OVERRIDE });
  const w = runCli(['render', 'apps/web', '--app', 'web', '-n', 'prod'], { cwd: odd, env: NO_FREEZE });
  assert.equal(w.code, 0, w.stderr);
  assert.match(findingLines(w.stderr, 'source-override', 'warning')[0]!, /\.argocd-source-\\x1b\[2Jx\.yaml/);
});
