// The Argo CD CMP harness (test/harness/cmp-server.ts): first the harness itself against the contract
// (../shared/docs/argocd-cmp-contract.md), then safe-render run through it as Argo CD runs it.
import { announce, PARAMETERS } from '../../src/context/parameters';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeRepo, manifest, parseJsonStream, ROOT, runCli } from '../helpers';
import {
  loadPluginConfig,
  runGenerate,
  runParameters,
  type ParameterAnnouncement,
  type PluginParameter,
  type RequestOptions,
} from './cmp-server';
import {
  dedupEnv,
  escapeParamName,
  generateRequestEnv,
  instanceName,
  parametersEnviron,
  parametersJson,
  parametersRequestEnv,
  parseKubeVersion,
  splitEntry,
} from './argo-env';
import { commandArgsToLog, envsubst, exitStatusText, goQuote } from './go';
import { decodeAnnouncements, parsePluginOutput, splitYamlToString } from './manifests';

// ---------------------------------------------------------------------------------------------
// Helpers

const names = (env: readonly string[]): string[] => env.map((e) => splitEntry(e)[0]);
const envOf = (env: readonly string[]): Record<string, string> => Object.fromEntries(dedupEnv(env));

/** A plugin.yaml whose generate command is `command ++ args`. */
function pluginYaml(command: string[], args: string[] = [], extra = ''): { text: string } {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return {
    text: `apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: test\nspec:\n  generate:\n    command: ${list(command)}\n    args: ${list(args)}\n${extra}`,
  };
}

/** A plugin that prints one ConfigMap describing how it was run: argv, cwd, stdin, whether its copy
 * of the repo was fresh, and every ARGOCD_*, KUBE_* and PARAM_* variable in environ order. */
const ECHO_SCRIPT = `
const fs = require('fs');
const fresh = !fs.existsSync('.harness-marker');
fs.writeFileSync('.harness-marker', 'x');
const keys = Object.keys(process.env).filter((k) => /^(ARGOCD_|KUBE_|PARAM_|SIDECAR_)/.test(k));
const data = { argv: JSON.stringify(process.argv.slice(1)), cwd: process.cwd(), stdin: fs.readFileSync(0, 'utf8'), fresh: String(fresh), order: keys.join(',') };
for (const k of keys) data['env.' + k] = process.env[k];
process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'echo' }, data }) + '\\n');
`;
const ECHO_PLUGIN = pluginYaml(['node', '-e', ECHO_SCRIPT], ['$ARGOCD_APP_NAME', '*']);

async function echo(opts: Omit<RequestOptions, 'pluginConfig'>): Promise<Record<string, string>> {
  const r = await runGenerate({ ...opts, pluginConfig: ECHO_PLUGIN });
  assert.ok(r.ok, r.error);
  assert.equal(r.objects.length, 1);
  return (r.objects[0] as { data: Record<string, string> }).data;
}

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Alive and not a zombie (an orphan may wait for a PID 1 that does not reap). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

// ---------------------------------------------------------------------------------------------
// The harness itself

describe('plugin.env interpolation (Env.Envsubst over Go os.Expand)', () => {
  const vars: Array<[string, string]> = [
    ['ARGOCD_APP_NAME', 'web'],
    ['ARGOCD_APP_NAMESPACE', 'prod'],
    ['KUBE_VERSION', '1.29.3'],
    ['EMPTY', ''],
  ];
  const cases: Array<[string, string]> = [
    ['$ARGOCD_APP_NAME', 'web'],
    ['${ARGOCD_APP_NAME}-x', 'web-x'],
    ['$ARGOCD_APP_NAME-x', 'web-x'], // `-` ends a bare name
    ['$ARGOCD_APP_NAMEx', ''], // ...but letters do not
    ['${ARGOCD_APP_NAME}}', 'web}'],
    ['$$', '$'],
    ['$$ARGOCD_APP_NAME', '$ARGOCD_APP_NAME'],
    ['${$}', '$'],
    ['100$$ off', '100$ off'],
    ['${}', ''], // bad syntax: eaten
    ['a${}b', 'ab'],
    ['x${abc', 'xabc'], // unterminated: only "${" is eaten
    ['$', '$'], // a trailing $ stays
    ['a$', 'a$'],
    ['$%', '$%'], // no name after $: kept
    ['$ x', '$ x'],
    ['$1', ''], // special shell variables are names, and unknown
    ['${1}', ''],
    ['$-', ''],
    ['$UNKNOWN', ''],
    ['${EMPTY}x', 'x'],
    ['${ARGOCD_APP_NAME:-default}', ''], // no shell defaults: the whole text is the name
    ['é$ARGOCD_APP_NAME', 'éweb'],
    ['ns=$ARGOCD_APP_NAMESPACE,k8s=$KUBE_VERSION', 'ns=prod,k8s=1.29.3'],
    ['no dollars', 'no dollars'],
  ];
  for (const [input, want] of cases) {
    test(`${JSON.stringify(input)} -> ${JSON.stringify(want)}`, () => assert.equal(envsubst(input, vars), want));
  }
});

