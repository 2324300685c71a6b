#!/usr/bin/env node
// Bundles the CLI into one file that runs on Node 22+ (engines) with no node_modules, and bundles each
// *.test.ts into build/ so `node --test` can run them (they import only test helpers and node:*).
import { build } from 'esbuild';
import { readdirSync, statSync, readFileSync, rmSync, existsSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * @param {string} dir
 * @param {string[]} [out]
 * @returns {string[]}
 */
function findTests(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/safe-render.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: { SAFE_RENDER_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

// Executable, so the sidecar image (and the test harness) can put it on PATH as `safe-render`.
chmodSync(join(root, 'dist/safe-render.cjs'), 0o755);

rmSync(join(root, 'build'), { recursive: true, force: true });
const testDirs = ['src', 'test', 'test-corpus'];
// `node --test build/src/ build/test/` fails on a folder that does not exist, so each one exists even
// while it has no tests yet.
for (const d of testDirs) mkdirSync(join(root, 'build', d), { recursive: true });
const tests = testDirs.flatMap((d) => (existsSync(join(root, d)) ? findTests(join(root, d)) : []));
await build({
  entryPoints: tests,
  outdir: join(root, 'build'),
  outbase: root,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: 'inline',
  define: { SAFE_RENDER_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
console.log(`built dist/safe-render.cjs and ${tests.length} test files `);
