// Acceptance, in-process: which lock changes need a person's --accept token (and which token), and the
// deletion budget that makes many ordinary deletions need one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockChange } from './diff';
import { DEFAULT_BUDGET, deletionBudget, overBudget, requiredAcceptances } from './acceptance';

const R = 'core/ConfigMap/prod/a';

test('deletion budget: the policy over the default, key by key; over means strictly over', () => {
  assert.deepEqual(deletionBudget(undefined), DEFAULT_BUDGET);
  assert.deepEqual(deletionBudget({ deletionBudget: { objects: 1 } } as never), {
    objects: 1,
    percent: DEFAULT_BUDGET.percent,
    floor: DEFAULT_BUDGET.floor,
  });
  const rows: Array<[number, number, boolean]> = [
    [0, 0, false],
    [5, 100, false],
    [6, 100, true],
    [3, 10, false],
    [4, 10, true],
    // The floor (issue 14): one or two objects are never a mass deletion by their share alone.
    // ... unless they are the whole app.
    [1, 1, true],
    [2, 2, true],
    [1, 3, false],
    [2, 3, false],
    [2, 5, false],
    [3, 5, true],
    [3, 9, true],
    [3, 10, false],
    [0, 1, false],
    [5, 17, false],
    [5, 16, true],
  ];
  for (const [deleted, locked, want] of rows)
    assert.equal(overBudget(deleted, locked, DEFAULT_BUDGET), want, `${deleted}/${locked}`);
  // A policy's floor of 0 or 1 counts the share of every deletion, as before the floor.
  assert.equal(overBudget(1, 3, { ...DEFAULT_BUDGET, floor: 1 }), true);
  assert.equal(overBudget(1, 3, deletionBudget({ deletionBudget: { floor: 0 } })), true);
  assert.equal(overBudget(4, 10, deletionBudget({ deletionBudget: { floor: 5 } })), false);
});

test('requiredAcceptances: which changes need which --accept token, asked once each', () => {
  const big = { objects: 1000, percent: 100, floor: 0 };
  const rows: Array<[LockChange[], number, string[]]> = [
    [[], 0, []],
    [[{ kind: 'deleted', ref: R }], 10, []],
    [
      [
        { kind: 'added', ref: R },
        { kind: 'state-change', ref: R },
      ],
      10,
      [],
    ],
    [[{ kind: 'deleted', ref: R, protected: 'p' }], 10, [`protected-deletion:${R}`]],
    [
      [
        { kind: 'source-drift', field: 'path', was: 'a', now: 'b' },
        { kind: 'source-drift', field: 'repoURL', was: 'a', now: 'b' },
      ],
      0,
      ['app-source-drift:web'],
    ],
    [
      [{ kind: 'destination-change', ref: R, field: 'destination', was: 1, now: 2 }],
      1,
      [`app-destination-change:${R}`],
    ],
    [[{ kind: 'finalizer-change', ref: R, was: 1, now: 2 }], 1, [`finalizer-change:${R}`]],
    [
      [
        { kind: 'safety-weakened', ref: R, what: 'x' },
        { kind: 'safety-weakened', ref: R, what: 'y' },
      ],
      1,
      [`safety-weakened:${R}`],
    ],
    [[{ kind: 'protection-removed', ref: R, was: 'p' }], 1, [`safety-weakened:${R}`]],
  ];
  for (const [changes, locked, want] of rows)
    assert.deepEqual(
      requiredAcceptances('web', changes, locked, big).map((r) => r.token),
      want,
      JSON.stringify(changes),
    );
  const many = Array.from({ length: 6 }, (_, i): LockChange => ({ kind: 'deleted', ref: `core/ConfigMap/prod/c${i}` }));
  const mass = requiredAcceptances('web', many, 100, DEFAULT_BUDGET);
  assert.deepEqual(
    mass.map((r) => r.token),
    ['mass-deletion:web'],
  );
  assert.equal(
    mass[0]!.message,
    '6 of 100 objects (6%) would be removed, over the budget of 5 objects, or 30% once 3 or more go',
  );
  const hook = requiredAcceptances('web', [{ kind: 'deleted', ref: R, protected: 'p', hook: 'helm.sh/hook' }], 10, big);
  assert.match(hook[0]!.message, /is protected \(p\).*through helm\.sh\/hook/);
});

test('a generated Application no longer generated needs appset-app-removed:<its Application ref>, unless its policy keeps it', () => {
  const AS = 'argoproj.io/ApplicationSet/argocd/shop';
  const changes: LockChange[] = [
    { kind: 'generated-removed', ref: AS, name: 'argocd/web-app' },
    { kind: 'generated-removed', ref: AS, name: 'argocd/cart-app', kept: 'create-update' },
    { kind: 'generated-added', ref: AS, name: 'argocd/web-svc' },
  ];
  const req = requiredAcceptances('root', changes, 3, DEFAULT_BUDGET);
  assert.deepEqual(
    req.map((r) => r.token),
    ['appset-app-removed:argoproj.io/Application/argocd/web-app'],
  );
  assert.match(req[0]!.message, /ApplicationSet argoproj\.io\/ApplicationSet\/argocd\/shop no longer generates/);
  // Generated names do not count against the object deletion budget.
  assert.equal(
    requiredAcceptances('root', changes, 1, DEFAULT_BUDGET).some((r) => r.rule === 'mass-deletion'),
    false,
  );
});