describe('request env (newEnv, getPluginEnvs, getPluginParamEnvs)', () => {
  const app = {
    name: 'web',
    destinationNamespace: 'prod',
    project: 'team',
    repoURL: 'https://git.example/r.git',
    path: 'apps/web',
    revision: SHA,
    targetRevision: 'main',
    kubeVersion: 'v1.29.3+k3s1',
    apiVersions: ['v1', 'apps/v1', 'v1/ConfigMap', 'apps/v1', 'apps/v1/Deployment'],
    plugin: {
      name: 'safe-render',
      env: [{ name: 'A', value: '$ARGOCD_APP_NAME' }],
      parameters: [{ name: 'recurse', string: 'true' }],
    },
  };

  test('GenerateManifest: every variable, in Argo CD order', () => {
    const env = generateRequestEnv(app);
    assert.deepEqual(names(env), [
      'ARGOCD_APP_NAME',
      'ARGOCD_APP_NAMESPACE',
      'ARGOCD_APP_PROJECT_NAME',
      'ARGOCD_APP_REVISION',
      'ARGOCD_APP_REVISION_SHORT',
      'ARGOCD_APP_REVISION_SHORT_8',
      'ARGOCD_APP_SOURCE_REPO_URL',
      'ARGOCD_APP_SOURCE_PATH',
      'ARGOCD_APP_SOURCE_TARGET_REVISION',
      'KUBE_VERSION',
      'KUBE_API_VERSIONS',
      'ARGOCD_ENV_A',
      'ARGOCD_APP_PARAMETERS',
      'PARAM_RECURSE',
    ]);
    const e = envOf(env);
    assert.equal(e.ARGOCD_APP_REVISION_SHORT, 'a1b2c3d');
    assert.equal(e.ARGOCD_APP_REVISION_SHORT_8, 'a1b2c3d4');
    assert.equal(e.ARGOCD_APP_SOURCE_TARGET_REVISION, 'main');
    assert.equal(e.KUBE_VERSION, '1.29.3');
    assert.equal(e.KUBE_API_VERSIONS, 'apps/v1,apps/v1/Deployment,v1,v1/ConfigMap');
    assert.equal(e.ARGOCD_ENV_A, 'web');
    assert.equal(e.ARGOCD_APP_PARAMETERS, '[{"name":"recurse","string":"true"}]');
  });

  test('no plugin section: no ARGOCD_ENV_*, no ARGOCD_APP_PARAMETERS, no PARAM_*', () => {
    const env = generateRequestEnv({ ...app, plugin: undefined });
    assert.equal(names(env).length, 11);
    assert.ok(names(env).every((n) => n.startsWith('ARGOCD_APP_') || n.startsWith('KUBE_')));
  });

  test('a plugin section without parameters sends ARGOCD_APP_PARAMETERS=null', () => {
    assert.equal(envOf(generateRequestEnv({ ...app, plugin: {} })).ARGOCD_APP_PARAMETERS, 'null');
    assert.equal(envOf(generateRequestEnv({ ...app, plugin: { parameters: [] } })).ARGOCD_APP_PARAMETERS, 'null');
  });

  test('empty values are sent, and plugin env names are used exactly as given', () => {
    const env = generateRequestEnv({
      name: 'web',
      plugin: {
        env: [
          { name: 'EMPTY', value: '' },
          { name: 'lower-Case', value: 'x=y' },
        ],
      },
    });
    assert.ok(env.includes('ARGOCD_APP_NAMESPACE='));
    assert.ok(env.includes('ARGOCD_ENV_EMPTY='));
    assert.ok(env.includes('ARGOCD_ENV_lower-Case=x=y'));
  });

  test('interpolation sees the build variables only: not other plugin env, not the sidecar env', () => {
    const env = envOf(
      generateRequestEnv({
        ...app,
        plugin: {
          env: [
            { name: 'FIRST', value: 'one' },
            { name: 'SECOND', value: '[$ARGOCD_ENV_FIRST][$PATH][$KUBE_API_VERSIONS]' },
          ],
        },
      }),
    );
    assert.equal(env.ARGOCD_ENV_SECOND, '[][][apps/v1,apps/v1/Deployment,v1,v1/ConfigMap]');
  });

  test('GetParametersAnnouncement: four build variables, and interpolation sees only those', () => {
    const env = parametersRequestEnv({
      ...app,
      plugin: {
        env: [{ name: 'X', value: '$ARGOCD_APP_NAME/$ARGOCD_APP_NAMESPACE/$ARGOCD_APP_REVISION/$KUBE_VERSION' }],
      },
    });
    assert.deepEqual(names(env), [
      'ARGOCD_APP_NAME',
      'ARGOCD_APP_SOURCE_REPO_URL',
      'ARGOCD_APP_SOURCE_PATH',
      'ARGOCD_APP_SOURCE_TARGET_REVISION',
      'ARGOCD_ENV_X',
      'ARGOCD_APP_PARAMETERS',
    ]);
    assert.equal(envOf(env).ARGOCD_ENV_X, 'web///');
  });

  test('ARGOCD_APP_SOURCE_TARGET_REVISION is the targetRevision as written: "" when omitted, no HEAD default', () => {
    for (const build of [generateRequestEnv, parametersRequestEnv]) {
      assert.equal(envOf(build({ ...app, targetRevision: undefined })).ARGOCD_APP_SOURCE_TARGET_REVISION, '');
      assert.equal(envOf(build({ ...app, targetRevision: '' })).ARGOCD_APP_SOURCE_TARGET_REVISION, '');
      assert.equal(envOf(build({ ...app, targetRevision: 'HEAD' })).ARGOCD_APP_SOURCE_TARGET_REVISION, 'HEAD');
      assert.equal(envOf(build({ ...app, targetRevision: 'v1.2.*' })).ARGOCD_APP_SOURCE_TARGET_REVISION, 'v1.2.*');
      // Interpolated plugin env sees the same value.
      const withEnv = build({
        ...app,
        targetRevision: undefined,
        plugin: { env: [{ name: 'REV', value: '[$ARGOCD_APP_SOURCE_TARGET_REVISION]' }] },
      });
      assert.equal(envOf(withEnv).ARGOCD_ENV_REV, '[]');
    }
  });

  test('the parameters request gets the bare app name; generate gets the instance name', () => {
    const outside = { ...app, appNamespace: 'team-a', plugin: { env: [{ name: 'N', value: '$ARGOCD_APP_NAME' }] } };
    assert.equal(envOf(parametersRequestEnv(outside)).ARGOCD_APP_NAME, 'web');
    assert.equal(envOf(parametersRequestEnv(outside)).ARGOCD_ENV_N, 'web');
    assert.equal(envOf(generateRequestEnv(outside)).ARGOCD_APP_NAME, 'team-a_web');
    assert.equal(envOf(parametersRequestEnv({ ...app, appNamespace: 'argocd' })).ARGOCD_APP_NAME, 'web');
  });

  test('ARGOCD_APP_NAME is <ns>_<name> outside the control-plane namespace', () => {
    assert.equal(instanceName({ name: 'web' }), 'web');
    assert.equal(instanceName({ name: 'web', appNamespace: 'argocd' }), 'web');
    assert.equal(instanceName({ name: 'web', appNamespace: 'team-a' }), 'team-a_web');
    assert.equal(instanceName({ name: 'web', appNamespace: 'gitops', controlPlaneNamespace: 'gitops' }), 'web');
    assert.equal(instanceName({ name: 'web', appNamespace: 'argocd', controlPlaneNamespace: 'gitops' }), 'argocd_web');
  });

  test('KUBE_VERSION is ParseGeneric(...).String()', () => {
    assert.equal(parseKubeVersion(''), '');
    assert.equal(parseKubeVersion('v1.29.3+k3s1'), '1.29.3');
    assert.equal(parseKubeVersion('1.30.0-eks-036c24b'), '1.30.0');
    assert.equal(parseKubeVersion('1.29'), '1.29');
    assert.equal(parseKubeVersion('v1.029.3'), '1.29.3');
    assert.throws(() => parseKubeVersion('1'), /illegal version string/);
    assert.throws(() => parseKubeVersion('latest'), /could not parse/);
    assert.throws(() => parseKubeVersion('01.2'), /zero-prefixed/);
  });

  test('last duplicate wins, in the position of the last one (os/exec dedupEnv)', () => {
    assert.deepEqual(dedupEnv(['A=1', 'B=2', 'A=3']), [
      ['B', '2'],
      ['A', '3'],
    ]);
  });
});

