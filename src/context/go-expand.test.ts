import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envsubst } from './go-expand';

const vars: Array<[string, string]> = [
  ['ARGOCD_APP_NAME', 'web'],
  ['ARGOCD_APP_REVISION', 'abc'],
];

test('envsubst: $VAR and ${VAR} from the build vars only, unknown names empty, $$ is $', () => {
  assert.equal(envsubst('$ARGOCD_APP_NAME-${ARGOCD_APP_REVISION}', vars), 'web-abc');
  assert.equal(envsubst('$HOME/x', vars), '/x');
  assert.equal(envsubst('cost: $$5', vars), 'cost: $5');
  assert.equal(envsubst('plain', vars), 'plain');
  assert.equal(envsubst('end$', vars), 'end$');
  assert.equal(envsubst('a${}b', vars), 'ab');
  assert.equal(envsubst('a${b', vars), 'ab');
  assert.equal(envsubst('$-x', vars), 'x');
});
