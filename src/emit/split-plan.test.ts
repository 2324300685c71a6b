// The one-object-per-file path is injective over every identity we accept and reads back (issue 9 §2),
// and the file names of locks are injective too. Pure functions, run in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeObjectPath, objectPath, planSplit, type PathIdentity } from './split-plan';
import { fitComponent, percentDecode, percentEncode } from '../util/file-names';
import { lockPath } from '../lock/store';
import type { ManifestObject } from '../model/object';

// Characters that matter to the encoding: separators, escapes, case, dots, unicode (NFC and NFD
// forms of the same letter), lone surrogates, control characters, path syntax.
const TRICKY = [
  'a',
  'A',
  'z',
  'Z',
  '0',
  '9',
  '.',
  '_',
  '-',
  '%',
  '~',
  '/',
  '\\',
  ':',
  ' ',
  '\n',
  '\0',
  'é',
  'e\u0301',
  'ß',
  'İ',
  '\ud800',
  '\udc00',
  '😀',
  '%2E',
  '%u',
  '..',
  '_cluster',
  '_namespaced',
  'kustomization.yaml',
];
const part = fc.oneof(
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 6 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
);
const identity: fc.Arbitrary<PathIdentity> = fc
  .record({
    group: fc.oneof(fc.constant(''), fc.constantFrom('apps', 'rbac.authorization.k8s.io', 'a_b', 'A.b'), part),
    kind: fc.oneof(
      fc.constantFrom('ConfigMap', 'Deployment', 'deployment', 'Foo.bar', 'Foo_bar'),
      part.filter((k) => k !== ''),
    ),
    namespace: fc.oneof(fc.constant(''), fc.constantFrom('prod', '_cluster', '.', '..', 'Prod'), part),
    name: fc.oneof(
      fc.constantFrom('web', 'Web', 'system:view', '.', '..', 'a_b.c'),
      part,
      fc.string({ minLength: 240, maxLength: 400 }),
    ),
    scope: fc.constantFrom('Namespaced', 'Cluster', 'Unknown'),
  })
  .map((o) => (o.scope === 'Cluster' ? { ...o, namespace: '' } : o));

/** Identities Argo CD treats as one object: scope Unknown is namespaced. */
const key = (o: PathIdentity) =>
  JSON.stringify([o.scope === 'Cluster' ? 'C' : 'N', o.namespace, o.group, o.kind, o.name]);

const SEED = 20261130;

test('objectPath is injective over every identity, and reads back when not shortened', () => {
  fc.assert(
    fc.property(identity, identity, (a, b) => {
      const pa = objectPath(a);
      const pb = objectPath(b);
      if (key(a) !== key(b)) assert.notEqual(pa, pb, `${key(a)} and ${key(b)} share ${pa}`);
      else assert.equal(pa, pb);
    }),
    { seed: SEED, numRuns: 3000 },
  );
  fc.assert(
    fc.property(identity, (o) => {
      const p = objectPath(o);
      for (const c of p.split('/')) {
        assert.ok(Buffer.byteLength(c) <= 255, `component of ${c.length} bytes`);
        assert.ok(c !== '' && c !== '.' && c !== '..');
        assert.match(c, /^[\x21-\x7e]+$/, 'ASCII only, no spaces or controls');
      }
      assert.equal(p.split('/').length, 2);
      assert.ok(!p.startsWith('.') && !p.includes('/.'), 'no hidden file or folder');
      const back = decodeObjectPath(p);
      if (p.includes('~')) assert.equal(back, undefined, 'a shortened path does not pretend to decode');
      else assert.equal(key(back!), key(o), `${p} reads back`);
    }),
    { seed: SEED, numRuns: 3000 },
  );
});