describe('PARAM_ variables', () => {
  test('names: upper case, every rune outside [A-Z0-9_] becomes one _, as Go does it', () => {
    assert.equal(escapeParamName('values-files'), 'VALUES_FILES');
    assert.equal(escapeParamName('image.tag'), 'IMAGE_TAG');
    assert.equal(escapeParamName('a_b9'), 'A_B9');
    assert.equal(escapeParamName('straße'), 'STRA_E'); // Go's ToUpper keeps ß (JavaScript would say SS)
    assert.equal(escapeParamName('ıſ'), 'IS'); // the two non-ASCII letters whose upper case is ASCII
    assert.equal(escapeParamName('x😀y'), 'X_Y'); // one rune, one underscore
  });

  test('string, then map entries, then array items', () => {
    assert.deepEqual(
      parametersEnviron([
        { name: 'recurse', string: 'true' },
        { name: 'include', array: ['*.yaml', 'x/*.json'] },
        { name: 'helm-parameters', map: { 'image.tag': 'v1', replicas: '3' } },
      ]).slice(1),
      [
        'PARAM_RECURSE=true',
        'PARAM_INCLUDE_0=*.yaml',
        'PARAM_INCLUDE_1=x/*.json',
        'PARAM_HELM_PARAMETERS_IMAGE_TAG=v1',
        'PARAM_HELM_PARAMETERS_REPLICAS=3',
      ],
    );
  });

  test('collisions: the last one wins (a-b and a.b; map key "0" and array item 0)', () => {
    const env = envOf(
      parametersEnviron([
        { name: 'a-b', string: 'first' },
        { name: 'a.b', string: 'second' },
      ]),
    );
    assert.equal(env.PARAM_A_B, 'second');
    const mixed = envOf(parametersEnviron([{ name: 'x', string: 's', map: { 0: 'from-map' }, array: ['from-array'] }]));
    assert.equal(mixed.PARAM_X, 's');
    assert.equal(mixed.PARAM_X_0, 'from-array');
  });
});

describe('ARGOCD_APP_PARAMETERS (encoding/json with Argo CD MarshalJSON)', () => {
  test('the contract example', () => {
    assert.equal(
      parametersJson([
        { name: 'values-files', array: ['values-dev.yaml'] },
        { name: 'helm-parameters', map: { 'image.tag': 'v1.2.3' } },
      ]),
      '[{"array":["values-dev.yaml"],"name":"values-files"},{"map":{"image.tag":"v1.2.3"},"name":"helm-parameters"}]',
    );
  });

  test('keys in alphabetical order (array, map, name, string); empty array and map kept', () => {
    assert.equal(
      parametersJson([{ string: '', map: {}, name: 'x', array: [] }]),
      '[{"array":[],"map":{},"name":"x","string":""}]',
    );
  });

  test('map keys sorted; HTML characters escaped as Go does', () => {
    assert.equal(
      parametersJson([{ name: 'm', map: { b: '1', a: '<&>' } }]),
      '[{"map":{"a":"\\u003c\\u0026\\u003e","b":"1"},"name":"m"}]',
    );
  });

  test('no parameters is null', () => {
    assert.equal(parametersJson(undefined), 'null');
    assert.equal(parametersJson([]), 'null');
  });
});

describe('error text of a failed command', () => {
  test('argv as Argo CD logs it: args with whitespace Go-quoted, empty args as ""', () => {
    assert.equal(commandArgsToLog(['safe-render', 'generate']), 'safe-render generate');
    assert.equal(commandArgsToLog(['sh', '-c', 'echo hi; exit 1']), 'sh -c "echo hi; exit 1"');
    assert.equal(commandArgsToLog(['x', '']), 'x ""');
    assert.equal(
      commandArgsToLog(['say "hi"', 'a\tb', 'nbsp\u00a0here', 'héllo']),
      '"say \\"hi\\"" "a\\tb" "nbsp\\u00a0here" héllo',
    );
    assert.equal(goQuote('bell\x07\x01\u{1F600}'), '"bell\\a\\x01\u{1F600}"');
  });

  test('exit status and signals', () => {
    assert.equal(exitStatusText(3, null), 'exit status 3');
    assert.equal(exitStatusText(null, 'SIGKILL'), 'signal: killed');
    assert.equal(exitStatusText(null, 'SIGTERM'), 'signal: terminated');
  });

  test('a real failure: stderr trimmed after ": ", stdout ignored', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const r = await runGenerate({
      name: 'a',
      repoDir: repo,
      pluginConfig: pluginYaml(['sh', '-c', 'echo \'{"kind":"A"}\'; echo \'  oops  \' >&2; exit 3']),
    });
    assert.equal(r.ok, false);
    assert.equal(
      r.error,
      '`sh -c "echo \'{\\"kind\\":\\"A\\"}\'; echo \'  oops  \' >&2; exit 3"` failed exit status 3: oops',
    );
    assert.equal(r.stdout, '{"kind":"A"}\n');
    assert.deepEqual(r.objects, [], 'the stdout of a failed run is ignored');
  });

  test('no stderr: no ": " suffix', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const r = await runGenerate({ name: 'a', repoDir: repo, pluginConfig: pluginYaml(['sh', '-c', 'exit 4']) });
    assert.equal(r.error, '`sh -c "exit 4"` failed exit status 4');
  });

  test('a command not on the sidecar PATH fails like exec.LookPath', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const r = await runGenerate({ name: 'a', repoDir: repo, pluginConfig: pluginYaml(['no-such-plugin-binary']) });
    assert.equal(r.error, 'exec: "no-such-plugin-binary": executable file not found in $PATH');
  });
});

