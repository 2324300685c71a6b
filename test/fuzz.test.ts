// Fuzz test (issue 8 §8, issue 9 §6): random and mutated YAML, JSON, identities, numbers and control
// files (safe-render.yaml, FREEZE, lock, index, as text, folders and symlinks) thrown at the built
// bundle through render, generate and lock. For every input the run must end as a CLI that Argo CD
// can live with: exit 0, 1 or 2 (never a signal or a native crash); exit 0 only with a stream Argo
// CD's own reader parses (test/harness/manifests.ts); an empty stdout on any other exit; never a
// stack trace; stderr within 64 KiB; bounded time and peak memory.
//
// The assertions are generic on purpose: what a given input must be refused for belongs to the tests
// of the area that reads it (parse, reader, rules). Fixed seed in `npm test`;
// `npm run fuzz` runs longer, and SAFE_RENDER_FUZZ_RUNS / SAFE_RENDER_FUZZ_SEED pick the runs and
// the seed (a failure prints the seed, the run's path and the input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { BUNDLE, makeRepo, manifest, TOOLS_BIN } from './helpers';
import { parsePluginOutput } from './harness/manifests';

const RUNS = Number(process.env.SAFE_RENDER_FUZZ_RUNS || 70);
const SEED = Number(process.env.SAFE_RENDER_FUZZ_SEED || 20260811);
const STDERR_MAX = 64 * 1024;
const RUN_TIMEOUT_MS = 30_000;
const APP = { path: 'apps/web', name: 'web', namespace: 'prod' };

// ---------------------------------------------------------------------------------------------
// Generators

const IDENTITY_PIECES = [
  'v1',
  'apps/v1',
  'core/v1',
  'apps/v1/x',
  'apps//v1',
  '/v1',
  'v1/',
  'rbac.authorization.k8s.io/v1',
  'example.com/v1alpha1',
  'ConfigMap',
  'Secret',
  'Namespace',
  'ClusterRoleBinding',
  'List',
  'ConfigMapList',
  'Kind\nWith: newline',
  'kind with space',
  'web',
  'Web',
  'a.b',
  '-lead',
  'trail-',
  '..',
  '../x',
  'a/b',
  '%2e',
  'ünïcödé',
  '\u202eevil',
  '\u0000',
  '\t',
  ' ',
  '',
  'x'.repeat(63),
  'y'.repeat(64),
  'z'.repeat(253),
  'w'.repeat(300),
  '0',
  '1e3',
  'true',
  'null',
  '~',
  '"quoted"',
  "'single'",
  'CON',
  'web.lock',
  'index',
  'FREEZE',
];
const NUMBERS = [
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '123456789012345678901234567890',
  '9007199254740993',
  '1e400',
  '-1e400',
  '1.7976931348623157e308',
  '5e-324',
  '0.1',
  '-0',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '+1',
  '.inf',
  '-.Inf',
  '.nan',
  '1.0',
  '2.50',
  '3e2',
  '0.0000001',
];
const YAML_TOKENS = [
  'apiVersion: v1\n',
  'kind: ConfigMap\n',
  'metadata:\n',
  '  name: x\n',
  '  namespace: prod\n',
  'items:\n',
  'items: []\n',
  'items: null\n',
  '- ',
  '---\n',
  '...\n',
  '&a ',
  '*a',
  '<<: *a\n',
  '{',
  '}',
  '[',
  ']',
  ', ',
  ': ',
  '"',
  "'",
  '|\n',
  '>-\n',
  '  ',
  '    ',
  '\n',
  '#c\n',
  '!!str ',
  '!!binary ',
  '!custom ',
  '? ',
  'key: ',
  'null',
  '~',
  'yes',
  'on',
  '0x10',
  '\t',
  '\r\n',
  '\ufeff',
  '%YAML 1.1\n',
  '%TAG ! tag:x:\n',
  'data:\n',
  '  a: b\n',
  'spec: {}\n',
  'status: {}\n',
  'annotations:\n',
  '    argocd.argoproj.io/hook: Skip\n',
  'helm.sh/hook: pre-install\n',
];

