// appset-app-removed (issue 11): the lock of an app that renders an ApplicationSet records the names of
// the Applications it generates; a render that stops generating one is refused in generate, render and
// lock alike, until accepted by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { findingLines, makeRepo, writeFiles } from '../../../test/helpers';
import {
  assertClean,
  assertLocked,
  assertRefused,
  generate,
  lock,
  lockFile,
  readLock,
  renderApp,
  REPO_URL,
  type App,
} from '../../../test/lock-helpers';

const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
const REF = 'argoproj.io/ApplicationSet/argocd/shops';

function appSet(opts: { elements?: string[]; generators?: string; name?: string; policy?: string }): string {
  const generators =
    opts.generators ?? `- list:\n    elements: [${(opts.elements ?? []).map((e) => `{name: ${e}}`).join(', ')}]\n`;
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: shops
  namespace: argocd
spec:
  generators:
${generators
  .trimEnd()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
${opts.policy ? `  syncPolicy:\n    applicationsSync: ${opts.policy}\n` : ''}  template:
    metadata:
      name: '${opts.name ?? '{{name}}-app'}'
    spec:
      project: default
      source: {repoURL: ${REPO_URL}, path: 'apps/{{name}}', targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: '{{name}}'}
`;
}

const FILE = 'apps/root/shops.yaml';

function lockedRepo(set: string, extra: Record<string, string> = {}): string {
  const repo = makeRepo({ [FILE]: set, ...extra });
  assertLocked(lock(repo, ROOT));
  return repo;
}

/** The `generates` list the lock records for the ApplicationSet, or undefined. */
function generates(repo: string): string[] | undefined {
  const line = readLock(repo, 'root')
    .split('\n')
    .find((l) => l.startsWith(`object ${REF}`));
  assert.ok(line, 'the ApplicationSet is in the lock');
  const state = line.slice(`object ${REF} `.length);
  return state ? (JSON.parse(state) as { generates?: string[] }).generates : undefined;
}

test('the lock records the sorted names the ApplicationSet generates', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart'] }));
  assert.deepEqual(generates(repo), ['argocd/cart-app', 'argocd/web-app']);
  assertClean(generate(repo, ROOT));
});

test('a list element removed is refused in generate and render, naming the ApplicationSet, the name and why', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart'] }));
  writeFiles(repo, { [FILE]: appSet({ elements: ['cart'] }) });
  const lines = assertRefused(generate(repo, ROOT), 'appset-app-removed');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^error\[appset-app-removed\] argoproj\.io\/Application\/argocd\/web-app: ApplicationSet argoproj\.io\/ApplicationSet\/argocd\/shops no longer generates the Application argocd\/web-app, which the lock \(\.safe-render\/locks\/root\.lock\) records; the ApplicationSet controller would delete that Application and, through its resources finalizer, everything it deployed \(argo-cd#9227\)\. Fix: /,
  );
  assert.match(lines[0]!, /restore the generator input/);
  assert.match(lines[0]!, /preserveResourcesOnDeletion: true or applicationsSync: create-update/);
  assert.match(
    lines[0]!,
    /--accept appset-app-removed:argoproj\.io\/Application\/argocd\/web-app` from the repository root/,
  );
  assertRefused(renderApp(repo, ROOT), 'appset-app-removed');
});

test('a template rename ({{name}}-app -> {{name}}-svc) refuses each old name; the new ones are only lock-stale', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart'] }));
  writeFiles(repo, { [FILE]: appSet({ elements: ['web', 'cart'], name: '{{name}}-svc' }) });
  const r = generate(repo, ROOT);
  const lines = assertRefused(r, 'appset-app-removed');
  assert.deepEqual(
    lines.map((l) => l.split(':')[0]),
    [
      'error[appset-app-removed] argoproj.io/Application/argocd/cart-app',
      'error[appset-app-removed] argoproj.io/Application/argocd/web-app',
    ],
  );
  // lock refuses too, asking for both acceptances; with them it writes the new names and the tokens.
  const refused = lock(repo, ROOT);
  assert.equal(refused.code, 1, refused.stderr);
  assert.equal(findingLines(refused.stderr, 'appset-app-removed').length, 2);
  assert.deepEqual(generates(repo), ['argocd/cart-app', 'argocd/web-app'], 'the lock was not written');
  assertLocked(
    lock(repo, ROOT, [
      '--accept',
      'appset-app-removed:argoproj.io/Application/argocd/web-app',
      '--accept',
      'appset-app-removed:argoproj.io/Application/argocd/cart-app',
    ]),
  );
  assert.deepEqual(generates(repo), ['argocd/cart-svc', 'argocd/web-svc']);
  assert.match(readLock(repo, 'root'), /^accepted appset-app-removed:argoproj\.io\/Application\/argocd\/web-app$/m);
  assertClean(generate(repo, ROOT));
});

test('an accepted removal passes; accepting one name does not accept another', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart', 'shop'] }));
  writeFiles(repo, { [FILE]: appSet({ elements: ['shop'] }) });
  const partial = lock(repo, ROOT, ['--accept', 'appset-app-removed:argoproj.io/Application/argocd/web-app']);
  assert.equal(partial.code, 1);
  assert.match(findingLines(partial.stderr, 'appset-app-removed')[0]!, /argocd\/cart-app/);
  const wrong = lock(repo, ROOT, ['--accept', 'appset-app-removed:argoproj.io/Application/argocd/nope']);
  assert.equal(wrong.code, 2, 'an acceptance of nothing is a usage error');
  assert.match(wrong.stderr, /nothing to accept for appset-app-removed:argoproj\.io\/Application\/argocd\/nope/);
  const r = lock(repo, ROOT, [
    '--accept',
    'appset-app-removed:argoproj.io/Application/argocd/web-app',
    '--accept',
    'appset-app-removed:argoproj.io/Application/argocd/cart-app',
  ]);
  assertLocked(r);
  assert.match(r.stderr, /1 generated Applications \(0 added, 2 removed\)/);
  assertClean(generate(repo, ROOT));
});

