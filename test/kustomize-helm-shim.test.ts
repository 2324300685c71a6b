// kubectl 1.35's kustomize 5.7.1 probes `helm version -c --short` and accepts only v3; helm 4 removed
// `-c` (kustomize#6013). The shim safe-render passes as --helm-command answers that probe from the real
// helm and runs the real helm, unchanged, for everything else (src/render/engines/kustomize-helm-shim.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIM_HELM_ENV, writeKustomizeHelmShim } from '../src/render/engines/kustomize-helm-shim';
import { makeRepo, runTool, toolPath } from './helpers';

function shim(args: string[]) {
  const file = writeKustomizeHelmShim(mkdtempSync(join(tmpdir(), 'safe-render-shim-')));
  return spawnSync(file, args, { env: { PATH: '/usr/bin:/bin', [SHIM_HELM_ENV]: toolPath('helm') }, encoding: 'utf8' });
}

test('the real helm 4 refuses the probe kustomize 5.7 sends; the shim answers it with a v3-compatible line', () => {
  const real = runTool('helm', ['version', '-c', '--short']);
  assert.notEqual(real.code, 0);
  assert.match(real.stderr, /unknown shorthand flag: 'c' in -c/);
  const short = runTool('helm', ['version', '--short']).stdout.trim();
  const r = shim(['version', '-c', '--short']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `v3.999.0 (helm ${short}: kustomize 5.7 accepts only v3; 5.8 accepts v4)\n`);
  // kustomize 5.7's check: the first `v?N(.N)+` must have major 3.
  assert.equal(/v?\d+(\.\d+)+/.exec(r.stdout)?.[0], 'v3.999.0');
});

test('the shim runs the real helm for everything else, arguments and output unchanged', () => {
  const chart = makeRepo({
    'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.x }}\n',
  });
  for (const args of [
    ['version', '--short'],
    ['version', '--template', '{{.Version}}'],
    ['template', 'rel', chart, '--set', 'x=a b,c', '--namespace', 'ns'],
    ['no-such-command'],
  ]) {
    const r = shim(args);
    const real = runTool('helm', args);
    assert.equal(r.status, real.code, args.join(' '));
    assert.equal(r.stdout, real.stdout, args.join(' '));
    assert.equal(r.stderr, real.stderr, args.join(' '));
  }
});