const identity = fc.oneof(
  fc.constantFrom(...IDENTITY_PIECES),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...IDENTITY_PIECES).chain((a) => fc.constantFrom(...IDENTITY_PIECES).map((b) => a + b)),
);
const number = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double().map(String),
);

/** A YAML value of the given depth. (Deep nesting is thrown separately, below.) */
const scalar = fc.oneof(
  number,
  identity.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'null', '~', '""', 'x', '*a'),
);
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 10 }),
      fc.boolean(),
      fc.constant(null),
    ),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('items', 'metadata', 'spec', 'data', 'kind', 'apiVersion', 'name', 'namespace'),
        fc.string({ maxLength: 8 }),
      ),
      tie('v'),
      { maxKeys: 4 },
    ),
  ),
})).v;

const objectYaml = fc
  .record({
    apiVersion: identity,
    kind: identity,
    name: identity,
    namespace: fc.option(identity, { nil: undefined }),
    fields: fc.array(fc.tuple(fc.constantFrom('data', 'spec', 'replicas', 'x', 'items', 'generation'), scalar), {
      maxLength: 4,
    }),
  })
  .map(
    ({ apiVersion, kind, name, namespace, fields }) =>
      [
        `apiVersion: ${JSON.stringify(apiVersion)}`,
        `kind: ${JSON.stringify(kind)}`,
        'metadata:',
        `  name: ${JSON.stringify(name)}`,
        ...(namespace === undefined ? [] : [`  namespace: ${JSON.stringify(namespace)}`]),
        ...fields.map(([k, v]) => `${k}: ${v}`),
      ].join('\n') + '\n',
  );

const VALID = [
  manifest('ConfigMap', 'settings', { body: 'data:\n  a: "1"' }),
  manifest('Deployment', 'web', { namespace: 'prod', body: 'spec:\n  replicas: 2' }),
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: in-list}\n',
  '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dmFsdWU="}}\n',
];

/** Edits of a text: insert a token, delete or duplicate a range, replace a character. */
function mutated(base: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat(),
    fc.nat({ max: 40 }),
    fc.constantFrom(...tokens),
    fc.constantFrom('insert', 'delete', 'duplicate', 'replace'),
  );
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) =>
    edits.reduce((t, [pos, len, tok, op]) => {
      const i = t.length ? pos % (t.length + 1) : 0;
      if (op === 'insert') return t.slice(0, i) + tok + t.slice(i);
      if (op === 'delete') return t.slice(0, i) + t.slice(i + len);
      if (op === 'duplicate') return t.slice(0, i + len) + t.slice(i, i + len) + t.slice(i + len);
      return t.slice(0, i) + tok.slice(0, 1) + t.slice(i + 1);
    }, text),
  );
}

/** Nesting depths around and far past the parser's bound (MAX_NESTING_DEPTH, 256): deep nesting
 * used to abort V8 natively near 900 levels, in manifests and (through the control files' own
 * parsers) in safe-render.yaml, FREEZE, the lock and the index (review8). */
const depth = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1000, max: 5000 }));
/** A value nested `n` levels, as JSON arrays or objects, YAML flow maps (closed or not) or compact
 * block sequences; `indent` places a compact sequence under its key. */
const nested = (indent: string) =>
  fc
    .tuple(depth, fc.constantFrom('[', '{"a":', '{a: ', '- ', '{a: open'))
    .map(([n, open]) =>
      open === '['
        ? `${'['.repeat(n)}1${']'.repeat(n)}`
        : open === '{"a":'
          ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
          : open === '{a: '
            ? `${'{a: '.repeat(n)}1${'}'.repeat(n)}`
            : open === '- '
              ? `\n${indent}${'- '.repeat(n)}1`
              : '{a: '.repeat(n),
    );
const deepJson = fc
  .tuple(depth, fc.constantFrom('[', '{"a":'))
  .map(
    ([n, open]) =>
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}}\n`,
  );
const deepYaml = nested('  ').map((v) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: ${v}\n`);
/** A control file's key holding a deeply nested value (JSON for the lock's JSON lines). */
const deepControl = (key: string) => nested('  ').map((v) => `${key}${v}\n`);

