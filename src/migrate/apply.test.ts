// applyMigration's promise: on any error before the old files go, the tree is as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigration } from './apply';
import type { MigratePlan } from './plan';

const A = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
const B = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';

test('applyMigration: a new file that cannot be written undoes everything, the old file stays', () => {
  const root = mkdtempSync(join(tmpdir(), 'migrate-apply-'));
  try {
    writeFileSync(join(root, 'bundle.yaml'), `${A}---\n${B}`);
    const plan: MigratePlan = {
      splits: [
        {
          path: 'bundle.yaml',
          text: `${A}---\n${B}`,
          // The second new file's folder does not exist: its write fails after the first succeeded.
          into: [
            { path: 'configmap-a.yaml', text: A, what: 'ConfigMap a' },
            { path: 'missing/configmap-b.yaml', text: B, what: 'ConfigMap b' },
          ],
        },
      ],
      edits: [],
      leftAlone: [],
      single: 0,
      notes: [],
    };
    assert.throws(() => applyMigration(root, plan), /cannot write the new files \(ENOENT\); nothing was changed/);
    assert.deepEqual(readdirSync(root), ['bundle.yaml']);
    assert.equal(readFileSync(join(root, 'bundle.yaml'), 'utf8'), `${A}---\n${B}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('applyMigration: a file changed since the plan stops the run before anything is written', () => {
  const root = mkdtempSync(join(tmpdir(), 'migrate-apply-'));
  try {
    writeFileSync(join(root, 'bundle.yaml'), `${A}---\n${B}# edited meanwhile\n`);
    const plan: MigratePlan = {
      splits: [{ path: 'bundle.yaml', text: `${A}---\n${B}`, into: [{ path: 'configmap-a.yaml', text: A, what: '' }] }],
      edits: [],
      leftAlone: [],
      single: 0,
      notes: [],
    };
    assert.throws(() => applyMigration(root, plan), /bundle\.yaml changed while migrating; nothing was changed/);
    assert.deepEqual(readdirSync(root), ['bundle.yaml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('applyMigration: a name taken after the plan is never overwritten', () => {
  const root = mkdtempSync(join(tmpdir(), 'migrate-apply-'));
  try {
    writeFileSync(join(root, 'bundle.yaml'), `${A}---\n${B}`);
    writeFileSync(join(root, 'configmap-b.yaml'), 'mine\n');
    const plan: MigratePlan = {
      splits: [
        {
          path: 'bundle.yaml',
          text: `${A}---\n${B}`,
          into: [
            { path: 'configmap-a.yaml', text: A, what: '' },
            { path: 'configmap-b.yaml', text: B, what: '' },
          ],
        },
      ],
      edits: [],
      leftAlone: [],
      single: 0,
      notes: [],
    };
    assert.throws(() => applyMigration(root, plan), /configmap-b\.yaml appeared while migrating; nothing was changed/);
    assert.deepEqual(readdirSync(root).sort(), ['bundle.yaml', 'configmap-b.yaml']);
    assert.equal(readFileSync(join(root, 'configmap-b.yaml'), 'utf8'), 'mine\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
