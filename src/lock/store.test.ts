// The lock folder's .gitattributes (issue 14): the index merges by union; a person's lines are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributesWithIndexMerge, INDEX_MERGE_LINE, parseIndex, serializeIndex } from './store';

test('attributesWithIndexMerge: created with a comment, appended to other lines, never changed once the index has an attribute', () => {
  const fresh = attributesWithIndexMerge(undefined)!;
  assert.match(fresh, /^# Written by `safe-render lock`/);
  assert.ok(fresh.endsWith(`\n${INDEX_MERGE_LINE}\n`));
  assert.equal(attributesWithIndexMerge(''), fresh);
  assert.equal(attributesWithIndexMerge(fresh), undefined, 'idempotent');
  assert.equal(attributesWithIndexMerge('locks/* -diff'), `locks/* -diff\n${INDEX_MERGE_LINE}\n`);
  assert.equal(attributesWithIndexMerge('locks/* -diff\n'), `locks/* -diff\n${INDEX_MERGE_LINE}\n`);
  for (const own of ['index -merge\n', '  /index merge=binary\n', '# a note\nindex merge=union\n'])
    assert.equal(attributesWithIndexMerge(own), undefined, own);
  // A comment that names the index is no attribute.
  assert.equal(attributesWithIndexMerge('# index merge=union\n'), `# index merge=union\n${INDEX_MERGE_LINE}\n`);
});

test('an index merged by union (unsorted, lines from both sides) reads as the set of its apps and is written sorted', () => {
  const merged = `${serializeIndex(['web'])}shop\ncart\nweb\n`;
  assert.deepEqual(new Set(parseIndex(merged)), new Set(['web', 'shop', 'cart']));
  assert.equal(serializeIndex(parseIndex(merged)), serializeIndex(['cart', 'shop', 'web']));
});