test('objectPath: names that differ only by escaped characters, dots, underscores or unicode forms get different files', () => {
  const base = { group: '', kind: 'ConfigMap', namespace: 'prod', scope: 'Namespaced' as const };
  const names = ['a:b', 'a%3Ab', 'a%253Ab', 'a_b', 'a.b', 'é', 'e\u0301', '\ud800', '%uD800', 'a~b', 'a%7Eb'];
  const paths = names.map((name) => objectPath({ ...base, name }));
  assert.equal(new Set(paths).size, names.length, paths.join('\n'));
  // Kind and group cannot run into each other or into the name.
  const named = { ...base, name: 'n' };
  const pairs: PathIdentity[] = [
    { ...named, kind: 'Foo.bar', group: '' },
    { ...named, kind: 'Foo', group: 'bar' },
    { ...base, kind: 'Foo_x', name: 'y' },
    { ...base, kind: 'Foo', name: 'x_y' },
    { ...base, kind: 'Foo', group: 'g_x', name: 'y' },
    { ...base, kind: 'Foo', group: 'g', name: 'x_y' },
  ];
  assert.equal(new Set(pairs.map(objectPath)).size, pairs.length);
  // A namespace cannot be one of our own folder names or a path step.
  for (const namespace of ['_cluster', '_namespaced', '.', '..', '.git']) {
    const dir = objectPath({ ...named, namespace }).split('/')[0]!;
    assert.ok(!['_cluster', '_namespaced', '.', '..'].includes(dir) && !dir.startsWith('.'), `${namespace} -> ${dir}`);
  }
  // The README's examples.
  assert.equal(
    objectPath({ group: 'apps', kind: 'Deployment', namespace: 'prod', name: 'web', scope: 'Namespaced' }),
    'prod/Deployment.apps_web.yaml',
  );
  assert.equal(
    objectPath({
      group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      namespace: '',
      name: 'system:view',
      scope: 'Cluster',
    }),
    '_cluster/ClusterRole.rbac.authorization.k8s.io_system%3Aview.yaml',
  );
});

test('a name longer than a file name may be keeps a readable prefix and a hash; two such names never share a file', () => {
  const base = { group: 'cert-manager.io', kind: 'Certificate', namespace: 'prod', scope: 'Namespaced' as const };
  const long = 'a'.repeat(253);
  const p1 = objectPath({ ...base, name: long });
  const p2 = objectPath({ ...base, name: `${'a'.repeat(252)}b` });
  assert.notEqual(p1, p2);
  const file = p1.split('/')[1]!;
  assert.equal(file.length, 255);
  assert.match(file, /^Certificate\.cert-manager\.io_a+~[0-9a-f]{64}\.yaml$/);
  // An escape is never cut in half.
  const escaped = fitComponent('%3A'.repeat(100), '.yaml');
  assert.match(escaped, /^(%3A)+~[0-9a-f]{64}\.yaml$/);
});

test('percentEncode and percentDecode round-trip every string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const e = percentEncode(s, /^[A-Za-z0-9._-]$/);
      assert.match(e, /^[A-Za-z0-9._%u-]*$/);
      assert.equal(percentDecode(e), s);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('lock file names are injective over app names, fit one file name, and keep the plain ones readable', () => {
  assert.equal(lockPath('web'), '.safe-render/locks/web.lock');
  assert.equal(lockPath('team-a_web'), '.safe-render/locks/team-a_web.lock');
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      (a, b) => {
        const pa = lockPath(a);
        assert.ok(Buffer.byteLength(pa.split('/').pop()!) <= 255);
        if (a !== b) assert.notEqual(pa, lockPath(b));
      },
    ),
    { seed: SEED, numRuns: 2000 },
  );
  // Characters above U+00FF no longer collide with a control character followed by hex digits.
  assert.notEqual(lockPath('\u1234'), lockPath('\x1234'));
});

function obj(o: PathIdentity, line: number): ManifestObject {
  return {
    ...o,
    body: { kind: o.kind, metadata: { name: o.name } },
    source: { file: 'app/a.yaml', line },
    apiVersion: 'v1',
    declaredNamespace: o.namespace,
    key: key(o),
  } as ManifestObject;
}

test('planSplit: a case clash is reported as one, the same identity twice is not called a case clash', () => {
  const base = { group: '', kind: 'ConfigMap', namespace: 'prod', scope: 'Namespaced' as const };
  assert.throws(
    () => planSplit([obj({ ...base, name: 'Web' }, 1), obj({ ...base, name: 'web' }, 5)]),
    /differ only in case \(prod\/ConfigMap_Web\.yaml at app\/a\.yaml:1 and prod\/ConfigMap_web\.yaml at app\/a\.yaml:5\)/,
  );
  assert.throws(
    () => planSplit([obj({ ...base, name: 'web' }, 1), obj({ ...base, name: 'web' }, 5)]),
    (e: Error) => {
      assert.match(
        e.message,
        /written to the same file prod\/ConfigMap_web\.yaml: ConfigMap prod\/web at app\/a\.yaml:1 and ConfigMap prod\/web at app\/a\.yaml:5 have the same identity/,
      );
      assert.doesNotMatch(e.message, /case/);
      return true;
    },
  );
  // Identities that differ by escaped characters or unicode forms are written side by side.
  const files = planSplit(
    ['a:b', 'a%3Ab', 'é', 'e\u0301', 'a_b', 'a.b'].map((name, i) => obj({ ...base, name }, i + 1)),
  );
  assert.equal(files.length, 6 + 2);
});

