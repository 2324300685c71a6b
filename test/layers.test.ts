// Imports point one way (issue 10): every import between top-level folders of src/ goes to a lower layer
// of test/layers.ts. Runs on the sources, in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './helpers';
import { importEdges, LAYERS, violation } from './layers';

test('every import between folders of src/ points down the layer order', () => {
  const edges = importEdges(join(ROOT, 'src'));
  assert.ok(edges.length > 50, `found only ${edges.length} import edges; the scanner is broken`);
  const bad = edges.map(violation).filter((v) => v !== undefined);
  assert.deepEqual(bad, [], `layering violations:\n${bad.join('\n')}`);
});

test('the layer table names every folder of src/ exactly once, and util, model, context, config lie below the stages', () => {
  const all = LAYERS.flat();
  assert.equal(new Set(all).size, all.length);
  const edges = importEdges(join(ROOT, 'src'));
  for (const f of new Set(edges.flatMap((e) => [e.from, e.to])))
    assert.ok(all.includes(f), `${f} is not in the layer table`);
  const rank = (f: string) => LAYERS.findIndex((t) => t.includes(f));
  for (const low of ['util', 'model', 'context', 'config'])
    for (const stage of ['render', 'parse', 'checks', 'lock', 'emit'])
      assert.ok(rank(low) < rank(stage), `${low} below ${stage}`);
  // The data flow: context -> render -> parse -> check -> emit, commands at the edge.
  const flow = ['context', 'render', 'parse', 'checks', 'emit', 'commands'];
  assert.deepEqual(
    [...flow].sort((a, b) => rank(a) - rank(b)),
    flow,
  );
});

test('the scanner finds an upward import, a re-export, a side-effect and a dynamic import, and a folder it does not know', () => {
  const root = mkdtempSync(join(tmpdir(), 'sr-layers-'));
  try {
    const files: Record<string, string> = {
      'util/a.ts': "import type { X } from '../checks/x';\n",
      'model/b.ts': "export {\n  Y,\n} from '../render/y';\n",
      'parse/c.ts': "import '../emit/side-effect';\nconst z = await import('../commands/z');\n",
      'render/ok.ts':
        "import { u } from '../util/u';\nimport { v } from './engines/v';\n// a comment: see from '../checks/x' (not an import)\n",
      'render/engines/v.ts': "import { w } from '../../model/w';\n",
      'fresh/d.ts': "import { u } from '../util/u';\n",
      'cli.ts': "import { c } from './commands/c';\n",
      'commands/c.ts': "import { parseFlags } from '../cli/args';\n",
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    const edges = importEdges(root);
    const bad = edges.map(violation).filter((v) => v !== undefined);
    assert.equal(bad.length, 5, bad.join('\n'));
    for (const [file, to] of [
      ['util/a.ts', 'checks'],
      ['model/b.ts', 'render'],
      ['parse/c.ts', 'emit'],
      ['parse/c.ts', 'commands'],
    ]) {
      assert.ok(
        bad.some((v) => v.startsWith(`${file} imports`) && v.includes(`may not import ${to}`)),
        `${file} -> ${to}`,
      );
    }
    assert.ok(bad.some((v) => v.includes('"fresh" is not in the layer table')));
    // Downward and same-tier edges (cli.ts -> commands -> cli/args) pass.
    assert.ok(edges.some((e) => e.file === 'render/engines/v.ts' && e.to === 'model'));
    assert.ok(edges.some((e) => e.file === 'commands/c.ts' && e.to === 'cli'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
