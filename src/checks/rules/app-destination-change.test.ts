import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, writeFiles } from '../../../test/helpers';
import { application, assertClean, assertLocked, assertRefused, generate, lock, readLock, type App, applicationSet } from '../../../test/lock-helpers';

// An app-of-apps: the parent app renders Application objects into Argo CD's namespace.
const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
const WEB_REF = 'argoproj.io/Application/argocd/web';

function appOfApps(): string {
  const repo = makeRepo({
    'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web' }),
    'apps/root/api.yaml': application('api', { path: 'apps/api', destNamespace: 'api' }),
  });
  assertLocked(lock(repo, ROOT));
  assertClean(generate(repo, ROOT));
  return repo;
}

test('a child Application deploying to another namespace is refused, showing old and new destination', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web-new' }) });
  const lines = assertRefused(generate(repo, ROOT), 'app-destination-change');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^error\\[app-destination-change\\] ${WEB_REF}: destination changed from \\{"namespace":"web","server":"https://kubernetes\\.default\\.svc"\\} to \\{"namespace":"web-new","server":"https://kubernetes\\.default\\.svc"\\} \\(lock: \\.safe-render/locks/root\\.lock\\); what it deployed at the old destination is pruned or abandoned`));
  assert.match(lines[0]!, new RegExp(`--accept app-destination-change:${WEB_REF}`));
});

test('a child Application deploying to another cluster is refused', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web', server: 'https://eu-2.example.com' }) });
  assert.match(assertRefused(generate(repo, ROOT), 'app-destination-change')[0]!, /"server":"https:\/\/eu-2\.example\.com"/);
});

test('a child Application re-pointed at another source path is refused as a source change', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web-v2', destNamespace: 'web' }) });
  const [line] = assertRefused(generate(repo, ROOT), 'app-destination-change');
  assert.match(line!, /source changed from \{"path":"apps\/web","repoURL":"[^"]+","targetRevision":"main"\} to \{"path":"apps\/web-v2",.*what it deployed from the old source is replaced by whatever the new one renders/);
});

test('lock refuses the move without --accept app-destination-change:REF; with it, the parent renders cleanly', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web-new' }) });
  const refused = lock(repo, ROOT);
  assert.match(assertRefused(refused, 'app-destination-change')[0]!, new RegExp(`run the same command with --accept app-destination-change:${WEB_REF}`));
  assertLocked(lock(repo, ROOT, ['--accept', `app-destination-change:${WEB_REF}`]));
  assert.match(readLock(repo, 'root'), new RegExp(`^accepted app-destination-change:${WEB_REF}$`, 'm'));
  assertClean(generate(repo, ROOT));
});

test('an ApplicationSet template that changes destination is refused too', () => {
  const appset = (ns: string) => applicationSet({ regions: ['eu', 'us'], namespace: ns });
  const repo = makeRepo({ 'apps/root/shops.yaml': appset('shop-{{region}}'), 'apps/root/web.yaml': application('web', { path: 'apps/web' }) });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset('shop') });
  assert.match(assertRefused(generate(repo, ROOT), 'app-destination-change')[0]!, /^error\[app-destination-change\] argoproj\.io\/ApplicationSet\/argocd\/shops: destination changed/);
  assertLocked(lock(repo, ROOT, ['--accept', 'app-destination-change:argoproj.io/ApplicationSet/argocd/shops']));
  assertClean(generate(repo, ROOT));
});

test('a new Application, or one whose destination is unchanged, passes', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/shop.yaml': application('shop', { path: 'apps/shop' }) });
  const r = generate(repo, ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stderr.split('\n').filter((l) => l.startsWith('error[')), []);
  assert.match(r.stderr, /^warning\[lock-stale\] app root: .*1 object not in the lock/m);
});
