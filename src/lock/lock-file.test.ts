// The lock's text format, in-process: what serializeLock writes parseLock reads back to the same lock
// (property, fixed seed), and every malformed line is one refusal that names file:line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RenderFailure } from '../util/errors';
import { LOCK_VERSION, parseLock, serializeLock, type LockFile, type ObjectState } from './lock-file';

const segment = fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9._:%]{0,15}$/);
const ref = fc.oneof(
  fc.tuple(segment, segment, segment).map(([g, k, n]) => `${g}/${k}/${n}`),
  fc.tuple(segment, segment, segment, segment).map(([g, k, ns, n]) => `${g}/${k}/${ns}/${n}`),
);
// As the render hands them over: an integer beyond 2^53 within int64 is a bigint (exact numbers, issue 9 §1).
const INT64 = [-(BigInt(2) ** BigInt(63)), BigInt(2) ** BigInt(63) - BigInt(1)] as const;
const asRendered = (_k: string, n: unknown): unknown =>
  typeof n === 'number' &&
  !Number.isSafeInteger(n) &&
  /^-?\d+$/.test(String(n)) &&
  BigInt(n) >= INT64[0] &&
  BigInt(n) <= INT64[1]
    ? BigInt(n)
    : n;
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v), asRendered));
const state: fc.Arbitrary<ObjectState> = fc
  .record(
    {
      protected: fc.string({ maxLength: 30 }),
      annotations: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 30 }), {
        maxKeys: 3,
      }),
      destination: json,
      source: json,
      finalizers: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
      syncPolicy: json,
      preserveResourcesOnDeletion: fc.boolean(),
      hook: fc.constantFrom('argocd.argoproj.io/hook', 'helm.sh/hook'),
      templatePatch: fc.stringMatching(/^[0-9a-f]{64}$/),
      // What an ApplicationSet generates (issue 11): sorted, unique namespace/name.
      generates: fc
        .uniqueArray(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,8}[a-z0-9])?$/), {
          maxLength: 4,
        })
        .map((g) => [...g].sort()),
      keeps: fc.constantFrom('create-only', 'create-update'),
    },
    { requiredKeys: [] },
  )
  // applicationsSync is recorded only beside generates.
  .map(({ keeps, ...s }) => (s.generates && keeps ? { ...s, applicationsSync: keeps } : s))
  .map((s) => structuredClone(s) as ObjectState); // plain prototypes, as parseLock makes them
const lockArb: fc.Arbitrary<LockFile> = fc
  .record({
    app: fc.stringMatching(/^[a-z0-9]([-a-z0-9_]{0,30}[a-z0-9])?$/),
    source: fc
      .record({ repoURL: fc.string({ maxLength: 40 }), path: fc.string({ maxLength: 40 }) })
      .map((s) => ({ ...s })),
    empty: fc.boolean(),
    objects: fc.array(fc.tuple(ref, state), { maxLength: 8 }).map((e) => new Map(e)),
    accepted: fc.uniqueArray(
      fc
        .tuple(fc.constantFrom('protected-deletion', 'mass-deletion', 'safety-weakened'), ref)
        .map(([r, x]) => `${r}:${x}`),
      { maxLength: 4 },
    ),
    format: fc.constant(LOCK_VERSION),
  })
  .map((l) => ({ ...l }));

test('round trip: parseLock(serializeLock(x)) equals x, and serializing again gives the same bytes (property, fixed seed)', () => {
  fc.assert(
    fc.property(lockArb, (lock) => {
      const text = serializeLock(lock);
      const back = parseLock(text, 'x.lock');
      assert.deepEqual(back, { ...lock, accepted: [...lock.accepted].sort() });
      assert.equal(serializeLock(back), text);
    }),
    { seed: 10_002, numRuns: 300 },
  );
});