const manifestText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID) },
  fc.array(objectYaml, { minLength: 1, maxLength: 4 }).map((docs) => docs.join('---\n')),
  mutated(fc.constantFrom(...VALID), YAML_TOKENS),
  fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 40 }).map((t) => t.join('')),
  jsonValue.map((v) => `${JSON.stringify(v)}\n`),
  mutated(
    jsonValue.map((v) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: v })),
    ['{', '}', '[', ']', ',', ':', '"', '\\u0000', '1e999', '-'],
  ),
  deepJson,
  deepYaml,
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const CONFIG_TOKENS = [
  'include: ["*.yaml"]\n',
  'exclude: [x]\n',
  'recurse: true\n',
  'recurse: maybe\n',
  'namespaces: [prod]\n',
  'namespaces: ["!prod"]\n',
  'clusterScoped: [Namespace]\n',
  'scopes:\n  example.com/Widget: Cluster\n',
  'scopes: {core/Namespace: Namespaced}\n',
  'allowEmpty: true\n',
  'protectedKinds: [ConfigMap]\n',
  'engine: helm\n',
  'engine: kustomize\n',
  'engine: nope\n',
  'helm:\n  releaseName: --post-renderer=/bin/sh\n',
  'helm: {valueFiles: [../../etc/passwd]}\n',
  'kustomize: {namePrefix: "-x"}\n',
  'patches:\n- target: {kind: ConfigMap}\n  patch: [{op: remove, path: /data}]\n',
  'unknown: 1\n',
  '- a\n',
  ': :\n',
  '&a x\n',
  '*a\n',
  '\t\n',
  'recurse: !!binary aGk=\n',
];
const LOCK_TOKENS = [
  '\n',
  '# c\n',
  '{}\n',
  '{"key":"/ConfigMap/prod/x"}\n',
  'accepted ',
  'web\n',
  ' ',
  '\t',
  '"',
  '{',
  '}',
  'null',
  '9223372036854775807',
  '\u0000',
];

const textFile = (tokens: readonly string[], base: fc.Arbitrary<string>, deep?: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 3, arbitrary: base },
    { weight: deep ? 1 : 0, arbitrary: deep ?? base },
    { weight: 2, arbitrary: mutated(base, tokens) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...tokens), { maxLength: 20 }).map((t) => t.join('')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  );

/** A control file: text, or something that is not a regular file in the repository. */
type Control =
  | { kind: 'text'; text: string }
  | { kind: 'folder' }
  | { kind: 'outside' }
  | { kind: 'environ' }
  | { kind: 'dangling' }
  | { kind: 'absent' };