test('objectPath: a table of identities and the files they get', () => {
  const id = (
    group: string,
    kind: string,
    namespace: string,
    name: string,
    scope: PathIdentity['scope'] = 'Namespaced',
  ): PathIdentity => ({ group, kind, namespace, name, scope });
  const rows: Array<[PathIdentity, string]> = [
    [id('', 'ConfigMap', 'prod', 'settings'), 'prod/ConfigMap_settings.yaml'],
    [id('apps', 'Deployment', 'prod', 'web'), 'prod/Deployment.apps_web.yaml'],
    [
      id('rbac.authorization.k8s.io', 'ClusterRole', '', 'admin', 'Cluster'),
      '_cluster/ClusterRole.rbac.authorization.k8s.io_admin.yaml',
    ],
    [id('', 'Namespace', 'ignored', 'prod', 'Cluster'), '_cluster/Namespace_prod.yaml'],
    [id('', 'ConfigMap', '', 'x'), '_namespaced/ConfigMap_x.yaml'],
    [id('', 'ConfigMap', '', 'x', 'Unknown'), '_namespaced/ConfigMap_x.yaml'],
    [id('', 'ConfigMap', 'prod', 'a_b.c-d'), 'prod/ConfigMap_a_b.c-d.yaml'],
    [id('', 'ConfigMap', 'prod', 'a%b'), 'prod/ConfigMap_a%25b.yaml'],
    [id('', 'ConfigMap', 'prod', 'a/b'), 'prod/ConfigMap_a%2Fb.yaml'],
    [id('', 'ConfigMap', 'prod', 'a~b'), 'prod/ConfigMap_a%7Eb.yaml'],
    [id('', 'ConfigMap', 'prod', '..'), 'prod/ConfigMap_...yaml'],
    [id('', 'ConfigMap', 'prod', 'é'), 'prod/ConfigMap_%C3%A9.yaml'],
    [id('', 'ConfigMap', 'prod', '\ud800'), 'prod/ConfigMap_%uD800.yaml'],
    [id('', 'ConfigMap', '_cluster', 'x'), '%5Fcluster/ConfigMap_x.yaml'],
    [id('', 'ConfigMap', '.', 'x'), '%2E/ConfigMap_x.yaml'],
    [id('', 'ConfigMap', '..', 'x'), '%2E%2E/ConfigMap_x.yaml'],
    [id('ex_ample.com', 'My_Kind', 'prod', 'x'), 'prod/My%5FKind.ex%5Fample.com_x.yaml'],
    [id('', 'A.B', 'prod', 'x'), 'prod/A%2EB_x.yaml'],
  ];
  for (const [o, want] of rows) {
    assert.equal(objectPath(o), want, JSON.stringify(o));
    const back = decodeObjectPath(want)!;
    assert.deepEqual(
      { ...back },
      {
        ...o,
        scope: o.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
        namespace: o.scope === 'Cluster' ? '' : o.namespace,
      },
      want,
    );
  }
});

test('decodeObjectPath: a path objectPath cannot have produced reads as nothing', () => {
  const rows = [
    'prod/ConfigMap.yaml', // no "_"
    'ConfigMap_x.yaml', // no folder
    'a/b/ConfigMap_x.yaml', // two folders
    'prod/ConfigMap_x.yml',
    'prod/ConfigMap_x.yaml.bak',
    'prod/ConfigMap_a%2.yaml', // cut escape
    'prod/ConfigMap_a%2f.yaml', // lower-case hex
    'prod/ConfigMap_%C3.yaml', // half a UTF-8 sequence
    'prod/ConfigMap_%FF.yaml', // not UTF-8
    `prod/ConfigMap_a~${'0'.repeat(64)}.yaml`, // shortened: the identity is only in the file
    // Spelled differently from what objectPath writes for the same identity (an escape where the
    // character is kept, a character kept where it is escaped): not a path of ours.
    'prod/%43onfigMap_x.yaml',
    'prod/ConfigMap_%78.yaml',
    '%70rod/ConfigMap_x.yaml',
    'pr.od/ConfigMap_x.yaml',
    'prod/ConfigMap._x.yaml',
  ];
  for (const p of rows) assert.equal(decodeObjectPath(p), undefined, p);
});