test('serializeLock: objects and acceptances sorted by code unit, acceptances once, empty states bare', () => {
  const lock: LockFile = {
    app: 'web',
    source: { repoURL: 'https://g/r.git', path: 'apps/web' },
    empty: false,
    objects: new Map<string, ObjectState>([
      ['core/Service/prod/b', {}],
      ['apps/Deployment/prod/a', { finalizers: ['x'], protected: 'p' }],
      ['Z/K/n', {}],
    ]),
    accepted: ['b:1', 'a:2', 'b:1'],
  };
  const body = serializeLock(lock)
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(body, [
    `safe-render-lock ${LOCK_VERSION}`,
    'app web',
    'source {"path":"apps/web","repoURL":"https://g/r.git"}',
    'empty false',
    'object Z/K/n',
    'object apps/Deployment/prod/a {"finalizers":["x"],"protected":"p"}',
    'object core/Service/prod/b',
    'accepted a:2',
    'accepted b:1',
  ]);
  assert.match(serializeLock({ ...lock, format: 1 }), /^safe-render-lock 1$/m);
});

const HEAD = 'safe-render-lock 2\napp web\nsource {"repoURL":"u","path":"p"}\nempty false\n';

test('parseLock: every malformed lock is one refusal naming file:line and how to recover', () => {
  const rows: Array<[string, number, RegExp]> = [
    ['', 1, /missing "safe-render-lock" version line/],
    ['app web\nsource {"repoURL":"u","path":"p"}\nempty false\n', 1, /missing "safe-render-lock"/],
    ['safe-render-lock 2\nsource {"repoURL":"u","path":"p"}\nempty false\n', 1, /missing "app" line/],
    ['safe-render-lock 2\napp web\nempty false\n', 1, /missing "source" line/],
    ['safe-render-lock 2\napp web\nsource {"repoURL":"u","path":"p"}\n', 1, /missing "empty" line/],
    ['safe-render-lock 3\n', 1, /unsupported lock version "3"/],
    ['safe-render-lock 0\n', 1, /unsupported lock version/],
    ['safe-render-lock 1.0\n', 1, /unsupported lock version/],
    ['safe-render-lock\n', 1, /unsupported lock version ""/],
    ['# c\n\nsafe-render-lock 9999\n', 3, /unsupported lock version/],
    ['safe-render-lock 2\napp web\nsource {"repoURL":"u"}\n', 3, /source needs repoURL and path/],
    ['safe-render-lock 2\napp web\nsource null\n', 3, /source needs repoURL and path/],
    ['safe-render-lock 2\napp web\nsource {bad\n', 3, /invalid JSON after "source"/],
    ['safe-render-lock 2\napp web\nsource {"repoURL":"u","path":"p"}\nempty yes\n', 4, /empty must be true or false/],
    ['safe-render-lock 2\napp web\nsource {"repoURL":"u","path":"p"}\nempty\n', 4, /empty must be true or false/],
    [`${HEAD}object core/ConfigMap\n`, 5, /bad object reference "core\/ConfigMap"/],
    [`${HEAD}object a/b/c/d/e\n`, 5, /bad object reference/],
    [`${HEAD}object /b/c\n`, 5, /bad object reference/],
    [`${HEAD}object a/b/c {"x":1}\nobject a/b/c\n`, 6, /object a\/b\/c listed twice/],
    [`${HEAD}object a/b/c [1]\n`, 5, /object state must be a JSON object/],
    [`${HEAD}object a/b/c null\n`, 5, /object state must be a JSON object/],
    [`${HEAD}object a/b/c "s"\n`, 5, /object state must be a JSON object/],
    [`${HEAD}object a/b/c {\n`, 5, /invalid JSON after "object"/],
    [`${HEAD}objects a/b/c\n`, 5, /unknown line "objects"/],
    [`${HEAD} object a/b/c\n`, 5, /unknown line ""/],
    [
      'safe-render-lock 1\napp w\nsource {"repoURL":"u","path":"p"}\nempty false\nobject a/b/c {"hook":"helm.sh/hook"}\n',
      1,
      /format 1 cannot record a hook/,
    ],
    [
      'safe-render-lock 1\napp w\nsource {"repoURL":"u","path":"p"}\nempty false\nobject a/b/c {"templatePatch":"ab"}\n',
      1,
      /format 1 cannot record a templatePatch/,
    ],
  ];
  for (const [text, line, message] of rows) {
    assert.throws(
      () => parseLock(text, 'apps/web/safe-render.lock'),
      (e: unknown) => {
        assert.ok(e instanceof RenderFailure, String(e));
        assert.match(e.message, /^lock cannot be read: /);
        assert.match(e.message, message);
        assert.ok(!e.message.includes('\n'), 'one line');
        assert.equal(e.where, `apps/web/safe-render.lock:${line}`);
        assert.match(e.fix ?? '', /git checkout COMMIT -- apps\/web\/safe-render.lock/);
        return true;
      },
      JSON.stringify(text),
    );
  }
});

