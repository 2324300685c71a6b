// In-process tables for `helm template`'s argv as Argo CD builds it (issue 8 §1): the release name and
// where it comes from, --set values with their commas escaped, the order of flags, and every value from
// the repository or the parameters passed as `--flag=value` or after `--`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RenderFailure } from '../../util/errors';
import type { AppContext } from '../../context/app-context';
import type { HelmConfig } from '../../config/app-config';
import { helmArgs, releaseName, setValue } from './helm';

const app = (over: Partial<AppContext> = {}): AppContext => ({
  appName: 'web',
  namespace: 'prod',
  project: 'default',
  repoURL: 'https://example.com/r.git',
  sourcePath: 'apps/web',
  revision: 'abc',
  targetRevision: 'HEAD',
  kubeVersion: '',
  apiVersions: [],
  env: {},
  parameters: [],
  appDir: '/repo/apps/web',
  repoRoot: '/repo',
  ...over,
});

test('releaseName: the config wins; else the app name without its "<namespace>_" prefix', () => {
  const rows: Array<[string, HelmConfig, string, RegExp]> = [
    ['web', {}, 'web', /application name/],
    ['argocd-apps_web', {}, 'web', /application name/],
    ['a_b_c', {}, 'c', /application name/],
    ['_web', {}, 'web', /application name/],
    ['web_', {}, '', /application name/],
    ['web', { releaseName: 'rel' }, 'rel', /release-name parameter/],
    ['ns_web', { releaseName: 'rel' }, 'rel', /release-name parameter/],
    // An empty release name set on purpose is still the config's (and checkReleaseName refuses it).
    ['web', { releaseName: '' }, '', /release-name parameter/],
  ];
  for (const [appName, config, name, from] of rows) {
    const r = releaseName(app({ appName }), config);
    assert.equal(r.name, name, `${appName} ${JSON.stringify(config)}`);
    assert.match(r.from, from);
  }
});

test('setValue: commas escaped as Argo CD does, except in {a,b} lists or where already escaped', () => {
  const rows: Array<[string, string]> = [
    ['', ''],
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    ['a,b,c', 'a\\,b\\,c'],
    [',', '\\,'],
    [',,', '\\,\\,'],
    ['a\\,b', 'a\\,b'],
    ['a\\,b,c', 'a\\,b\\,c'],
    ['{a,b}', '{a,b}'],
    ['{}', '{}'],
    ['{a,b', '{a\\,b'],
    ['a,b}', 'a\\,b}'],
    ['x={a,b}', 'x={a\\,b}'],
    ['a=b', 'a=b'],
    ['line\nbreak,x', 'line\nbreak\\,x'],
    ['\\', '\\'],
    ['\\\\,', '\\\\,'], // the comma follows a backslash: left as is
  ];
  for (const [v, want] of rows) assert.equal(setValue(v), want, JSON.stringify(v));
});

test('setValue: outside a {list}, no comma is left that is not preceded by a backslash (property, fixed seed)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (v) => {
      const out = setValue(v);
      if (v.startsWith('{') && v.endsWith('}')) return out === v;
      return (
        [...out].every((c, i) => c !== ',' || out[i - 1] === '\\') &&
        out.replace(/\\,/g, ',') === v.replace(/\\,/g, ',')
      );
    }),
    { seed: 10_001, numRuns: 1000 },
  );
});

