import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isToolOutput, preferredPlace } from './app-place';

test('preferredPlace: a repository file wins over a tool output, whatever the order; else the first (file, line)', () => {
  const file = { file: 'apps/core/cert-manager.yaml', line: 1 };
  const output = { file: 'apps (kustomize output)', line: 40 };
  assert.deepEqual(preferredPlace(file, output), file);
  assert.deepEqual(preferredPlace(output, file), file);
  assert.deepEqual(preferredPlace({ file: 'b.yaml', line: 1 }, { file: 'a.yaml', line: 9 }), {
    file: 'a.yaml',
    line: 9,
  });
  assert.deepEqual(preferredPlace({ file: 'a.yaml', line: 9 }, { file: 'a.yaml', line: 2 }), {
    file: 'a.yaml',
    line: 2,
  });
  assert.deepEqual(preferredPlace(output, { file: 'charts (helm output)', line: 1 }), output);
});

test('isToolOutput: the names render/engines/engine.ts gives a tool output, not a file that looks alike', () => {
  assert.equal(isToolOutput({ file: '. (helm output)', line: 1 }), true);
  assert.equal(isToolOutput({ file: 'apps/x (kustomize output)', line: 1 }), true);
  assert.equal(isToolOutput({ file: 'apps/output.yaml', line: 1 }), false);
});
