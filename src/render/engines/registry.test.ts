// The engine registry, detection and the config schema's `engine:` enum read one list (issue 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, ENGINE_NAMES, parseAppConfig } from '../../config/app-config';
import { selectEngine } from './detect';
import { ENGINES, FALLBACK_ENGINE, engineNamed } from './registry';

test('the registry has one engine per name of the config schema, under its own name', () => {
  assert.deepEqual(Object.keys(ENGINES), [...ENGINE_NAMES]);
  for (const name of ENGINE_NAMES) {
    assert.equal(engineNamed(name).name, name);
    assert.equal(typeof engineNamed(name).render, 'function');
  }
  // The fallback needs no detector; every other engine must be detectable or it is reachable only by name.
  assert.equal(ENGINES[FALLBACK_ENGINE].detect, undefined);
  for (const name of ENGINE_NAMES)
    if (name !== FALLBACK_ENGINE) assert.equal(typeof engineNamed(name).detect, 'function', name);
});

test('safe-render.yaml accepts exactly the registered engine names', () => {
  for (const name of ENGINE_NAMES)
    assert.equal(parseAppConfig({ file: 'safe-render.yaml', text: `engine: ${name}\n` }).engine, name);
  for (const bad of ['jsonnet', 'Helm', 'plain ', '']) {
    assert.throws(
      () => parseAppConfig({ file: 'safe-render.yaml', text: `engine: ${JSON.stringify(bad)}\n` }),
      (e: Error) => e.message.includes(`engine must be one of ${ENGINE_NAMES.join(', ')}`),
      bad,
    );
  }
});

function folder(files: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sr-detect-'));
  for (const f of files) writeFileSync(join(dir, f), 'x: 1\n');
  return dir;
}

test('detection: each engine by its files, the fallback for none, the config over the files', () => {
  const cases: Array<[readonly string[], string]> = [
    [[], 'plain'],
    [['a.yaml', 'values.yaml'], 'plain'],
    [['kustomization.yaml'], 'kustomize'],
    [['kustomization.yml'], 'kustomize'],
    [['Kustomization'], 'kustomize'],
    [['Chart.yaml', 'values.yaml'], 'helm'],
  ];
  for (const [files, engine] of cases) {
    const dir = folder(files);
    try {
      assert.equal(selectEngine(dir, DEFAULT_CONFIG), engine, files.join(','));
      for (const name of ENGINE_NAMES) assert.equal(selectEngine(dir, { ...DEFAULT_CONFIG, engine: name }), name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('detection: files of two engines are refused, naming both files and both engines', () => {
  for (const k of ['kustomization.yaml', 'Kustomization']) {
    const dir = folder([k, 'Chart.yaml']);
    try {
      assert.throws(() => selectEngine(dir, DEFAULT_CONFIG), {
        message: `the app folder has both ${k} and Chart.yaml; set \`engine: kustomize\` or \`engine: helm\` in safe-render.yaml`,
      });
      assert.equal(selectEngine(dir, { ...DEFAULT_CONFIG, engine: 'helm' }), 'helm');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
