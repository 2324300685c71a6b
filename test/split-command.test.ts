// `safe-render split` (issue 13), run as the built bundle: layouts, each document's own text, stdin and
// JSON, collisions and escaping templates refused before anything is written, filters, dry runs and
// empty input. (test/split.test.ts covers render -o, which shares the planner and writer.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { BUNDLE, canonicalJson, makeRepo, manifest, yamlDocs, type RunResult } from './helpers';

function split(args: readonly string[], opts: { cwd: string; input?: string }): RunResult {
  const r = spawnSync(process.execPath, [BUNDLE, 'split', ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (relative path -> content). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) walk(a, r);
      else out[r] = readFileSync(a, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** The objects written (the marker and kustomization.yaml left out), as sorted canonical JSON. */
function writtenObjects(dir: string): string[] {
  const t = tree(dir);
  return Object.entries(t)
    .filter(([p]) => p !== 'kustomization.yaml' && p !== '.safe-render-output')
    .flatMap(([p, text]) => yamlDocs(text, p))
    .map(canonicalJson)
    .sort();
}

const objectsOf = (text: string) => yamlDocs(text, 'input').map(canonicalJson).sort();

const CM = `# Source: chart/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings   # why this name
  namespace: prod
data:
  z-first: 'single'
  a-second: "double"
  on: "yes"
  script: |
    #!/bin/sh
    echo "---"
  folded: >-
    one
    two
# a comment after the object stays with it
`;

test('split writes one object per file in render -o layout, with kustomization.yaml and the marker', () => {
  const dir = makeRepo({
    'all.yaml': [
      CM,
      manifest('ClusterRole', 'system:aggregate-to-view', { apiVersion: 'rbac.authorization.k8s.io/v1' }),
      manifest('Deployment', 'web', { apiVersion: 'apps/v1', namespace: 'prod' }),
      manifest('ConfigMap', 'settings', { namespace: 'other' }),
    ].join('---\n'),
  });
  const r = split(['all.yaml', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /split 4 objects from 1 file; wrote 4 files and kustomization\.yaml to out/);
  assert.deepEqual(Object.keys(tree(join(dir, 'out'))).sort(), [
    '.safe-render-output',
    '_cluster/ClusterRole.rbac.authorization.k8s.io_system%3Aaggregate-to-view.yaml',
    'kustomization.yaml',
    'other/ConfigMap_settings.yaml',
    'prod/ConfigMap_settings.yaml',
    'prod/Deployment.apps_web.yaml',
  ]);
  assert.deepEqual(writtenObjects(join(dir, 'out')), objectsOf(readFileSync(join(dir, 'all.yaml'), 'utf8')));
});

test('YAML documents keep their own text byte for byte: comments, key order, quoting, block scalars', () => {
  const dir = makeRepo({ 'a.yaml': `---\n${CM}---\n# only a comment: no object\n---\n${manifest('Service', 'web')}` });
  const r = split(['a.yaml', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'out/prod/ConfigMap_settings.yaml'), 'utf8'), CM);
  assert.equal(readFileSync(join(dir, 'out/_namespaced/Service_web.yaml'), 'utf8'), manifest('Service', 'web'));
});

test('separators go, the rest stays: a header before the first ---, ..., directives, CRLF, a BOM', () => {
  const svc = manifest('Service', 'b');
  const dir = makeRepo({
    'a.yaml': `\uFEFF# header of the file\n---\n${manifest('ConfigMap', 'a')}...\n# after the end marker\n%YAML 1.1\n---\n${svc}--- # a comment on the marker\n${manifest('Secret', 'c')}`,
    'crlf.yaml': `${manifest('ConfigMap', 'd')}---\r\n${manifest('ConfigMap', 'e')}`
      .replace(/\n/g, '\r\n')
      .replace(/\r\r/g, '\r'),
  });
  let r = split(['a.yaml', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const t = tree(join(dir, 'out'));
  assert.equal(t['_namespaced/ConfigMap_a.yaml'], `# header of the file\n${manifest('ConfigMap', 'a')}`);
  // A directive needs its `---`: the file is still one document.
  assert.equal(t['_namespaced/Service_b.yaml'], `# after the end marker\n%YAML 1.1\n---\n${svc}`);
  assert.equal(t['_namespaced/Secret_c.yaml'], `# a comment on the marker\n${manifest('Secret', 'c')}`);
  r = split(['crlf.yaml', '-o', 'out2'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(join(dir, 'out2/_namespaced/ConfigMap_e.yaml'), 'utf8'),
    manifest('ConfigMap', 'e').replace(/\n/g, '\r\n'),
  );
  assert.equal(
    readFileSync(join(dir, 'out2/_namespaced/ConfigMap_d.yaml'), 'utf8'),
    manifest('ConfigMap', 'd').replace(/\n/g, '\r\n'),
  );
});

test('standard input (-) is split like a file', () => {
  const dir = makeRepo({});
  const input = `${manifest('ConfigMap', 'a')}---\n${manifest('ConfigMap', 'b')}`;
  const r = split(['-', '-o', 'out'], { cwd: dir, input });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(writtenObjects(join(dir, 'out')), objectsOf(input));
});

test('JSON (an object, a List, a stream) is written as YAML; a YAML List is flattened', () => {
  const cm = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { k: '{x}: y' } });
  const dir = makeRepo({
    'in/one.json': JSON.stringify(cm('one'), null, 2),
    'in/list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cm('l1'), cm('l2')] }),
    'in/stream.json': `${JSON.stringify(cm('s1'))}\n${JSON.stringify(cm('s2'))}${JSON.stringify(cm('s3'))}\n`,
    'in/list.yaml': `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: y1}\n`,
    'in/notes.txt': 'not read: only .yaml, .yml and .json',
    'in/.hidden/x.yaml': 'not read: hidden',
  });
  const r = split(['in', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /split 7 objects from 4 files/);
  const t = tree(join(dir, 'out'));
  assert.equal(
    t['_namespaced/ConfigMap_s2.yaml'],
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s2\ndata:\n  k: "{x}: y"\n',
  );
  assert.deepEqual(
    writtenObjects(join(dir, 'out')),
    ['one', 'l1', 'l2', 's1', 's2', 's3', 'y1']
      .map((n) => canonicalJson(n === 'y1' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } } : cm(n)))
      .sort(),
  );
});

test('two objects on one path are refused before anything is written, naming both', () => {
  const dir = makeRepo({
    'a.yaml': `${manifest('ConfigMap', 'x')}---\n${manifest('ConfigMap', 'x', { body: 'data: {}\n' })}`,
  });
  const r = split(['a.yaml', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /same file _namespaced\/ConfigMap_x\.yaml: ConfigMap x at a\.yaml:1 and ConfigMap x at a\.yaml:6/,
  );
  assert.equal(existsSync(join(dir, 'out')), false);
});

test('a template that puts two objects on one path, or on paths differing only in case, is refused', () => {
  const dir = makeRepo({
    'a.yaml': `${manifest('ConfigMap', 'web', { namespace: 'a' })}---\n${manifest('ConfigMap', 'web', { namespace: 'b' })}`,
    'case.yaml': `${manifest('Role', 'Web', { apiVersion: 'rbac.authorization.k8s.io/v1' })}---\n${manifest('Role', 'web', { apiVersion: 'rbac.authorization.k8s.io/v1' })}`,
  });
  let r = split(['a.yaml', '-o', 'out', '--template', '{kind|lower}-{name}.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /same file configmap-web\.yaml: ConfigMap a\/web at a\.yaml:1 and ConfigMap b\/web at a\.yaml:\d+ \(the template gives both this path\)/,
  );
  r = split(['case.yaml', '-o', 'out', '--template', '{kind}-{name}.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /differ only in case \(Role-Web\.yaml for rbac\.authorization\.k8s\.io\/Role Web at case\.yaml:1 and Role-web\.yaml for rbac\.authorization\.k8s\.io\/Role web/,
  );
  assert.equal(existsSync(join(dir, 'out')), false);
  // The same input with the namespace in the path is fine.
  r = split(['a.yaml', '-o', 'out', '--template', '{namespace}/{kind|lower}-{name}.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(tree(join(dir, 'out'))).sort(), [
    '.safe-render-output',
    'a/configmap-web.yaml',
    'b/configmap-web.yaml',
    'kustomization.yaml',
  ]);
});

test('a template cannot leave DIR: names are encoded, ".." and the folder\'s own files are refused', () => {
  const dir = makeRepo({
    'slash.yaml': manifest('ConfigMap', '../../../tmp/evil'),
    'dots.yaml': manifest('ConfigMap', '..'),
    'own.yaml': manifest('ConfigMap', 'kustomization.yaml'),
  });
  let r = split(['slash.yaml', '-o', 'out', '--template', '{name}'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'out/..%2F..%2F..%2Ftmp%2Fevil')));
  r = split(['dots.yaml', '-o', 'out2', '--template', '{name}/{kind}.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the path "\.\.\/ConfigMap\.yaml", which has a "\.\." segment/);
  r = split(['own.yaml', '-o', 'out2', '--template', '{name}'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /output folder's own file kustomization\.yaml/);
  for (const [t, msg] of [
    ['/abs/{name}', /is absolute/],
    ['../{name}', /"\.\." segment/],
    ['a//{name}', /empty folder name/],
    ['{{.kind | lower}}-{{.metadata.name}}.yaml', /\{kind\|lower\}/],
    ['{kind|title}', /unknown function/],
    ['{labels}', /unknown field/],
    ['static.yaml', /no \{field\}/],
    ['{name} x', /literal text/],
  ] as const) {
    r = split(['slash.yaml', '-o', 'out2', '--template', t], { cwd: dir });
    assert.equal(r.code, 2, t);
    assert.match(r.stderr, msg, t);
    assert.equal(r.stderr.trim().split('\n').length, 1, t);
  }
  assert.equal(existsSync(join(dir, 'out2')), false);
});

test('--include and --exclude by [namespace/]kind/name globs', () => {
  const dir = makeRepo({
    'a.yaml': [
      manifest('Deployment', 'web', { apiVersion: 'apps/v1', namespace: 'prod' }),
      manifest('Service', 'web', { namespace: 'prod' }),
      manifest('ConfigMap', 'web-config', { namespace: 'dev' }),
      manifest('ClusterRole', 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1' }),
    ].join('---\n'),
  });
  const files = (extra: string[]) => {
    const r = split(['a.yaml', '-o', 'out', ...extra], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return Object.keys(tree(join(dir, 'out')))
      .filter((p) => p.includes('/'))
      .sort();
  };
  assert.deepEqual(files(['--include', 'deployment/*', '--include', '*/web-*']), [
    'dev/ConfigMap_web-config.yaml',
    'prod/Deployment.apps_web.yaml',
  ]);
  assert.deepEqual(files(['--include', 'prod/*/*', '--exclude', '*.apps/*']), ['prod/Service_web.yaml']);
  assert.deepEqual(files(['--include', '_cluster/*/*']), [
    '_cluster/ClusterRole.rbac.authorization.k8s.io_reader.yaml',
  ]);
  const r = split(['a.yaml', '-o', 'out', '--include', 'web'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected KIND\/NAME or NAMESPACE\/KIND\/NAME/);
  const none = split(['a.yaml', '-o', 'none', '--include', 'Secret/*'], { cwd: dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no object is left to write .*4 objects filtered out/);
});

test('documents that are not objects are an error, or skipped with --skip-non-k8s', () => {
  const dir = makeRepo({ 'a.yaml': `${manifest('ConfigMap', 'a')}---\nfoo: bar\n---\n- a list\n` });
  let r = split(['a.yaml', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error\[render-failed\] a\.yaml:6: this document has no apiVersion/);
  assert.equal(existsSync(join(dir, 'out')), false);
  r = split(['a.yaml', '-o', 'out', '--skip-non-k8s'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /split 1 object from 1 file, 2 non-object documents skipped/);
});

test("bad input: the parser's message with file and line, exit 2, nothing written", () => {
  const dir = makeRepo({
    'in/a.yaml': manifest('ConfigMap', 'a'),
    'in/b/bad.yaml': `${manifest('ConfigMap', 'b')}---\nkind: [\n`,
    'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n',
    'bad.json':
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"kind": "ConfigMap", "kind": 1}\n',
  });
  for (const [input, where] of [
    ['in', /in\/b\/bad\.yaml:\d+: invalid YAML/],
    ['dup.yaml', /dup\.yaml:3: invalid YAML: Map keys must be unique/],
    ['bad.json', /bad\.json:2: invalid YAML: Map keys must be unique/],
  ] as const) {
    const r = split([input, '-o', 'out'], { cwd: dir });
    assert.equal(r.code, 2, input);
    assert.match(r.stderr, where, input);
    assert.equal(r.stdout, '');
    assert.equal(existsSync(join(dir, 'out')), false, input);
  }
});

test('empty input (nothing, or only comments) is refused unless --allow-empty; the old folder stays', () => {
  const dir = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
  assert.equal(split(['a.yaml', '-o', 'out'], { cwd: dir }).code, 0);
  const before = tree(join(dir, 'out'));
  for (const input of ['', '# only a comment\n---\n# and another\n', '---\n---\n']) {
    const r = split(['-', '-o', 'out'], { cwd: dir, input });
    assert.equal(r.code, 2, JSON.stringify(input));
    assert.match(r.stderr, /input holds no objects .*--allow-empty/);
    assert.deepEqual(tree(join(dir, 'out')), before);
  }
  const r = split(['-', '-o', 'out', '--allow-empty'], { cwd: dir, input: '' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(tree(join(dir, 'out'))).sort(), ['.safe-render-output', 'kustomization.yaml']);
});

test('--dry-run lists what would be written and removed, and writes nothing', () => {
  const dir = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a'), 'b.yaml': manifest('ConfigMap', 'b') });
  assert.equal(split(['a.yaml', '-o', 'out'], { cwd: dir }).code, 0);
  const before = tree(join(dir, 'out'));
  const r = split(['b.yaml', '-o', 'out', '--dry-run'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    'write _namespaced/ConfigMap_b.yaml\nreplace kustomization.yaml\nreplace .safe-render-output\nremove _namespaced/ConfigMap_a.yaml\n',
  );
  assert.match(
    r.stderr,
    /would write 1 files and kustomization\.yaml to out and remove 1 \(dry run: nothing written\)/,
  );
  assert.deepEqual(tree(join(dir, 'out')), before);
  // A folder safe-render did not write is refused in a dry run too.
  mkdirSync(join(dir, 'mine'));
  writeFileSync(join(dir, 'mine/notes.txt'), 'mine');
  const foreign = split(['b.yaml', '-o', 'mine', '--dry-run'], { cwd: dir });
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /not empty and was not written by safe-render/);
});

test('a folder safe-render did not write is never replaced; input and output may not overlap', () => {
  const dir = makeRepo({ 'in/a.yaml': manifest('ConfigMap', 'a'), 'mine/notes.txt': 'mine' });
  let r = split(['in', '-o', 'mine'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(readFileSync(join(dir, 'mine/notes.txt'), 'utf8'), 'mine');
  r = split(['in', '-o', 'in/split'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /overlap/);
  r = split(['in/a.yaml', '-o', 'in'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /overlap/);
});

test('split --help documents the template syntax and the filters', () => {
  const r = split(['--help'], { cwd: makeRepo({}) });
  assert.equal(r.code, 0);
  for (const s of [
    '{field|lower}',
    '{namespace}',
    '_cluster',
    '--include',
    '--skip-non-k8s',
    '--allow-empty',
    '--dry-run',
  ])
    assert.ok(r.stdout.includes(s), s);
});

// Property: whatever the stream (comments, separators, markers, List wrapping), the files split writes
// hold exactly the objects of the input, each once.
test('property: split, then concatenating the files, gives the same objects as the input', () => {
  const dir = makeRepo({});
  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?$/);
  const obj = fc.record({
    kind: fc.constantFrom('ConfigMap', 'Secret', 'Service', 'ClusterRole', 'Widget'),
    name,
    namespace: fc.option(fc.constantFrom('a', 'b', 'prod'), { nil: undefined }),
    value: fc.string({ maxLength: 20 }),
    comment: fc.option(fc.stringMatching(/^[ -~]{0,20}$/), { nil: undefined }),
  });
  const sep = fc.constantFrom('---\n', '---\n# between\n', '...\n---\n', '--- # marked\n', '---\n---\n');
  let run = 0;
  fc.assert(
    fc.property(
      fc.uniqueArray(obj, { minLength: 1, maxLength: 8, selector: (o) => `${o.kind}/${o.namespace ?? ''}/${o.name}` }),
      fc.array(sep, { minLength: 8, maxLength: 8 }),
      fc.boolean(),
      (objs, seps, crlf) => {
        const docs = objs.map((o) => {
          const api =
            o.kind === 'ClusterRole' ? 'rbac.authorization.k8s.io/v1' : o.kind === 'Widget' ? 'example.com/v1' : 'v1';
          const ns = o.namespace && o.kind !== 'ClusterRole' ? `  namespace: ${o.namespace}\n` : '';
          const c = o.comment === undefined ? '' : `# ${o.comment}\n`;
          return `${c}apiVersion: ${api}\nkind: ${o.kind}\nmetadata:\n  name: "${o.name}"\n${ns}data:\n  v: ${JSON.stringify(o.value)}\n`;
        });
        let input = docs.map((d, i) => (i === 0 ? d : `${seps[i]}${d}`)).join('');
        if (crlf) input = input.replace(/\n/g, '\r\n');
        const out = `out${run++}`;
        const r = split(['-', '-o', out], { cwd: dir, input });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(writtenObjects(join(dir, out)), objectsOf(input));
      },
    ),
    { seed: 13, numRuns: 25 },
  );
});
