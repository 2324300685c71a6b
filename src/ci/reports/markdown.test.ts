// The Markdown report: the verdict first, refusals before the rest, inert hostile strings, and a hard
// cap under GitHub's 65,536 characters per comment with a note of what was cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CiReport } from '../report-model';
import { writeReport } from './index';
import { byteLength, MARKDOWN_MAX_BYTES, md } from './markdown';
import { emptyReport, HOSTILE, reportArb, richReport } from './test-fixture';

/** The cells of a table row as GFM splits them: at each `|` not escaped by a backslash. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\') {
      cur += row.slice(i, i + 2);
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.slice(1, -1).map((s) => s.trim());
}

test('markdown: headline verdict, totals, table with refused first, findings with fix', () => {
  const out = writeReport('markdown', richReport());
  const lines = out.split('\n');
  assert.equal(lines[0], '## ❌ safe-render ci: failed');
  assert.equal(
    lines[2],
    '7 apps: 2 passed, 2 refused, 1 failed, 2 skipped; 1 generator not evaluated; 2 repository findings (shard 2/3); 5 errors, 3 warnings.',
  );
  const rows = lines.filter((l) => l.startsWith('| '));
  assert.deepEqual(cells(rows[0] ?? ''), ['App', 'Engine', 'Objects', 'Verdict', 'Findings']);
  const verdicts = rows.slice(2).map((r) => cells(r)[3]);
  assert.deepEqual(verdicts, ['❌ refused', '❌ refused', '💥 failed', '✅ passed', '✅ passed']);
  for (const r of rows) assert.equal(cells(r).length, 5, `a hostile name must not add a cell: ${r}`);
  assert.ok(out.indexOf('### Repository findings') < out.indexOf('### Apps'));
  assert.ok(out.indexOf('### Findings') < out.indexOf('### Skipped'));
  assert.ok(out.indexOf('### Skipped') < out.indexOf('### Not evaluated'));
  assert.match(out, /#### ❌ payments \(apps/, 'a finding group names the app and where it is defined');
  assert.ok(
    out.includes(
      '- **error** duplicate-object apps/Deployment payments/api (apps/payments/base/deploy.yaml:1, apps/payments/overlay/deploy.yaml:12): defined 2 times with different content. **Fix:** delete one of the copies (runbook: docs/rules/duplicate-object.md)',
    ),
    out,
  );
  assert.match(out, /- other-repo \(apps\/other\.yaml:1\): its source is https:\u200b\/\/github\.com\/other\/charts/);
  assert.match(out, /- ApplicationSet argocd\/clusters-set \(appsets\/clusters\.yaml:1\), generator clusters: /);
  assert.ok(!out.includes('_… '), 'nothing cut');
});

test('markdown: a passing report, and runbook links with a base', () => {
  const out = writeReport('markdown', emptyReport());
  assert.equal(
    out,
    '## ✅ safe-render ci: passed\n\n0 apps: 0 passed, 0 refused, 0 failed, 0 skipped; 0 errors, 0 warnings.\n',
  );
  const linked = writeReport('markdown', richReport(), { runbookBase: 'https://github.com/acme/sr/blob/v1' });
  assert.ok(linked.includes('([runbook](https://github.com/acme/sr/blob/v1/docs/rules/duplicate-object.md))'));
});

test('markdown: hostile strings cannot inject links, mentions, HTML, or break the table', () => {
  const out = writeReport('markdown', richReport());
  assert.ok(!out.includes('<img'), 'no raw HTML');
  assert.ok(!/(^|[^\\])\]\(/.test(out), 'no unescaped link');
  assert.ok(!/(^|[^\\])\[click/.test(out), 'brackets escaped');
  assert.ok(!/@[a-z0-9]/i.test(out), 'no @mention');
  assert.ok(!/#[0-9]/.test(out), 'no issue reference');
  assert.ok(!/https?:\/\//.test(out.replace('https://github.com/acme/deploy.git', '')), 'no bare URL to autolink');
  assert.ok(!/www\./i.test(out), 'no www. autolink');
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out), 'no control characters');
  // Every line of a table stays one row of five cells.
  for (const l of out.split('\n').filter((x) => x.startsWith('| '))) assert.equal(cells(l).length, 5, l);
  const table: Array<[string, string]> = [
    ['a|b', 'a\\|b'],
    ['\\|', '\\\\\\|'],
    ['<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['&amp;', '&amp;amp;'],
    ['[x](javascript:y)', '\\[x\\]\\(javascript:y\\)'],
    ['@team', '@\u200bteam'],
    ['a\nb', 'a b'],
    ['`code`', '\\`code\\`'],
    ['*em* _em_ ~s~ $x$', '\\*em\\* \\_em\\_ \\~s\\~ \\$x\\$'],
    ['http://x', 'http:\u200b//x'],
    ['WWW.x', 'WWW\u200b.x'],
    ['x'.repeat(2000), `${'x'.repeat(999)}…`],
  ];
  for (const [input, want] of table) assert.equal(md(input), want, JSON.stringify(input));
  assert.ok(HOSTILE.includes('@acme'));
});

function bigReport(apps: number, findingsPerApp: number): CiReport {
  const r = richReport();
  const template = r.apps.find((a) => a.id === 'payments');
  assert.ok(template);
  const extra = Array.from({ length: apps }, (_, i) => ({
    ...template,
    id: `app-${String(i).padStart(4, '0')}-${'é'.repeat(20)}-\u{1f600}`,
    verdict: i % 3 === 0 ? ('passed' as const) : ('refused' as const),
    findings: Array.from({ length: findingsPerApp }, () => ({
      ...template.findings[0]!,
      message: `${'ü'.repeat(300)}`,
    })),
  }));
  return { ...r, apps: [...r.apps, ...extra] };
}

test('markdown: a huge report is cut under 65,536 (bytes and UTF-16 units), least important first, with a note', () => {
  const r = bigReport(600, 4);
  const out = writeReport('markdown', r);
  assert.ok(byteLength(out) <= MARKDOWN_MAX_BYTES, `${byteLength(out)} bytes`);
  assert.ok(out.length < 65_536);
  assert.ok(out.startsWith('## ❌ safe-render ci: failed\n'));
  const note =
    /_… (\d+) more findings in (\d+) apps, (\d+) more rows of the app table, 2 more skipped apps, 1 more generators not evaluated not shown; see the JSON\/SARIF report\._\n$/.exec(
      out,
    );
  assert.ok(note, out.slice(-300));
  // Repository findings and the refused apps' rows and findings come before the passed apps' rows.
  assert.ok(out.includes('### Repository findings'));
  assert.ok(out.includes(`| app-0001-${'é'.repeat(20)}-\u{1f600} | kustomize |`), 'the first refused app');
  assert.ok(!out.includes('| guestbook |'), 'a passed app without findings is the first row cut');
  // Counting the note: shown + cut = all.
  const shown = out.split('\n').filter((l) => l.startsWith('- **')).length;
  const total = r.findings.length + r.apps.reduce((n, a) => n + a.findings.length, 0);
  assert.equal(shown + Number(note[1]), total);
});

test('markdown: never over the cap, always the verdict, for any report and cap (property)', () => {
  fc.assert(
    fc.property(reportArb, fc.integer({ min: 600, max: 6_000 }), (r, maxBytes) => {
      const out = writeReport('markdown', r, { markdownMaxBytes: maxBytes });
      assert.ok(byteLength(out) <= maxBytes, `${byteLength(out)} > ${maxBytes}`);
      assert.ok(out.length <= maxBytes);
      assert.ok(out.startsWith(`## ${r.exitCode ? '❌ safe-render ci: failed' : '✅ safe-render ci: passed'}\n`));
      for (const l of out.split('\n').filter((x) => x.startsWith('| '))) assert.equal(cells(l).length, 5, l);
      assert.ok(!/<[a-z!/?]/i.test(out), 'no HTML tag');
      assert.ok(!/@[a-z0-9]/i.test(out), 'no mention');
    }),
    { seed: 11_03, numRuns: 300 },
  );
});