test('helmArgs: flags in a fixed order, every value attached with "=", release and chart after "--"', () => {
  const rows: Array<[Partial<AppContext>, HelmConfig, string[], string[]]> = [
    [{}, {}, [], ['template', '--include-crds', '--namespace=prod', '--', 'web', '.']],
    [{ namespace: '' }, {}, [], ['template', '--include-crds', '--', 'web', '.']],
    [
      { kubeVersion: '1.29.3' },
      {},
      [],
      ['template', '--include-crds', '--namespace=prod', '--kube-version=1.29.3', '--', 'web', '.'],
    ],
    [
      { apiVersions: ['v1', 'apps/v1/Deployment'] },
      {},
      [],
      [
        'template',
        '--include-crds',
        '--namespace=prod',
        '--api-versions=v1',
        '--api-versions=apps/v1/Deployment',
        '--',
        'web',
        '.',
      ],
    ],
    [
      {},
      {},
      ['/repo/apps/web/values.yaml', '/repo/apps/web/prod.yaml'],
      [
        'template',
        '--include-crds',
        '--namespace=prod',
        '--values=/repo/apps/web/values.yaml',
        '--values=/repo/apps/web/prod.yaml',
        '--',
        'web',
        '.',
      ],
    ],
    // Parameters are sorted by name, and their values escaped.
    [
      {},
      { parameters: { 'z.b': '1', 'a.b': 'x,y' } },
      [],
      ['template', '--include-crds', '--namespace=prod', '--set=a.b=x\\,y', '--set=z.b=1', '--', 'web', '.'],
    ],
    [
      {},
      { parameters: { list: '{a,b}' } },
      [],
      ['template', '--include-crds', '--namespace=prod', '--set=list={a,b}', '--', 'web', '.'],
    ],
    // A value that looks like a flag stays inside its own --set argument.
    [
      {},
      { parameters: { k: '--post-renderer=/bin/sh' } },
      [],
      ['template', '--include-crds', '--namespace=prod', '--set=k=--post-renderer=/bin/sh', '--', 'web', '.'],
    ],
    [{ appName: 'team_web' }, {}, [], ['template', '--include-crds', '--namespace=prod', '--', 'web', '.']],
    [{}, { releaseName: 'my-rel.v2' }, [], ['template', '--include-crds', '--namespace=prod', '--', 'my-rel.v2', '.']],
  ];
  for (const [over, config, values, want] of rows)
    assert.deepEqual(helmArgs(app(over), config, values), want, JSON.stringify([over, config, values]));
});

test('helmArgs: a value helm would read as a flag or split is refused with one line naming the app folder', () => {
  const rows: Array<[Partial<AppContext>, HelmConfig, string[], RegExp]> = [
    [{}, { releaseName: '--post-renderer=/bin/sh' }, [], /release name.*is not a valid helm release name/],
    [{}, { releaseName: '' }, [], /is not a valid helm release name/],
    [{}, { releaseName: 'Web' }, [], /is not a valid helm release name/],
    [{ appName: 'ns_-x' }, {}, [], /application name/],
    [{ appName: 'a'.repeat(54) }, {}, [], /at most 53/],
    [{ namespace: '-n' }, {}, [], /destination namespace.*is not a valid namespace/],
    [{ namespace: 'Prod' }, {}, [], /is not a valid namespace/],
    [{ kubeVersion: '--kubeconfig=/x' }, {}, [], /is not a Kubernetes version/],
    [{ apiVersions: ['v1,evil/v1'] }, {}, [], /is not an API version/],
    [{}, {}, ['/repo/a,/etc/passwd'], /contains ","/],
    [{}, {}, ['/repo/a\n'], /control characters/],
    [{}, { parameters: { 'a,b': '1' } }, [], /helm parameter name.*is not a helm value path/],
    [{}, { parameters: { '-a': '1' } }, [], /is not a helm value path/],
    [{}, { parameters: { 'a=b': '1' } }, [], /is not a helm value path/],
    [{}, { parameters: { a: 'x\0y' } }, [], /helm parameter "a" value.*NUL/],
  ];
  for (const [over, config, values, message] of rows) {
    assert.throws(
      () => helmArgs(app(over), config, values),
      (e: unknown) => {
        assert.ok(e instanceof RenderFailure, String(e));
        assert.match(e.message, message);
        assert.ok(!e.message.includes('\n'), 'one line');
        assert.equal(e.where, 'apps/web');
        return true;
      },
      JSON.stringify([over, config, values]),
    );
  }
});

test('helmArgs: the app at the repository root is named "."', () => {
  assert.throws(
    () => helmArgs(app({ appDir: '/repo' }), { releaseName: 'X' }, []),
    (e: unknown) => e instanceof RenderFailure && e.where === '.',
  );
});
