// What `ci --init` / `--fix-locks` print (issue 11): every exception allowed, every file listed, every
// lock written or kept, one line each whatever the repository's names hold. In-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Adoption } from './adopt';
import { adoptionLines } from './adopt-print';

const adoption: Adoption = {
  flags: { init: true, fixLocks: true },
  plan: {
    configs: [],
    apps: [
      { id: 'ok', appName: 'ok', dir: 'apps/ok', namespaces: ['shared'], clusterScoped: [], refused: [], blocking: [] },
      {
        id: 'cr',
        appName: 'cr',
        dir: 'apps/cr',
        namespaces: [],
        clusterScoped: [],
        refused: [
          {
            object: 'rbac.authorization.k8s.io/ClusterRole r',
            why: 'the platform policy p (default) does not allow it',
          },
        ],
        blocking: [],
      },
      {
        id: 'dup',
        appName: 'dup',
        dir: 'apps/dup',
        namespaces: ['other'],
        clusterScoped: [],
        refused: [],
        blocking: [
          {
            rule: 'duplicate-object',
            severity: 'error',
            object: 'ConfigMap a/b',
            sources: [],
            message: 'defined\n2 times',
            fix: '',
          },
        ],
      },
    ],
  },
  configs: [
    {
      file: 'apps/ok/safe-render.yaml',
      dir: 'apps/ok',
      action: 'write',
      namespaces: ['shared'],
      clusterScoped: [],
      apps: ['ok'],
      text: '',
    },
    {
      file: 'apps/hand/safe-render.yaml',
      dir: 'apps/hand',
      action: 'exists',
      namespaces: ['x'],
      clusterScoped: ['core/PersistentVolume'],
      apps: ['hand'],
    },
  ],
  locks: [
    {
      id: 'ok',
      appName: 'ok',
      file: '.safe-render/locks/ok.lock',
      action: 'written',
      detail: ['2 objects, 0 added, 0 removed'],
    },
    {
      id: 'old',
      appName: 'old',
      file: '.safe-render/locks/old.lock',
      action: 'rewritten',
      detail: ['3 objects, 1 added, 0 removed'],
    },
    {
      id: 'gone',
      appName: 'gone',
      file: '.safe-render/locks/gone.lock',
      action: 'kept',
      detail: ['the change takes something away (unacknowledged-deletion core/ConfigMap/a/x)', 'run lock'],
    },
  ],
  failed: [{ id: 'broken', why: 'error[render-failed] kustomize failed' }],
};

test('every file, exception, refusal and lock has its line, and a count at the end', () => {
  assert.deepEqual(adoptionLines(adoption), [
    'init: wrote apps/ok/safe-render.yaml for ok: namespaces: [shared]',
    'init: apps/hand/safe-render.yaml exists and is not rewritten; hand would need namespaces: [x]; clusterScoped: [core/PersistentVolume] in it',
    'init: app cr still refused: rbac.authorization.k8s.io/ClusterRole r: the platform policy p (default) does not allow it',
    'init: app dup not fixed: it fails for other reasons, so nothing is written for it (it would also need namespaces: [other]):',
    'init:   duplicate-object ConfigMap a/b: defined 2 times',
    'init: app broken not fixed: error[render-failed] kustomize failed',
    'init: wrote lock .safe-render/locks/ok.lock for ok: 2 objects, 0 added, 0 removed',
    'fix-locks: rewrote lock .safe-render/locks/old.lock for old (additions only): 3 objects, 1 added, 0 removed',
    'fix-locks: lock .safe-render/locks/gone.lock of gone not rewritten: the change takes something away (unacknowledged-deletion core/ConfigMap/a/x)',
    'fix-locks:   run lock',
    'init + fix-locks: 1 safe-render.yaml written, 1 listed (file exists), 1 locks written, 0 not; 1 locks rewritten, 1 kept',
  ]);
});

test('--fix-locks alone prints only the locks', () => {
  const lines = adoptionLines({
    ...adoption,
    flags: { init: false, fixLocks: true },
    plan: undefined,
    failed: [],
    locks: adoption.locks.filter((l) => l.action === 'rewritten' || l.action === 'kept'),
  });
  assert.ok(
    lines.every((l) => !l.startsWith('init:')),
    lines.join('\n'),
  );
  assert.equal(lines.at(-1), 'fix-locks: 1 locks rewritten, 1 kept');
});
