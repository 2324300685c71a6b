// The fast YAML reader (src/parse/fast-read.ts, issue 13 Speed) against the `yaml` package path on every
// YAML file of the corpus: wherever it reads a file, parseManifests gives exactly the reference's
// objects and lines; it never reads a file the reference refuses; and it reads most files (a reader
// that declined everything would pass the first two and be useless).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fastRead } from '../src/parse/fast-read';
import { MAX_PIECES_PER_DOCUMENT, parseManifests } from '../src/parse/parse-manifests';
import { CORPUS } from './corpus';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git') out.push(...yamlFiles(p));
    } else if (/\.ya?ml$/.test(e.name) && statSync(p).isFile()) out.push(p);
  }
  return out.sort();
}

test('corpus: the fast reader reads as the yaml package reads, or declines; and it reads most files', () => {
  let files = 0;
  let read = 0;
  for (const path of yamlFiles(CORPUS)) {
    const text = readFileSync(path, 'utf8');
    const name = relative(CORPUS, path);
    files++;
    let reference: ReturnType<typeof parseManifests> | undefined;
    try {
      reference = parseManifests([{ path: name, text }], { fast: false });
    } catch {
      reference = undefined;
    }
    if (fastRead(text, MAX_PIECES_PER_DOCUMENT, true) === undefined) continue;
    read++;
    assert.ok(reference, `${name}: read by the fast reader, refused by the reference`);
    assert.deepEqual(parseManifests([{ path: name, text }]), reference, name);
  }
  console.log(`fast reader: ${read} of ${files} corpus YAML files read without the yaml package`);
  assert.ok(files > 1000, `only ${files} YAML files found under ${CORPUS}`);
  assert.ok(read > files * 0.8, `fast reader read ${read} of ${files}`);
});
