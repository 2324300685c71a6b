// Refusals as people read them (issue 14): the exact stderr of the sidecar's refusal for 60 deletions
// (Argo CD shows all of it in the ComparisonError box), the whole list with render --verbose, and
// runbook links behind a base URL from SAFE_RENDER_RUNBOOK_URL or the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, headLines, makeRepo, runCli, writeFiles } from './helpers';
import { gitRepo, repoFiles } from './ci-repo';
import { assertLocked, configMaps, generate, lock, renderApp, REPO_URL, type App } from './lock-helpers';
import { runGenerate } from './harness/cmp-server';

const SHOP: App = { path: 'apps/shop', name: 'shop', namespace: 'shop' };

/** An app of 60 ConfigMaps, locked, whose kustomization then lists nothing: a path or template break. */
function brokenShop(): string {
  const repo = makeRepo({
    'apps/shop/objects.yaml': configMaps(60),
    'apps/shop/kustomization.yaml': 'resources:\n- objects.yaml\n',
  });
  assertLocked(lock(repo, SHOP));
  writeFiles(repo, { 'apps/shop/kustomization.yaml': 'resources: []\n' });
  return repo;
}

test('60 deletions in the sidecar: a headline, each fix once, 10 deletions and a count of the rest (the ComparisonError text)', () => {
  const r = generate(brokenShop(), SHOP);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  // Sorted as the lock diff sorts refs: cm-1, cm-10, cm-11, ...
  const shown = ['1', '10', '11', '12', '13', '14', '15', '16', '17', '18'];
  assert.deepEqual(r.stderr.split('\n'), [
    'safe-render: refused: 60 of 60 objects would be deleted; likely a path or template break',
    'error[empty-render]: the render has no objects; with auto-prune Argo CD would delete everything the app runs',
    '  Fix: check the paths, include/exclude globs and templates; if the app is meant to be empty, record it with `safe-render lock --empty` (or `allowEmpty: true` in safe-render.yaml) (runbook: docs/rules/empty-render.md)',
    ...shown.map(
      (i) =>
        `error[unacknowledged-deletion] core/ConfigMap/shop/cm-${i}: is in the lock (.safe-render/locks/shop.lock) but missing from the render; Argo CD would delete it`,
    ),
    '  ... and 50 more error[unacknowledged-deletion] (safe-render render --verbose lists them all)',
    `  Fix: if this is an accident, restore the object (check renames, paths and templates); if the deletion is intended, run \`safe-render lock apps/shop --app shop --namespace shop --repo-url ${REPO_URL} --accept mass-deletion:shop\` from the repository root and commit the lock with the change (runbook: docs/rules/unacknowledged-deletion.md)`,
    'safe-render: refused: 61 errors; nothing was emitted',
    '',
  ]);
  // Was 62 lines and about 31 KB (docs/development/refusals.md).
  assert.ok(Buffer.byteLength(r.stderr) < 3000, `${Buffer.byteLength(r.stderr)} bytes`);
});

test('in Argo CD (the harness): the ComparisonError opens with the headline', async () => {
  const r = await runGenerate({
    name: 'shop',
    destinationNamespace: 'shop',
    path: 'apps/shop',
    repoURL: REPO_URL,
    repoDir: brokenShop(),
    plugin: { name: 'safe-render' },
  });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.ok(
    r.error!.startsWith(
      '`safe-render generate` failed exit status 1: safe-render: refused: 60 of 60 objects would be deleted; likely a path or template break\nerror[empty-render]: ',
    ),
    r.error,
  );
  // All 16 lines of stderr, trimmed (Go's strings.TrimSpace), after Argo CD's prefix.
  assert.equal(r.error!.split('\n').length, 16);
});