function control(text: fc.Arbitrary<string>, absent = 6): fc.Arbitrary<Control> {
  return fc.oneof(
    { weight: 4, arbitrary: text.map((t): Control => ({ kind: 'text', text: t })) },
    { weight: absent, arbitrary: fc.constant<Control>({ kind: 'absent' }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Control>(
        { kind: 'folder' },
        { kind: 'outside' },
        { kind: 'environ' },
        { kind: 'dangling' },
      ),
    },
  );
}

/** A kustomization whose secretGenerator literals hold SECRET_LITERAL: kustomize echoes literals
 * in some errors, and we must never pass them on (issue 9 §6). */
const SECRET_LITERAL = 'FUZZ-LITERAL-SECRET-5eb63bbe';
const KUSTOMIZATIONS = [
  `resources: [m0.yaml]\nsecretGenerator:\n- name: s\n  literals:\n  - password=${SECRET_LITERAL}\n  - token=${SECRET_LITERAL}x\n`,
  `secretGenerator:\n- name: s\n  literals: [${SECRET_LITERAL}, a=b]\n`,
  `configMapGenerator:\n- name: c\n  literals: [a=1]\nsecretGenerator:\n- name: s\n  literals: ["=${SECRET_LITERAL}"]\n`,
];
const KUSTOMIZE_TOKENS = [
  '- ',
  'literals:',
  'resources: [m0.yaml]\n',
  'envs: [m0.yaml]\n',
  'files: [m0.yaml]\n',
  '=',
  ' ',
  '\n',
  '"',
  '[',
  ']',
  ':',
  'behavior: merge\n',
  'namePrefix: x-\n',
];

interface Scenario {
  command: 'render' | 'generate' | 'lock';
  kustomization: string | undefined;
  files: string[];
  config: Control;
  freeze: Control;
  lock: Control;
  index: Control;
}

/** Scenarios; lock mutations start from a real lock written by `safe-render lock`. */
const scenarioOf = (seedLock: string): fc.Arbitrary<Scenario> =>
  fc.record({
    command: fc.constantFrom('render', 'generate', 'lock'),
    kustomization: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(...KUSTOMIZATIONS) },
      { weight: 1, arbitrary: mutated(fc.constantFrom(...KUSTOMIZATIONS), KUSTOMIZE_TOKENS) },
    ),
    files: fc.array(manifestText, { minLength: 1, maxLength: 2 }),
    config: control(
      textFile(
        CONFIG_TOKENS,
        fc.constantFrom('recurse: true\n', 'namespaces: [prod]\nallowEmpty: false\n', 'protectedKinds: [ConfigMap]\n'),
        deepControl('helm:\n  values:\n    x: '),
      ),
    ),
    freeze: control(
      textFile(
        ['reason: ', 'by: ', 'apps: [web]\n', 'apps: web\n', '\n', 'x'],
        fc.constantFrom('reason: release\nby: ops\napps: [web]\n', 'plain text reason\n'),
        deepControl('reason: '),
      ),
      16,
    ),
    lock: control(
      textFile(
        LOCK_TOKENS,
        fc.constant(seedLock),
        fc.tuple(fc.constant(seedLock), deepJson).map(([l, j]) => l.replace(/^source \{/m, `source {"x":${j.trim()},`)),
      ),
    ),
    index: control(
      textFile(['web\n', 'other\n', '# c\n', '\u0000', '../web\n'], fc.constant('web\n'), deepControl('')),
    ),
  });

// ---------------------------------------------------------------------------------------------
// Running one scenario

/** A file outside every repository, with content that must never appear in our output. */
let outsideFile = '';
const OUTSIDE_SECRET = 'FUZZ-OUTSIDE-SECRET-b1946ac9';

function place(repo: string, rel: string, c: Control): void {
  const abs = join(repo, rel);
  mkdirSync(dirname(abs), { recursive: true });
  if (c.kind === 'text') writeFileSync(abs, c.text);
  else if (c.kind === 'folder') mkdirSync(join(abs, 'inner'), { recursive: true });
  else if (c.kind === 'outside') symlinkSync(outsideFile, abs);
  else if (c.kind === 'environ') symlinkSync('/proc/self/environ', abs);
  else if (c.kind === 'dangling') symlinkSync(join(repo, 'nowhere'), abs);
}

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  rss: number;
  inputBytes: number;
}