describe('stdout parsing, stage 1 (SplitYAMLToString)', () => {
  test('a JSON stream: objects back to back or on lines, each kept as written', () => {
    assert.deepEqual(splitYamlToString('{"kind":"A"}{ "kind": "B" }\n\n{"kind":"C"}').docs, [
      '{"kind":"A"}',
      '{ "kind": "B" }',
      '{"kind":"C"}',
    ]);
  });

  test('YAML documents: separators with comments, empty, null and comment-only documents dropped', () => {
    const out = splitYamlToString(
      '---\nkind: A\nz: 1\na: 2\n--- # next\nkind: B\n---\n# only a comment\n---\nnull\n---\n\n---\n',
    );
    assert.deepEqual(out, { docs: ['{"a":2,"kind":"A","z":1}', '{"kind":"B"}'] });
  });

  test('YAML 1.1 scalars as go-yaml v2 reads them; CRLF line ends', () => {
    const out = splitYamlToString(
      'kind: A\r\nenabled: yes\r\non: x\r\nmode: 0755\r\nwhen: 2024-01-01\r\nsexa: 1:20\r\n',
    );
    assert.deepEqual(out.docs, ['{"enabled":true,"kind":"A","mode":493,"sexa":"1:20","true":"x","when":"2024-01-01"}']);
  });

  test("plain scalars typed by go-yaml v2's resolve(): Go number syntax, not the YAML 1.1 schema", () => {
    const doc = [
      'a: 0o17',
      'b: 1e3',
      'c: 0999',
      'd: .',
      'e: 0x_1F',
      'f: 9223372036854775808',
      'g: 1_000',
      'h: y',
      'i: 2024-01-01',
      'j: .5',
      'k: 08',
      'l: "0o17"',
      'm: -0b11',
      'n: 1e400',
      'o: ~',
      'p:',
      'q: 18446744073709551616',
      'r: .e1',
      's: <<x',
      't: 0B1',
    ].join('\n');
    // The key `n` is itself a YAML 1.1 boolean: it becomes "false". Go's JSON escapes `<`.
    const want =
      '{"a":15,"b":1000,"c":999,"d":".","e":31,"f":9223372036854775808,"false":"1e400","g":1000,"h":true,' +
      '"i":"2024-01-01","j":0.5,"k":8,"l":"0o17","m":-3,"o":null,"p":null,"q":18446744073709552000,"r":".e1","s":"\\u003c\\u003cx","t":1}';
    assert.deepEqual(splitYamlToString(doc).docs, [want]);
    // Merge keys still merge.
    assert.deepEqual(splitYamlToString('base: &b {x: 1}\nkind: A\nm:\n  <<: *b\n  z: 2\n').docs, [
      '{"base":{"x":1},"kind":"A","m":{"x":1,"z":2}}',
    ]);
  });

  test('only whitespace or a comment may follow ---', () => {
    assert.equal(
      splitYamlToString('kind: A\n--- foo\nkind: B\n').error,
      'failed to unmarshal manifest: invalid Yaml document separator: foo',
    );
    assert.equal(
      splitYamlToString('kind: A\n---kind: B\n').error,
      'failed to unmarshal manifest: invalid Yaml document separator: kind: B',
    );
  });

  test('a JSON stream falls back to YAML while at most one object was decoded', () => {
    assert.deepEqual(splitYamlToString('{"kind":"A"}\nkind: B\nx: [1]\n').docs, [
      '{"kind":"A"}',
      '{"kind":"B","x":[1]}',
    ]);
    assert.deepEqual(splitYamlToString('{"kind":"A"}\n---\n{"kind":"B"}\n').docs, ['{"kind":"A"}', '{"kind":"B"}']);
  });

  test('after two JSON objects an error is final', () => {
    const r = splitYamlToString('{"kind":"A"}\n{"kind":"B"}\nkind: C\n');
    assert.deepEqual(r.docs, ['{"kind":"A"}', '{"kind":"B"}']);
    assert.equal(r.error, "failed to unmarshal manifest: invalid character 'k' looking for beginning of value");
  });

  test('when the YAML fall-back fails too, the JSON error is reported', () => {
    assert.match(
      splitYamlToString('{"kind":"A"} x: [').error!,
      /^failed to unmarshal manifest: json: offset \d+: invalid character 'x' looking for beginning of value$/,
    );
  });

  test('a stream that starts with [ is YAML: one document', () => {
    assert.deepEqual(splitYamlToString('[{"kind":"A"}]').docs, ['[{"kind":"A"}]']);
  });
});

describe('stdout parsing, stages 2 and 3', () => {
  const PREFIX =
    'failed to convert CMP manifests to unstructured objects: failed to unmarshal manifest: error unmarshaling JSON: while decoding JSON: ';

  test('Kind missing: the exact text of argo-cd#11238 (keys sorted, as re-marshalled by Go)', () => {
    const values =
      'nfscluster:\n  ipaddress: 172.32.0.121\n  path: /srv/nfs/default_HA-1\n\nimage:\n  registry: harbor.ba12.cgw-hpe.net\n  repository: library/gl-gateway-sat-tool\n';
    assert.equal(
      parsePluginOutput(values).error,
      `${PREFIX}Object 'Kind' is missing in '{"image":{"registry":"harbor.ba12.cgw-hpe.net","repository":"library/gl-gateway-sat-tool"},"nfscluster":{"ipaddress":"172.32.0.121","path":"/srv/nfs/default_HA-1"}}'`,
    );
  });

  test('Kind missing in a JSON stream, empty, or not a string', () => {
    assert.equal(
      parsePluginOutput('{"metadata": {"name": "x"}, "apiVersion": "v1"}').error,
      `${PREFIX}Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'`,
    );
    assert.match(parsePluginOutput('{"kind":""}').error!, /Object 'Kind' is missing in '\{"kind":""\}'$/);
    assert.match(parsePluginOutput('{"kind":5}').error!, /Object 'Kind' is missing/);
  });

  test('documents that are not objects (argo-cd#3311), including a top-level array', () => {
    assert.equal(
      parsePluginOutput('hello').error,
      `${PREFIX}json: cannot unmarshal string into Go value of type map[string]interface {}`,
    );
    assert.equal(
      parsePluginOutput('[{"kind":"A"}]').error,
      `${PREFIX}json: cannot unmarshal array into Go value of type map[string]interface {}`,
    );
    assert.equal(
      parsePluginOutput('kind: A\n---\n42\n').error,
      `${PREFIX}json: cannot unmarshal number into Go value of type map[string]interface {}`,
    );
  });

  test('Lists are flattened whatever their kind; items: null without spec/status is dropped', () => {
    const r = parsePluginOutput(
      [
        '{"kind":"List","items":[{"kind":"A"},{"no":"kind"}]}',
        '{"kind":"Anything","items":[{"kind":"B"}]}',
        '{"kind":"List","items":null}',
        '{"kind":"Keep","items":null,"spec":{}}',
      ].join('\n'),
    );
    assert.deepEqual(r.objects, [
      { kind: 'A' },
      { no: 'kind' },
      { kind: 'B' },
      { kind: 'Keep', items: null, spec: {} },
    ]);
    assert.equal(
      parsePluginOutput('{"kind":"List","items":["x"]}').error,
      'items member is not an object: map[string]interface {}',
    );
  });

  test('empty output is a valid empty app', () => {
    assert.deepEqual(parsePluginOutput(''), { manifests: [], objects: [] });
  });
});

