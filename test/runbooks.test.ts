// Every finding links a runbook page; the page must exist and show the refusal it explains, and the
// index (docs/rules/README.md) must list it. What a page must say comes from the rule catalog
// (src/model/rule-catalog.ts), the one list of rule ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';
import { CATALOG, RULE_IDS, isRuleId, runbookPath, type CatalogEntry } from '../src/model/rule-catalog';

const entry = (id: string): CatalogEntry | undefined => (isRuleId(id) ? CATALOG[id] : undefined);

/** What the REF of a real (not placeholder) `--accept RULE:REF` looks like: an app name, or a
 * `group/Kind/namespace/name` reference (no namespace for a cluster-scoped object). */
const REF_SHAPE = { app: /^[a-z0-9._-]+$/, object: /^[^/\s]+\/[^/\s]+\/([^/\s]+\/)?[^/\s]+$/ } as const;

test('each catalog rule has a runbook page with its title line and an example refusal', () => {
  for (const id of RULE_IDS) {
    const file = join(ROOT, runbookPath(id));
    assert.ok(existsSync(file), `${runbookPath(id)} is missing`);
    const page = readFileSync(file, 'utf8');
    assert.match(page, new RegExp(`^# ${id}\\b`), `${id}: title`);
    const example = page.split('\n').find((l) => l.startsWith(`error[${id}]`) || l.startsWith(`warning[${id}]`));
    assert.ok(example, `${id}: no example stderr line`);
    assert.ok(example.endsWith(`(runbook: ${runbookPath(id)})`), `${id}: the example must be a whole stderr line`);
  }
});

test('each runbook page belongs to a catalog rule', () => {
  const pages = readdirSync(join(ROOT, 'docs/rules')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  for (const p of pages) assert.ok(entry(p.slice(0, -3)), `docs/rules/${p} has no entry in src/model/rule-catalog.ts`);
  assert.equal(pages.length, RULE_IDS.length);
});

test('each lock rule page has exact commands and only valid --accept tokens', () => {
  for (const id of RULE_IDS.filter((r) => CATALOG[r].index === 'lock-rules')) {
    const page = readFileSync(join(ROOT, runbookPath(id)), 'utf8');
    assert.match(page, /safe-render lock /, `${id}: no safe-render lock command`);
  }
  for (const id of RULE_IDS) {
    const page = readFileSync(join(ROOT, runbookPath(id)), 'utf8');
    for (const [, rule, ref] of page.matchAll(/--accept ([a-z-]+):([^\s`]+)/g)) {
      const accept = entry(rule!)?.accept;
      assert.ok(accept, `${id}: --accept ${rule}:${ref} names no acceptable rule`);
      if (ref === 'REF' || ref === 'APP') {
        assert.equal(
          ref,
          accept === 'app' ? 'APP' : 'REF',
          `${id}: --accept ${rule}:${ref} uses the wrong placeholder`,
        );
        continue; // a placeholder in prose
      }
      assert.match(ref!, REF_SHAPE[accept], `${id}: bad reference ${ref}`);
    }
  }
});

test('the index in docs/rules/README.md lists each rule with its title, in its table, with its --accept token', () => {
  const readme = readFileSync(join(ROOT, 'docs/rules/README.md'), 'utf8');
  const lockTable = readme.indexOf("Rules measured against the app's lock");
  assert.ok(lockTable > 0, 'the index has no table of lock rules');
  for (const id of RULE_IDS) {
    const e = CATALOG[id] as CatalogEntry;
    const at = readme.indexOf(`| [${id}](${id}.md) |`);
    assert.ok(at > 0, `docs/rules/README.md does not list ${id}`);
    const row = readme.slice(at, readme.indexOf('\n', at));
    assert.ok(row.includes(`| ${e.title} |`), `${id}: the index row does not give its title "${e.title}"`);
    assert.equal(at > lockTable, e.index === 'lock-rules', `${id}: listed in the wrong table`);
    if (e.accept)
      assert.ok(
        row.includes(`--accept ${id}:${e.accept === 'app' ? 'APP' : 'REF'}`),
        `${id}: the index does not show its --accept token`,
      );
  }
  // Every row of the index names a catalog rule.
  for (const [, id] of readme.matchAll(/^\| \[([a-z-]+)\]\(\1\.md\) \|/gm))
    assert.ok(entry(id!), `docs/rules/README.md lists ${id}, which the catalog lacks`);
});