function runScenario(s: Scenario): Outcome {
  const files: Record<string, string> = {};
  s.files.forEach((t, i) => (files[`${APP.path}/m${i}.${t.trimStart().startsWith('{') ? 'json' : 'yaml'}`] = t));
  if (s.kustomization !== undefined) files[`${APP.path}/kustomization.yaml`] = s.kustomization;
  const repo = makeRepo(files);
  try {
    place(repo, `${APP.path}/safe-render.yaml`, s.config);
    place(repo, '.safe-render/FREEZE', s.freeze);
    place(repo, `.safe-render/locks/${APP.name}.lock`, s.lock);
    place(repo, '.safe-render/index', s.index);
    const inputBytes = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0);
    const env: Record<string, string> = {
      PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`,
      SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-fuzz-freeze',
      FUZZ_ENV_MARKER: OUTSIDE_SECRET,
    };
    let args: string[];
    let cwd = repo;
    if (s.command === 'generate') {
      args = ['generate'];
      cwd = join(repo, APP.path);
      Object.assign(env, {
        ARGOCD_APP_NAME: APP.name,
        ARGOCD_APP_NAMESPACE: APP.namespace,
        ARGOCD_APP_SOURCE_PATH: APP.path,
        ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/shop.git',
      });
    } else if (s.command === 'lock')
      args = [
        'lock',
        APP.path,
        '--app',
        APP.name,
        '--namespace',
        APP.namespace,
        '--repo-url',
        'https://git.example.com/shop.git',
      ];
    else args = ['render', APP.path, '--app', APP.name, '--namespace', APP.namespace];
    const start = Date.now();
    const p = spawnSync('/usr/bin/time', ['-v', process.execPath, BUNDLE, ...args], {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    const ms = Date.now() - start;
    const cut = p.stderr.search(
      /^(Command (exited with non-zero status \d+|terminated by signal \d+)\n)?\tCommand being timed/m,
    );
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
    const signalled = /^Command terminated by signal (\d+)$/m.exec(p.stderr);
    const status = /^\tExit status: (\d+)$/m.exec(p.stderr);
    return {
      code: signalled ? null : status ? Number(status[1]) : p.status,
      signal: p.signal ?? (signalled ? `signal ${signalled[1]}` : null),
      stdout: p.stdout,
      stderr: cut >= 0 ? p.stderr.slice(0, cut) : p.stderr,
      ms,
      rss: m ? Number(m[1]) * 1024 : 0,
      inputBytes,
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function check(s: Scenario, o: Outcome): void {
  const where = `${s.command}: exit ${o.code} signal ${o.signal} in ${o.ms} ms, rss ${o.rss}\n${o.stderr.slice(0, 1500)}`;
  assert.equal(o.signal, null, `native crash or kill: ${where}`);
  assert.ok(o.code === 0 || o.code === 1 || o.code === 2, `exit code: ${where}`);
  assert.doesNotMatch(
    o.stderr,
    /^\s+at |node:internal|FATAL ERROR|Native stack trace|<--- Last few GCs --->/m,
    `stack trace: ${where}`,
  );
  assert.ok(Buffer.byteLength(o.stderr) <= STDERR_MAX, `stderr over 64 KiB: ${where}`);
  assert.ok(!o.stderr.includes(SECRET_LITERAL), `a secretGenerator literal reached stderr: ${where}`);
  if (o.code !== 0) assert.equal(o.stdout, '', `stdout not empty on exit ${o.code}: ${where}`);
  else if (s.command !== 'lock') {
    const parsed = parsePluginOutput(o.stdout.replace(/\n$/, ''));
    assert.equal(
      parsed.error,
      undefined,
      `exit 0 with a stream Argo CD cannot parse: ${where}\n${o.stdout.slice(0, 500)}`,
    );
  }
  assert.ok(o.ms < RUN_TIMEOUT_MS, `time: ${where}`);
  assert.ok(o.rss > 0 && o.rss < 20 * o.inputBytes + 200e6 + 60e6, `memory: ${where}`);
}

test(
  `fuzz: ${RUNS} random and mutated inputs and control files through render, generate and lock (seed ${SEED})`,
  { timeout: Math.max(120_000, RUNS * RUN_TIMEOUT_MS) },
  (t) => {
    assert.ok(existsSync('/usr/bin/time'), '/usr/bin/time is needed to measure peak memory');
    const outside = makeRepo({ 'secret.txt': `${OUTSIDE_SECRET}\n` });
    outsideFile = join(outside, 'secret.txt');
    const seedRepo = makeRepo({ [`${APP.path}/cm.yaml`]: VALID[0]! + '---\n' + VALID[1]! });
    const l = spawnSync(
      process.execPath,
      [
        BUNDLE,
        'lock',
        APP.path,
        '--app',
        APP.name,
        '--namespace',
        APP.namespace,
        '--repo-url',
        'https://git.example.com/shop.git',
      ],
      {
        cwd: seedRepo,
        encoding: 'utf8',
        env: {
          PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`,
          SAFE_RENDER_FREEZE_DIR: '/nonexistent/safe-render-fuzz-freeze',
        },
      },
    );
    assert.equal(l.status, 0, l.stderr);
    const seedLock = readFileSync(join(seedRepo, `.safe-render/locks/${APP.name}.lock`), 'utf8');
    // How the runs ended, by command: a fuzz whose inputs all fail the same way tests little.
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(scenarioOf(seedLock), (s) => {
        const o = runScenario(s);
        const key = `${s.command} exit ${o.code}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        check(s, o);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: 1 },
    );
    t.diagnostic(
      `outcomes: ${[...seen]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')}`,
    );
  },
);