describe('ParameterAnnouncement decoding (encoding/json into []*ParameterAnnouncement)', () => {
  test('the contract example decodes', () => {
    const out = decodeAnnouncements(
      JSON.stringify([
        {
          name: 'values-files',
          title: 'VALUES FILES',
          tooltip: '...',
          required: false,
          itemType: 'string',
          collectionType: 'array',
          array: ['values.yaml'],
        },
        {
          name: 'helm-parameters',
          title: 'Helm Parameters',
          collectionType: 'map',
          map: { 'image.tag': 'v1', replicas: '3' },
        },
        { name: 'release-name', string: 'my-release' },
      ]),
    );
    assert.equal(out.length, 3);
    assert.deepEqual(out[1]!.map, { 'image.tag': 'v1', replicas: '3' });
  });

  test('null is no announcements; empty output is an error', () => {
    assert.deepEqual(decodeAnnouncements('null'), []);
    assert.throws(() => decodeAnnouncements(''), /^Error: unexpected end of JSON input$/);
  });

  test('strict types', () => {
    assert.throws(
      () => decodeAnnouncements('[{"name":"m","map":{"replicas":3}}]'),
      /cannot unmarshal number into Go struct field ParameterAnnouncement.map of type string/,
    );
    assert.throws(
      () => decodeAnnouncements('[{"name":"r","required":"false"}]'),
      /cannot unmarshal string into Go struct field ParameterAnnouncement.required of type bool/,
    );
    assert.throws(
      () => decodeAnnouncements('{"name":"x"}'),
      /cannot unmarshal object into Go value of type \[\]\*apiclient.ParameterAnnouncement/,
    );
    assert.throws(
      () => decodeAnnouncements('["x"]'),
      /cannot unmarshal string into Go value of type apiclient.ParameterAnnouncement/,
    );
  });

  test('unknown keys are ignored and keys match case-insensitively', () => {
    assert.deepEqual(decodeAnnouncements('[{"NAME":"x","whatever":1,"collectiontype":"array"}]'), [
      { name: 'x', collectionType: 'array' },
    ]);
  });
});

describe('plugin.yaml', () => {
  test("the project's plugin.yaml loads as the sidecar loads it", () => {
    const c = loadPluginConfig();
    assert.equal(c.name, 'safe-render');
    assert.deepEqual(c.generate, { command: ['safe-render', 'generate'], args: [] });
    assert.deepEqual(c.parameters.dynamic, { command: ['safe-render', 'parameters'], args: [] });
    assert.deepEqual(c.init, { command: [], args: [] });
    // The static list is exactly the parameters table's entries without a repository default.
    assert.deepEqual(
      c.parameters.static,
      PARAMETERS.filter((p) => !p.dynamic).map((p) => announce(p)),
    );
  });

  test('validated like ValidatePluginConfig; types are strict', () => {
    const head = 'apiVersion: v1\nkind: ConfigManagementPlugin\n';
    assert.throws(
      () => loadPluginConfig({ text: `${head}spec: {generate: {command: [x]}}` }),
      /metadata.name should be non-empty/,
    );
    assert.throws(
      () => loadPluginConfig({ text: 'kind: Plugin\nmetadata: {name: p}\nspec: {generate: {command: [x]}}' }),
      /kind should be ConfigManagementPlugin, found Plugin/,
    );
    assert.throws(
      () => loadPluginConfig({ text: `${head}metadata: {name: p}\nspec: {generate: {args: [x]}}` }),
      /spec.generate command should be non-empty/,
    );
    assert.throws(
      () => loadPluginConfig({ text: `${head}metadata: {name: p}\nspec: {generate: {command: [x], args: [-n, 5]}}` }),
      /cannot unmarshal number .* of type string/,
    );
    // Keys match case-insensitively, unknown keys are ignored.
    assert.equal(
      loadPluginConfig({ text: `${head}Metadata: {Name: p}\nspec: {lockRepo: true, Generate: {Command: [x]}}` })
        .generate.command[0],
      'x',
    );
  });
});

