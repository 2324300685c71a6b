// The parameter variables and JSON safe-render derives (argocd-env.ts) must be Argo CD's, byte for
// byte: checked against literal Argo CD values and against the test harness's independent Go
// emulation (test/harness/argo-env.ts) on names and values where Go and JavaScript differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paramEnv, paramEnvName, parametersJson } from './argocd-env';
import type { PluginParameter } from './app-context';
import {
  dedupEnv,
  escapeParamName,
  parametersEnviron,
  parametersJson as argoParametersJson,
} from '../../test/harness/argo-env';

const TRICKY: PluginParameter[] = [
  { name: 'values-files', array: ['values.yaml', 'values-prod.yaml'] },
  {
    name: 'helm-parameters',
    map: { 'image.tag': 'v1.2.3', replicas: '3', '\u{1F600}': 'astral', '\uff21': 'fullwidth A' },
  },
  { name: 'straße', string: 'ß stays' },
  { name: 'ıſ', string: 'dotless i, long s' },
  { name: 'x\u{1F600}y', string: '<script>&</script>\u2028' },
  { name: 'mixed', string: 's', map: { 0: 'from-map' }, array: ['from-array'] },
  { name: 'a-b', string: 'first' },
  { name: 'a.b', string: 'second' },
  { name: 'empty', array: [], map: {}, string: '' },
];

test('PARAM_ names follow Go: ß is not SS, one _ per code point', () => {
  assert.equal(paramEnvName('values-files'), 'PARAM_VALUES_FILES');
  assert.equal(paramEnvName('straße'), 'PARAM_STRA_E');
  assert.equal(paramEnvName('ıſ'), 'PARAM_IS');
  assert.equal(paramEnvName('x\u{1F600}y'), 'PARAM_X_Y');
  for (const p of TRICKY) assert.equal(paramEnvName(p.name), `PARAM_${escapeParamName(p.name)}`);
});

test('PARAM_ variables: string, map, then array, the later one winning a collision', () => {
  const env = paramEnv(TRICKY);
  assert.equal(env.PARAM_MIXED_0, 'from-array');
  assert.equal(env.PARAM_A_B, 'second');
  const argo = Object.fromEntries(dedupEnv(parametersEnviron(TRICKY).slice(1)));
  assert.deepEqual(env, argo);
});

test('ARGOCD_APP_PARAMETERS is the bytes encoding/json writes', () => {
  assert.equal(
    parametersJson([{ name: 'm', map: { b: '1', a: '<&>' } }]),
    '[{"map":{"a":"\\u003c\\u0026\\u003e","b":"1"},"name":"m"}]',
  );
  // U+1F600 sorts after U+FF21 in Go (code points), before it in JavaScript (UTF-16 units).
  assert.match(
    parametersJson(TRICKY),
    /"map":\{"image.tag":"v1.2.3","replicas":"3","\uff21":"fullwidth A","\u{1F600}":"astral"\}/u,
  );
  assert.equal(parametersJson(TRICKY), argoParametersJson(TRICKY));
  assert.equal(parametersJson([]), 'null');
});
