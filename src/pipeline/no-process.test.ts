// Issue 10: cli.ts owns the process. Nothing below it reads process.env or process.cwd(), exits,
// writes to the process's streams or listens to process events (signals among them); those come in
// as arguments (Env, cwd, AbortSignal) so many apps can run in one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
})();

const PROCESS_USE =
  /\bprocess\.(env|cwd|exit|exitCode|chdir|argv|stdout|stderr|on|once|off|addListener|removeListener|emitWarning)\b/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

test('below cli.ts no source file touches the process (env, cwd, exit, streams, signal listeners)', () => {
  const src = join(ROOT, 'src');
  const uses: string[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file);
    if (rel === 'cli.ts') continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
        if (PROCESS_USE.test(code.replace(/\/\/.*$/, ''))) uses.push(`src/${rel}:${i + 1}: ${code}`);
      });
  }
  assert.deepEqual(uses, []);
});