describe('how a command is run', () => {
  test('argv without a shell, stdin empty, cwd in a fresh copy, request env after the sidecar env', async () => {
    const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
    const opts = {
      name: 'web',
      destinationNamespace: 'prod',
      path: 'apps/web',
      repoDir: repo,
      revision: SHA,
      sidecarEnv: {
        PATH: process.env.PATH ?? '',
        SIDECAR_ONLY: 'kept',
        ARGOCD_APP_NAME: 'sidecar-value',
        ARGOCD_ENV_EMPTY: 'sidecar-value',
      },
      plugin: {
        env: [
          { name: 'EMPTY', value: '' },
          { name: 'GREETING', value: 'hi $ARGOCD_APP_NAME' },
        ],
      },
    };
    const data = await echo(opts);
    assert.equal(data.argv, JSON.stringify(['$ARGOCD_APP_NAME', '*']), 'no shell: no expansion, no globbing');
    assert.equal(data.stdin, '');
    assert.match(data.cwd!, /\/_cmp_server\/[0-9a-f-]{36}\/apps\/web$/);
    assert.equal(data.fresh, 'true');
    assert.equal(data['env.SIDECAR_ONLY'], 'kept');
    assert.equal(data['env.ARGOCD_APP_NAME'], 'web', 'the request env wins over the sidecar env');
    assert.equal(data['env.ARGOCD_ENV_EMPTY'], '', 'empty values are passed');
    assert.equal(data['env.ARGOCD_ENV_GREETING'], 'hi web');
    assert.equal(data['env.ARGOCD_APP_PARAMETERS'], 'null');
    const order = data.order!.split(',').filter((k) => k !== 'SIDECAR_ONLY');
    assert.deepEqual(order, names(generateRequestEnv(opts)), 'request variables reach the child in Argo CD order');
    // Every request gets its own copy: the marker written by the first run is gone.
    assert.equal((await echo(opts)).fresh, 'true');
  });

  test('the whole repo is copied (with .git): files 0644, folders 0755, symlinks relative', async () => {
    const repo = makeRepo({
      'apps/web/a.yaml': manifest('ConfigMap', 'a'),
      'tools/run.sh': 'echo hi\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    chmodSync(join(repo, 'tools/run.sh'), 0o755);
    symlinkSync('../tools/run.sh', join(repo, 'apps/run-link'));
    const r = await runGenerate({
      name: 'web',
      path: 'apps/web',
      repoDir: repo,
      keepWorkDir: true,
      pluginConfig: ECHO_PLUGIN,
    });
    assert.ok(r.ok, r.error);
    const work = r.cwd.replace(/\/apps\/web$/, '');
    try {
      assert.equal(readFileSync(join(work, '.git/HEAD'), 'utf8'), 'ref: refs/heads/main\n');
      assert.equal(statSync(join(work, 'tools/run.sh')).mode & 0o777, 0o644);
      assert.equal(statSync(join(work, 'tools')).mode & 0o777, 0o755);
      assert.equal(statSync(work).mode & 0o777, 0o755);
      assert.ok(lstatSync(join(work, 'apps/run-link')).isSymbolicLink());
      assert.equal(readlinkSync(join(work, 'apps/run-link')), '../tools/run.sh');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('preserveFileMode keeps the exec bit', async () => {
    const repo = makeRepo({
      'run.sh': '#!/bin/sh\necho \'{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"from-script"}}\'\n',
    });
    chmodSync(join(repo, 'run.sh'), 0o755);
    const r = await runGenerate({
      name: 'a',
      repoDir: repo,
      pluginConfig: pluginYaml(['./run.sh'], [], '  preserveFileMode: true\n'),
    });
    assert.ok(r.ok, r.error);
    assert.equal((r.objects[0] as { metadata: { name: string } }).metadata.name, 'from-script');
    const without = await runGenerate({ name: 'a', repoDir: repo, pluginConfig: pluginYaml(['./run.sh']) });
    assert.match(without.error!, /permission denied/);
  });

  test('symlinks that leave the repository are refused before anything runs', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    symlinkSync('../../etc/passwd', join(repo, 'link'));
    const r = await runGenerate({ name: 'a', repoDir: repo });
    assert.equal(r.error, 'repository contains out-of-bounds symlinks. file: link');
  });

  test('the source path must stay inside the repository and exist', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    assert.equal((await runGenerate({ name: 'a', repoDir: repo, path: '../x' })).error, '../x: app path outside root');
    assert.equal((await runGenerate({ name: 'a', repoDir: repo, path: '/etc' })).error, '/etc: app path is absolute');
    assert.match(
      (await runGenerate({ name: 'a', repoDir: repo, path: 'nope' })).error!,
      /\/nope: app path does not exist$/,
    );
  });

  test('a deadline that passed before the command starts', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    assert.equal((await runGenerate({ name: 'a', repoDir: repo, deadlineMs: 50 })).error, 'context deadline exceeded');
  });

  test('the deadline kills a hanging command (minus 100 ms)', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const r = await runGenerate({
      name: 'a',
      repoDir: repo,
      deadlineMs: 1500,
      pluginConfig: pluginYaml(['node', '-e', 'setTimeout(()=>{},1e9)']),
    });
    assert.equal(r.error, '`node -e setTimeout(()=>{},1e9)` failed signal: killed');
    assert.equal(r.timedOut, true);
    assert.ok(r.durationMs >= 1350 && r.durationMs < 4000, `took ${r.durationMs} ms`);
  });

  test('on the deadline the process group gets SIGTERM, then SIGKILL 5 s later', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const pidFile = join(tempDir('safe-render-pid-'), 'pid');
    // The grandchild ignores SIGTERM and holds stdout open, so Argo CD's Wait (and ours) lasts
    // until the group SIGKILL.
    const grandchild = "process.on('SIGTERM',()=>{}); setInterval(()=>{},1000)";
    const script =
      `const c=require('child_process').spawn(process.execPath,['-e',${JSON.stringify(grandchild)}],{stdio:'inherit'});` +
      `require('fs').writeFileSync(process.env.SIDECAR_PID_FILE,String(c.pid)); setTimeout(()=>{},1e9)`;
    const r = await runGenerate({
      name: 'a',
      repoDir: repo,
      deadlineMs: 800,
      sidecarEnv: { PATH: process.env.PATH ?? '', SIDECAR_PID_FILE: pidFile },
      pluginConfig: pluginYaml(['node', '-e', script]),
    });
    assert.match(r.error!, / failed signal: killed$/);
    assert.ok(r.durationMs >= 700 + 5000 - 100, `returned after ${r.durationMs} ms, before the group SIGKILL`);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitFor(() => !pidAlive(pid), 1000), 'the grandchild is dead');
  });

  test('when the request ends, what the plugin left running gets SIGTERM', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const pidFile = join(tempDir('safe-render-pid-'), 'pid');
    const r = await runGenerate({
      name: 'a',
      repoDir: repo,
      sidecarEnv: { PATH: process.env.PATH ?? '', SIDECAR_PID_FILE: pidFile },
      pluginConfig: pluginYaml([
        'sh',
        '-c',
        'sleep 30 >/dev/null 2>&1 & echo $! > "$SIDECAR_PID_FILE"; echo "{\\"kind\\":\\"ConfigMap\\"}"',
      ]),
    });
    assert.ok(r.ok, r.error);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitFor(() => !pidAlive(pid), 2000), 'the background process was ended');
  });
});

// ---------------------------------------------------------------------------------------------
// safe-render through the harness

const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  // examples/argocd holds install manifests and examples/ci CI pipelines (test/ci-examples.test.ts), not apps
  .filter((d) => d.isDirectory() && d.name !== 'argocd' && d.name !== 'ci')
  .map((d) => d.name)
  .sort();

const HEAD = (() => {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : SHA;
})();

/** A repository as the repo-server checks it out: the example apps at examples/<app>, plus .git. */
function examplesRepo(): string {
  const repo = tempDir('safe-render-examples-');
  for (const app of EXAMPLES) cpSync(join(ROOT, 'examples', app), join(repo, 'examples', app), { recursive: true });
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, '.git/HEAD'), 'ref: refs/heads/main\n');
  return repo;
}

const API_VERSIONS = ['v1', 'v1/ConfigMap', 'v1/Namespace', 'v1/Service', 'apps/v1', 'apps/v1/Deployment'];

function duplicates(list: readonly ParameterAnnouncement[]): string[] {
  const seen = new Set<string>();
  return list.map((a) => a.name ?? '').filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
}