test('a name that appears is lock-stale (a warning in the sidecar), written by lock without --accept', () => {
  const repo = lockedRepo(appSet({ elements: ['web'] }));
  writeFiles(repo, { [FILE]: appSet({ elements: ['web', 'cart'] }) });
  const r = renderApp(repo, ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(findingLines(r.stderr, 'lock-stale', 'warning')[0]!, /1 generated Application not in the lock/);
  assert.equal(lock(repo, ROOT, ['--check']).code, 1, 'lock --check: stale');
  assertLocked(lock(repo, ROOT));
  assert.deepEqual(generates(repo), ['argocd/cart-app', 'argocd/web-app']);
});

test('a lock without the field (written before issue 11) passes: nothing recorded, every name an addition', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart'] }));
  const f = lockFile(repo, 'root');
  writeFileSync(
    f,
    readFileSync(f, 'utf8')
      .replace(/"generates":\[[^\]]*\],?/, '')
      .replace(',}', '}'),
  );
  assert.equal(generates(repo), undefined);
  writeFiles(repo, { [FILE]: appSet({ elements: ['cart'] }) });
  const r = generate(repo, ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(findingLines(r.stderr, 'appset-app-removed').length, 0);
  const stale = renderApp(repo, ROOT);
  assert.match(findingLines(stale.stderr, 'lock-stale', 'warning')[0]!, /1 generated Application not in the lock/);
});

test('under applicationsSync create-update or create-only a removal deletes nothing: lock-stale, no acceptance', () => {
  for (const policy of ['create-update', 'create-only']) {
    const repo = lockedRepo(appSet({ elements: ['web', 'cart'], policy }));
    assert.match(readLock(repo, 'root'), new RegExp(`"applicationsSync":"${policy}"`));
    writeFiles(repo, { [FILE]: appSet({ elements: ['cart'], policy }) });
    const r = renderApp(repo, ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      findingLines(r.stderr, 'lock-stale', 'warning')[0]!,
      /1 generated Application no longer generated \(the ApplicationSet's applicationsSync policy keeps it running\)/,
    );
    assertLocked(lock(repo, ROOT));
    assert.deepEqual(generates(repo), ['argocd/cart-app']);
  }
});

test('switching the policy to sync in the same change as a removal is refused (the render decides)', () => {
  const repo = lockedRepo(appSet({ elements: ['web', 'cart'], policy: 'create-update' }));
  writeFiles(repo, { [FILE]: appSet({ elements: ['cart'] }) });
  assertRefused(generate(repo, ROOT), 'appset-app-removed');
});

test('a generator that cannot be evaluated records nothing (appset-may-shrink covers it)', () => {
  const clusters = '- clusters: {}\n';
  const repo = makeRepo({
    [FILE]: appSet({ generators: clusters }).replace(
      '  template:',
      '  syncPolicy:\n    preserveResourcesOnDeletion: true\n  template:',
    ),
  });
  assertLocked(lock(repo, ROOT));
  assert.equal(generates(repo), undefined);
});

test('a folder renamed under a git directories generator is refused', () => {
  const git = `- git:\n    repoURL: ${REPO_URL}\n    revision: main\n    directories:\n      - path: 'shops/*'\n`;
  const set = appSet({ generators: git, name: '{{path.basename}}' });
  const repo = lockedRepo(set, { 'shops/web/cm.yaml': 'x: 1\n', 'shops/cart/cm.yaml': 'x: 1\n' });
  assert.deepEqual(generates(repo), ['argocd/cart', 'argocd/web']);
  renameSync(join(repo, 'shops/web'), join(repo, 'shops/storefront'));
  const lines = assertRefused(generate(repo, ROOT), 'appset-app-removed');
  assert.match(lines[0]!, /no longer generates the Application argocd\/web,/);
});

test('the ApplicationSet removed from the render is its own deletion (protected), not one finding per name', () => {
  const repo = lockedRepo(appSet({ elements: ['web'] }), {
    'apps/root/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
  });
  rmSync(join(repo, FILE));
  const r = generate(repo, ROOT);
  assert.match(assertRefused(r, 'unacknowledged-deletion')[0]!, /ApplicationSet is a protected kind/);
  assert.equal(findingLines(r.stderr, 'appset-app-removed').length, 0);
});

test('lock --check: a hand edit that drops a name, or the whole record, from the lock is lock-tampered', () => {
  const git = (repo: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  for (const edit of [
    (t: string) => t.replace('"argocd/cart-app",', ''),
    (t: string) => t.replace(/"generates":\[[^\]]*\],?/, '').replace(',}', '}'),
  ]) {
    const repo = makeRepo({ [FILE]: appSet({ elements: ['web', 'cart'] }) });
    rmSync(join(repo, '.git'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    assertLocked(lock(repo, ROOT));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'lock');
    git(repo, 'checkout', '-qb', 'change');
    const f = lockFile(repo, 'root');
    writeFileSync(f, edit(readFileSync(f, 'utf8')));
    writeFiles(repo, { [FILE]: appSet({ elements: ['web'] }) });
    const r = lock(repo, ROOT, ['--check', '--base', 'main']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      findingLines(r.stderr, 'lock-tampered').some((l) =>
        l.includes('appset-app-removed:argoproj.io/Application/argocd/cart-app'),
      ),
      r.stderr,
    );
  }
});