test('parseLock: what a good lock may hold', () => {
  const lock = parseLock(
    `# header\n\n${HEAD}object core/ConfigMap/prod/a   \nobject apps/Deployment/d {"protected":"x"}\naccepted mass-deletion:web\naccepted mass-deletion:web\n`,
    'f',
  );
  assert.equal(lock.format, 2);
  assert.equal(lock.app, 'web');
  assert.deepEqual(lock.source, { repoURL: 'u', path: 'p' });
  assert.equal(lock.empty, false);
  assert.deepEqual(
    [...lock.objects],
    [
      ['core/ConfigMap/prod/a', {}],
      ['apps/Deployment/d', { protected: 'x' }],
    ],
  );
  assert.deepEqual(lock.accepted, ['mass-deletion:web', 'mass-deletion:web']);
  assert.equal(parseLock(HEAD.replace('2', '1'), 'f').format, 1);
  assert.equal(parseLock(HEAD.replace('false', 'true'), 'f').empty, true);
});

test("parseLock: the lock's own text in a message is bounded and escaped", () => {
  assert.throws(
    () => parseLock(`${HEAD}object ${'a'.repeat(5000)}\u001b[31m\n`, 'f'),
    (e: unknown) => e instanceof RenderFailure && e.message.length < 400 && !e.message.includes('\u001b'),
  );
});

const GEN_HEAD = 'safe-render-lock 2\napp web\nsource {"path":"apps/web","repoURL":"u"}\nempty false\n';
const APPSET = 'argoproj.io/ApplicationSet/argocd/shop';

test('generates (issue 11): a lock without it reads as nothing recorded; one with it reads back as written', () => {
  const old = parseLock(`${GEN_HEAD}object ${APPSET} {"preserveResourcesOnDeletion":false}\n`, 'x.lock');
  assert.equal(old.objects.get(APPSET)!.generates, undefined);
  assert.equal(old.format, 2, 'no new format: the field sits in the state JSON every format-2 reader accepts');
  const text = `${GEN_HEAD}object ${APPSET} {"applicationsSync":"create-update","generates":["argocd/cart","argocd/web"]}\n`;
  const lock = parseLock(text, 'x.lock');
  assert.deepEqual(lock.objects.get(APPSET), {
    applicationsSync: 'create-update',
    generates: ['argocd/cart', 'argocd/web'],
  });
  assert.match(serializeLock(lock), /"generates":\["argocd\/cart","argocd\/web"\]/);
});

test('generates: a malformed list is one refusal naming file:line (a lock is hostile input)', () => {
  const bad: Array<[string, RegExp]> = [
    ['{"generates":"argocd/web"}', /generates must be a list of namespace\/name/],
    ['{"generates":["web"]}', /generates must be a list of namespace\/name/],
    ['{"generates":["argocd/Web"]}', /generates must be a list of namespace\/name/],
    ['{"generates":["argocd/b","argocd/a"]}', /sorted without repeats/],
    ['{"generates":["argocd/a","argocd/a"]}', /sorted without repeats/],
    ['{"applicationsSync":"create-update"}', /beside generates/],
    ['{"generates":[],"applicationsSync":"sync"}', /applicationsSync must be one of create-only, create-update/],
  ];
  for (const [state, re] of bad) {
    assert.throws(
      () => parseLock(`${GEN_HEAD}object ${APPSET} ${state}\n`, 'x.lock'),
      (e: unknown) => e instanceof RenderFailure && re.test(e.message) && e.where === 'x.lock:5',
      state,
    );
  }
});