function assertStrictAnnouncements(list: readonly ParameterAnnouncement[]): void {
  for (const a of list) {
    assert.ok(a.name, 'every announcement has a name');
    assert.ok(
      ['string', 'array', 'map'].includes(a.collectionType ?? ''),
      `${a.name}: collectionType must be set explicitly`,
    );
    if (a.collectionType === 'array') assert.ok(Array.isArray(a.array), `${a.name}: array default`);
    if (a.collectionType === 'string') assert.equal(typeof a.string, 'string', `${a.name}: string default`);
  }
  assert.deepEqual(duplicates(list), [], 'no name is announced twice (static ++ dynamic)');
}

describe('safe-render in the harness: example apps', () => {
  test('examples/ holds at least one app', () =>
    assert.ok(EXAMPLES.length > 0, 'no example app found under examples/'));

  for (const app of EXAMPLES) {
    test(`examples/${app} renders through the sidecar, and \`render\` prints the same bytes`, async () => {
      const repo = examplesRepo();
      const env = [
        { name: 'EMPTY', value: '' },
        { name: 'GREETING', value: 'hello $ARGOCD_APP_NAME' },
      ];
      // Set every parameter to the default the app announces (empty arrays cannot be written as
      // flags), so the parameter path is exercised on both sides without changing the render.
      const announced = await runParameters({
        name: app,
        path: `examples/${app}`,
        repoDir: repo,
        plugin: { name: 'safe-render' },
      });
      assert.ok(announced.ok, announced.error);
      const parameters: PluginParameter[] = announced.announcements.flatMap((a): PluginParameter[] =>
        a.collectionType === 'string'
          ? [{ name: a.name!, string: a.string ?? '' }]
          : a.collectionType === 'array' && a.array?.length
            ? [{ name: a.name!, array: a.array }]
            : [],
      );
      assert.ok(parameters.length > 0);
      const paramFlags = parameters.flatMap((p) =>
        p.string !== undefined
          ? ['--param', `${p.name}=${p.string}`]
          : (p.array ?? []).flatMap((v) => ['--param', `${p.name}[]=${v}`]),
      );
      const r = await runGenerate({
        name: app,
        destinationNamespace: app,
        path: `examples/${app}`,
        repoDir: repo,
        repoURL: 'https://github.com/example/safe-render.git',
        revision: HEAD,
        targetRevision: 'main',
        kubeVersion: 'v1.32.1+k3s1',
        apiVersions: API_VERSIONS,
        plugin: { name: 'safe-render', env, parameters },
      });
      assert.ok(r.ok, r.error);
      assert.equal(r.exitCode, 0);
      assert.ok(r.objects.length > 0, 'the example renders objects');
      assert.ok(r.stdout.startsWith('{'), 'a JSON stream');
      assert.deepEqual(r.objects, parseJsonStream(r.stdout));
      assert.equal(r.stderr, '', 'a clean render writes nothing on stderr');

      const cli = runCli(
        [
          'render',
          `examples/${app}`,
          '--app',
          app,
          '--namespace',
          app,
          '--env',
          'EMPTY=',
          '--env',
          `GREETING=hello ${app}`,
          '--repo-url',
          'https://github.com/example/safe-render.git',
          '--revision',
          HEAD,
          '--kube-version',
          '1.32.1',
          '--api-versions',
          API_VERSIONS.join(','),
          ...paramFlags,
        ],
        { cwd: ROOT },
      );
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(cli.stdout, r.stdout);
    });

    test(`examples/${app}: the dynamic parameters pass the strict checks`, async () => {
      const r = await runParameters({
        name: app,
        path: `examples/${app}`,
        repoDir: examplesRepo(),
        plugin: { name: 'safe-render' },
      });
      assert.ok(r.ok, r.error);
      assert.deepEqual(r.argv, ['safe-render', 'parameters']);
      assert.ok(r.dynamic.length > 0);
      assertStrictAnnouncements(r.announcements);
    });
  }
});

