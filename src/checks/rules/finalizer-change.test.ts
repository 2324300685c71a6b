import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRepo, writeFiles } from '../../../test/helpers';
import {
  application,
  assertClean,
  assertLocked,
  assertRefused,
  generate,
  lock,
  readLock,
  type App,
  applicationSet,
} from '../../../test/lock-helpers';

const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
const WEB_REF = 'argoproj.io/Application/argocd/web';

function appOfApps(finalizer: boolean): string {
  const repo = makeRepo({
    'apps/root/web.yaml': application('web', { path: 'apps/web', finalizer }),
    'apps/root/api.yaml': application('api', { path: 'apps/api', finalizer: true }),
  });
  assertLocked(lock(repo, ROOT));
  return repo;
}

test('removing the resources finalizer from a child Application is refused', () => {
  const repo = appOfApps(true);
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', finalizer: false }) });
  const lines = assertRefused(generate(repo, ROOT), 'finalizer-change');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    new RegExp(
      `^error\\[finalizer-change\\] ${WEB_REF}: deletion behaviour changed from \\{"finalizers":\\["resources-finalizer\\.argocd\\.argoproj\\.io"\\]\\} to \\{"finalizers":\\[\\]\\} \\(lock: \\.safe-render/locks/root\\.lock\\)`,
    ),
  );
  assert.match(lines[0]!, new RegExp(`--accept finalizer-change:${WEB_REF}`));
});

test('adding the resources finalizer (deleting the Application would now cascade) is refused too', () => {
  const repo = appOfApps(false);
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', finalizer: true }) });
  assert.match(
    assertRefused(generate(repo, ROOT), 'finalizer-change')[0]!,
    /from \{"finalizers":\[\]\} to \{"finalizers":\["resources-finalizer\.argocd\.argoproj\.io"\]\}/,
  );
});

test('lock refuses the change without --accept finalizer-change:REF; with it, the parent renders cleanly', () => {
  const repo = appOfApps(true);
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', finalizer: false }) });
  assertRefused(lock(repo, ROOT), 'finalizer-change');
  assertLocked(lock(repo, ROOT, ['--accept', `finalizer-change:${WEB_REF}`]));
  assert.match(readLock(repo, 'root'), new RegExp(`^accepted finalizer-change:${WEB_REF}$`, 'm'));
  assertClean(generate(repo, ROOT));
});

test('an ApplicationSet dropping preserveResourcesOnDeletion is refused; accepted, it renders', () => {
  const appset = (preserve: boolean) => applicationSet({ preserve });
  const repo = makeRepo({
    'apps/root/shops.yaml': appset(true),
    'apps/root/web.yaml': application('web', { path: 'apps/web' }),
  });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset(false) });
  const [line] = assertRefused(generate(repo, ROOT), 'finalizer-change');
  assert.match(
    line!,
    /argoproj\.io\/ApplicationSet\/argocd\/shops: deletion behaviour changed from \{"finalizers":\[\],"preserveResourcesOnDeletion":true\} to \{"finalizers":\[\],"preserveResourcesOnDeletion":false\}/,
  );
  assertLocked(lock(repo, ROOT, ['--accept', 'finalizer-change:argoproj.io/ApplicationSet/argocd/shops']));
  assertClean(generate(repo, ROOT));
});

test('other finalizers are not recorded: adding one is no finalizer-change', () => {
  const repo = appOfApps(true);
  writeFiles(repo, {
    'apps/root/web.yaml': application('web', { path: 'apps/web', finalizer: true }).replace(
      '    - resources-finalizer.argocd.argoproj.io',
      '    - resources-finalizer.argocd.argoproj.io\n    - example.com/cleanup',
    ),
  });
  assertClean(generate(repo, ROOT));
});
