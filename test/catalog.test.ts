// The rule catalog (src/model/rule-catalog.ts) is the one list of rule ids: every id a finding or a
// `--accept` token can carry is in it, and it holds no id nothing emits. Finding.rule is typed as a
// catalog id, so most mistakes do not compile; this test also catches ids written inside strings
// (a hand-written `error[...]` line, an `--accept ...:` in a fix text) and object rules not registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers';
import { CATALOG, RULE_IDS, catalogEntry, isRuleId, type RuleId } from '../src/model/rule-catalog';
import { OBJECT_RULES } from '../src/checks/rules/index';
import { id as invalidObjectId } from '../src/checks/rules/invalid-object';
import { WITNESS_RULE } from '../src/lock/witness';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Where src/ names a rule id: a finding's `rule:`, a rule's `id`, a formatted line, a token. */
const MENTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\brule: '([a-z-]+)'/g, 'rule:'],
  [/\bid(?::| =) '([a-z-]+)'/g, 'id'],
  [/\b(?:error|warning)\[([a-z-]+)\]/g, 'formatted line'],
  [/--accept ([a-z-]+):/g, '--accept token'],
  [/\b(?:acceptToken|need|lockChangeFindings)\('([a-z-]+)'/g, 'call'],
  [/\bWITNESS_RULE = '([a-z-]+)'/g, 'WITNESS_RULE'],
];

function mentions(): Array<{ id: string; how: string; where: string }> {
  const out: Array<{ id: string; how: string; where: string }> = [];
  for (const file of sources(join(ROOT, 'src'))) {
    const where = relative(ROOT, file);
    if (where === join('src', 'report', 'catalog.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const [re, how] of MENTIONS) for (const m of text.matchAll(re)) out.push({ id: m[1]!, how, where });
  }
  return out;
}

test('every rule id named in src/ is in the catalog, and every --accept token names an acceptable rule', () => {
  const found = mentions();
  assert.ok(found.length > 40, 'the scan found almost nothing: did src/ move?');
  for (const m of found) {
    assert.ok(isRuleId(m.id), `${m.where}: ${m.how} names rule "${m.id}", which src/model/rule-catalog.ts lacks`);
    if (m.how === '--accept token')
      assert.ok(
        catalogEntry(m.id as RuleId).accept,
        `${m.where}: --accept ${m.id}: names a rule that cannot be accepted`,
      );
  }
});

test('every catalog id is emitted somewhere in src/ (no entry outlives its rule)', () => {
  const emitted = new Set(mentions().map((m) => m.id));
  for (const id of RULE_IDS) assert.ok(emitted.has(id), `${id} is in the catalog but nothing in src/ emits it`);
});

test('the object rules registered in src/checks/rules/index.ts are exactly the catalog ids of origin "check"', () => {
  const registered = OBJECT_RULES.map((r) => r.id);
  assert.equal(new Set(registered).size, registered.length, 'an object rule is registered twice');
  assert.deepEqual([...registered].sort(), RULE_IDS.filter((id) => CATALOG[id].origin === 'check').sort());
  assert.equal(CATALOG[invalidObjectId].origin, 'documents');
  assert.equal(CATALOG[WITNESS_RULE].origin, 'lock');
});

test('catalog entries are one-line texts', () => {
  for (const id of RULE_IDS) {
    const e = CATALOG[id];
    for (const [k, v] of [
      ['title', e.title],
      ['description', e.description],
    ] as const) {
      assert.ok(
        v.length > 0 && !/[\n|]/.test(v),
        `${id}: ${k} must be one line without "|" (it sits in a Markdown table)`,
      );
    }
    assert.ok(!('accept' in e) || e.index === 'lock-rules', `${id}: an acceptable rule belongs to the lock rules`);
  }
});