describe('safe-render in the harness', () => {
  test('a refused render: Argo CD error with exit status 1 and the finding', async () => {
    const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a', { namespace: 'other' }) });
    const r = await runGenerate({
      name: 'web',
      destinationNamespace: 'prod',
      path: 'apps/web',
      repoDir: repo,
      plugin: { name: 'safe-render' },
    });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.objects, []);
    assert.match(
      r.stderr,
      /^error\[namespace-escape\] .*ConfigMap other\/a \(apps\/web\/a\.yaml:1\): writes to namespace "other"/m,
    );
    assert.equal(r.error, `\`safe-render generate\` failed exit status 1: ${r.stderr.trim()}`);
  });

  test('an app outside the control-plane namespace is <ns>_<name>, for the tracking check too', async () => {
    const tracked = (owner: string) =>
      manifest('ConfigMap', 'a', { annotations: { 'argocd.argoproj.io/tracking-id': `${owner}:/ConfigMap:prod/a` } });
    const app = { name: 'web', appNamespace: 'team-a', destinationNamespace: 'prod', plugin: { name: 'safe-render' } };
    const own = await runGenerate({ ...app, repoDir: makeRepo({ 'a.yaml': tracked('team-a_web') }) });
    assert.ok(own.ok, own.error);
    assert.equal(own.env.ARGOCD_APP_NAME, 'team-a_web');
    const foreign = await runGenerate({ ...app, repoDir: makeRepo({ 'a.yaml': tracked('web') }) });
    assert.equal(foreign.exitCode, 1);
    assert.match(foreign.error!, /error\[foreign-tracking\].*of application "web", not of this app "team-a_web"/);
  });

  test('parameters of each type: string recurse, arrays include and exclude; same bytes as render', async () => {
    const repo = makeRepo({
      'app/a.yaml': manifest('ConfigMap', 'a'),
      'app/b.yml': manifest('ConfigMap', 'b'),
      'app/skip-me.yaml': manifest('ConfigMap', 'skipped'),
      'app/sub/c.yaml': manifest('ConfigMap', 'c'),
      'app/notes.json': '{"not": "a manifest"}',
    });
    const parameters = [
      { name: 'recurse', string: 'true' },
      { name: 'include', array: ['**/*.yaml', '*.yml'] },
      { name: 'exclude', array: ['skip-*.yaml'] },
    ];
    const r = await runGenerate({
      name: 'web',
      destinationNamespace: 'prod',
      path: 'app',
      repoDir: repo,
      plugin: { name: 'safe-render', parameters },
    });
    assert.ok(r.ok, r.error);
    assert.equal(
      r.env.ARGOCD_APP_PARAMETERS,
      '[{"name":"recurse","string":"true"},{"array":["**/*.yaml","*.yml"],"name":"include"},{"array":["skip-*.yaml"],"name":"exclude"}]',
    );
    assert.equal(r.env.PARAM_INCLUDE_1, '*.yml');
    assert.deepEqual(r.objects.map((o) => (o as { metadata: { name: string } }).metadata.name).sort(), ['a', 'b', 'c']);
    const cli = runCli(
      [
        'render',
        'app',
        '--app',
        'web',
        '-n',
        'prod',
        '--param',
        'recurse=true',
        '--param',
        'include[]=**/*.yaml',
        '--param',
        'include[]=*.yml',
        '--param',
        'exclude[]=skip-*.yaml',
      ],
      { cwd: repo },
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(cli.stdout, r.stdout);
  });

  test('a source path through a symlinked folder, or written unclean, renders as in Argo CD', async () => {
    const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
    symlinkSync('web', join(repo, 'apps/live'));
    for (const path of ['apps/web', 'apps/live', 'apps/../apps/web', './apps/web/']) {
      const r = await runGenerate({
        name: 'web',
        destinationNamespace: 'prod',
        path,
        repoDir: repo,
        plugin: { name: 'safe-render' },
      });
      assert.ok(r.ok, `${path}: ${r.error}`);
      assert.equal(r.env.ARGOCD_APP_SOURCE_PATH, path, 'the path reaches the plugin exactly as written');
      assert.deepEqual(r.objects, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }]);
    }
  });

  test('`generate --output yaml` reads back in Argo CD as the same objects as the JSON stream', async () => {
    // Strings that YAML 1.1 (go-yaml v2) would read as something else if written plain.
    const values = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      'n',
      'Y',
      'N',
      'true',
      'True',
      'TRUE',
      '~',
      'null',
      'Null',
      '',
      '0755',
      '0999',
      '08',
      '0x1F',
      '0b101',
      '1e3',
      '1E3',
      '1e+3',
      '.5',
      '-.5',
      '1.',
      '+1',
      '-0',
      '1_000',
      '1_0.5',
      '9223372036854775808',
      '1:20',
      '2024-01-01',
      '2024-01-01T10:00:00Z',
      '.inf',
      '.NaN',
      '<<',
      '=',
      ' lead',
      'trail ',
      'a: b',
      '- x',
      '#c',
      '@x',
      '`x',
      '!x',
      '%x',
      '*x',
      '&x',
      '|',
      '>',
      "'",
      '"',
      'multi\nline',
      'tab\there',
      'é',
    ];
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tricky', labels: { yes: 'on' } },
      data: Object.fromEntries(values.map((v, i) => [`k${i}`, v])),
    };
    const repo = makeRepo({ 'cm.json': JSON.stringify(cm) });
    const app = { name: 'a', destinationNamespace: 'prod', repoDir: repo };
    const json = await runGenerate(app);
    const yaml = await runGenerate({
      ...app,
      pluginConfig: pluginYaml(['safe-render', 'generate', '--output', 'yaml']),
    });
    assert.ok(json.ok, json.error);
    assert.ok(yaml.ok, yaml.error);
    assert.ok(!yaml.stdout.startsWith('{'), 'the YAML path of stage 1');
    assert.deepEqual(yaml.objects, json.objects);
    assert.deepEqual(json.objects, [cm]);
  });

  test('a map value for a string parameter is refused with a clear error, exit 2', async () => {
    const repo = makeRepo({ 'a.yaml': manifest('ConfigMap', 'a') });
    const r = await runGenerate({
      name: 'a',
      destinationNamespace: 'prod',
      repoDir: repo,
      plugin: { parameters: [{ name: 'recurse', map: { deep: 'true' } }] },
    });
    assert.equal(r.exitCode, 2);
    assert.equal(
      r.error,
      '`safe-render generate` failed exit status 2: safe-render: error: plugin parameter "recurse" must be a string, got map',
    );
    const cli = runCli(['render', '.', '-n', 'prod', '--param', 'recurse[deep]=true'], { cwd: repo });
    assert.equal(cli.code, 2);
    assert.equal(cli.stderr.trim(), 'safe-render: error: plugin parameter "recurse" must be a string, got map');
  });

  test('an app outside the control-plane namespace without targetRevision: parameters and generate see what Argo CD sends', async () => {
    const repo = makeRepo({ 'app/a.yaml': manifest('ConfigMap', 'a'), 'app/safe-render.yaml': 'recurse: true\n' });
    const app = {
      name: 'web',
      appNamespace: 'team-a',
      destinationNamespace: 'prod',
      path: 'app',
      repoDir: repo,
      plugin: { name: 'safe-render' },
    };
    const params = await runParameters(app);
    assert.ok(params.ok, params.error);
    assert.equal(params.env.ARGOCD_APP_NAME, 'web');
    assert.equal(params.env.ARGOCD_APP_SOURCE_TARGET_REVISION, '');
    assert.equal(Object.fromEntries(params.announcements.map((a) => [a.name, a])).recurse!.string, 'true');
    const gen = await runGenerate(app);
    assert.ok(gen.ok, gen.error);
    assert.equal(gen.env.ARGOCD_APP_NAME, 'team-a_web');
    assert.equal(gen.env.ARGOCD_APP_SOURCE_TARGET_REVISION, '');
    assert.equal(gen.objects.length, 1);
  });

  test('dynamic parameters reflect safe-render.yaml; static ++ dynamic announces no name twice', async () => {
    const repo = makeRepo({
      'app/a.yaml': manifest('ConfigMap', 'a'),
      'app/safe-render.yaml': 'include: ["*.yaml"]\nexclude: ["x-*.yaml"]\nrecurse: true\n',
    });
    const r = await runParameters({
      name: 'web',
      path: 'app',
      repoDir: repo,
      plugin: { name: 'safe-render', parameters: [{ name: 'recurse', string: 'false' }] },
    });
    assert.ok(r.ok, r.error);
    assert.equal(r.env.PARAM_RECURSE, 'false');
    assert.deepEqual(
      r.static.map((a) => a.name),
      ['helm-parameters', 'release-name', 'kustomize-images', 'name-prefix'],
    );
    const byName = Object.fromEntries(r.announcements.map((a) => [a.name, a]));
    assert.deepEqual(byName.include!.array, ['*.yaml']);
    assert.deepEqual(byName.exclude!.array, ['x-*.yaml']);
    assert.equal(byName.recurse!.string, 'true');
    assertStrictAnnouncements(r.announcements);
  });
});
