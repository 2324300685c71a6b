// cli.ts owns the process (issue 10): SIGTERM while a tool runs aborts the library's run through its
// AbortSignal; the tool's whole process group is killed, stdout stays empty, exit 2, one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, makeRepo } from './helpers';

test("SIGTERM while kustomize runs: exit 2, empty stdout, one render-failed line, the tool's group is gone", async () => {
  const repo = makeRepo({ 'web/kustomization.yaml': 'resources: []\n' });
  const bin = mkdtempSync(join(tmpdir(), 'safe-render-fake-tool-'));
  const pidFile = join(bin, 'pgid');
  writeFileSync(
    join(bin, 'kustomize'),
    `#!/bin/sh\nsleep 300 &\necho $$ > ${pidFile}.tmp\nmv ${pidFile}.tmp ${pidFile}\nsleep 300\n`,
  );
  chmodSync(join(bin, 'kustomize'), 0o755);
  const child = spawn(process.execPath, [BUNDLE, 'render', 'web'], {
    cwd: repo,
    env: { PATH: `${bin}:/usr/bin:/bin`, SAFE_RENDER_FREEZE_DIR: join(repo, 'none') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const end = Date.now() + 20_000;
  while (!existsSync(pidFile) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const pgid = Number(readFileSync(pidFile, 'utf8').trim());
  child.kill('SIGTERM');
  assert.equal(await closed, 2);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    'error[render-failed]: safe-render received SIGTERM while kustomize was running; both were stopped. (runbook: docs/rules/render-failed.md)\n',
  );
  let alive = true;
  for (let i = 0; i < 250 && alive; i++) {
    try {
      process.kill(-pgid, 0);
      await new Promise((r) => setTimeout(r, 20));
    } catch (e) {
      assert.equal((e as NodeJS.ErrnoException).code, 'ESRCH');
      alive = false;
    }
  }
  assert.equal(alive, false, `process group ${pgid} is gone`);
});