test('render --verbose lists all 60 deletions, each fix still once; piped render without it is capped like the sidecar', () => {
  const repo = brokenShop();
  const all = renderApp(repo, SHOP, ['--verbose']);
  assert.equal(all.code, 1);
  assert.equal(headLines(all.stderr, 'unacknowledged-deletion').length, 60);
  assert.equal(all.stderr.match(/^ {2}Fix: /gm)?.length, 2);
  assert.doesNotMatch(all.stderr, /and \d+ more/);
  // Scripts that join each head with its fix still read every deletion and its command.
  assert.ok(
    findingLines(all.stderr, 'unacknowledged-deletion').every((l) => l.includes('--accept mass-deletion:shop')),
  );
  const capped = renderApp(repo, SHOP);
  assert.equal(headLines(capped.stderr, 'unacknowledged-deletion').length, 10);
  assert.match(
    capped.stderr,
    /^ {2}\.\.\. and 50 more error\[unacknowledged-deletion\] \(render --verbose lists them all\)$/m,
  );
});

test('runbook links: SAFE_RENDER_RUNBOOK_URL, else the policy runbookUrl, in front of docs/rules/<id>.md', () => {
  const repo = brokenShop();
  const base = 'https://github.com/acme/safe-render/blob/v0.1.0';
  const fromEnv = generate(repo, SHOP, { SAFE_RENDER_RUNBOOK_URL: base });
  assert.equal(fromEnv.code, 1);
  assert.match(
    fromEnv.stderr,
    /\(runbook: https:\/\/github\.com\/acme\/safe-render\/blob\/v0\.1\.0\/docs\/rules\/empty-render\.md\)$/m,
  );
  assert.doesNotMatch(fromEnv.stderr, /\(runbook: docs\//);

  const policy = join(repo, 'policy.yaml');
  writeFileSync(policy, 'runbookUrl: https://runbooks.example.com/safe-render/\ndefault: {}\n');
  const fromPolicy = generate(repo, SHOP, { SAFE_RENDER_POLICY: policy });
  assert.equal(fromPolicy.code, 1, fromPolicy.stderr);
  assert.match(
    fromPolicy.stderr,
    /\(runbook: https:\/\/runbooks\.example\.com\/safe-render\/docs\/rules\/unacknowledged-deletion\.md\)$/m,
  );
  // The environment wins over the policy.
  const both = generate(repo, SHOP, { SAFE_RENDER_POLICY: policy, SAFE_RENDER_RUNBOOK_URL: base });
  assert.match(both.stderr, /\(runbook: https:\/\/github\.com\/acme\//);
});

test('runbook links: a base that is not an absolute http(s) URL is a usage error (exit 2, stdout empty)', () => {
  const repo = brokenShop();
  for (const bad of ['docs/', 'javascript:alert(1)', 'https://x.example.com/a b']) {
    const r = generate(repo, SHOP, { SAFE_RENDER_RUNBOOK_URL: bad });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^safe-render: error: SAFE_RENDER_RUNBOOK_URL takes an absolute http\(s\) URL/m);
  }
  const policy = join(repo, 'policy.yaml');
  writeFileSync(policy, 'runbookUrl: ftp://example.com/\ndefault: {}\n');
  const r = generate(repo, SHOP, { SAFE_RENDER_POLICY: policy });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /runbookUrl.*must be an absolute http\(s\) URL/);
});

test('ci --quiet prints the same grouped layout, with --runbook-url (or SAFE_RENDER_RUNBOOK_URL) as links', () => {
  const files = repoFiles();
  files['apps/plain/c/bad.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n';
  const dir = gitRepo(files).dir;
  const base = 'https://github.com/acme/safe-render/blob/v0.1.0/';
  const flag = runCli(['ci', '--quiet', '--runbook-url', base], { cwd: dir, timeoutMs: 300_000 });
  assert.equal(flag.code, 1, flag.stderr);
  assert.match(
    flag.stderr,
    /^error\[invalid-object\] ConfigMap \(unnamed\) \(apps\/plain\/c\/bad\.yaml:1\): .*\n {2}Fix: .* \(runbook: https:\/\/github\.com\/acme\/safe-render\/blob\/v0\.1\.0\/docs\/rules\/invalid-object\.md\)$/m,
  );
  const env = runCli(['ci', '--quiet'], { cwd: dir, timeoutMs: 300_000, env: { SAFE_RENDER_RUNBOOK_URL: base } });
  assert.equal(env.stderr, flag.stderr);
});
