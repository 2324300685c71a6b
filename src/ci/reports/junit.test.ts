// The JUnit report: well-formed XML whatever a repository puts in names and messages, one test case
// per app, a failure per refused app, skipped with the reason, an error for a failed render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writeReport } from './index';
import { xmlAttr, xmlText } from './junit';
import { emptyReport, HOSTILE, reportArb, richReport } from './test-fixture';

interface El {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: El[];
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(s: string, where: string): string {
  return s.replace(/&([^;]*);?/g, (m, e: string) => {
    if (!m.endsWith(';')) throw new Error(`${where}: bare & in ${JSON.stringify(s)}`);
    if (ENTITY[e]) return ENTITY[e];
    const n = /^#x([0-9a-f]+)$/i.exec(e) ? parseInt(e.slice(2), 16) : /^#([0-9]+)$/.exec(e) ? Number(e.slice(1)) : NaN;
    if (Number.isNaN(n)) throw new Error(`${where}: unknown entity ${m}`);
    return String.fromCodePoint(n);
  });
}

/** A small XML 1.0 well-formedness scanner, for what junit.ts writes (no DTD, comments, CDATA or PIs
 * but the declaration): legal characters only, balanced and matching tags, quoted attributes without
 * `<`, unique attribute names, known entities only, one root. Returns the root element. */
export function parseXml(xml: string): El {
  if (/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml))
    throw new Error('a character XML cannot hold');
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('no XML declaration');
  i = decl[0].length;
  const stack: El[] = [];
  let root: El | undefined;
  const TAG = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/y;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.includes(']]>')) throw new Error(`]]> in text at ${i}`);
    const top = stack[stack.length - 1];
    if (top) top.text += decode(text, `text at ${i}`);
    else if (text.trim()) throw new Error(`text outside the root at ${i}`);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 60))}`);
    i = TAG.lastIndex;
    const [, close, name = '', rawAttrs = '', selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      const key = a[1] ?? '';
      if (Object.hasOwn(attrs, key)) throw new Error(`duplicate attribute ${key}`);
      attrs[key] = decode(a[2] ?? '', `attribute ${key}`);
    }
    const el: El = { name, attrs, text: '', children: [] };
    if (top) top.children.push(el);
    else if (root) throw new Error('two roots');
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root');
  return root;
}

const byName = (el: El, name: string) => el.children.filter((c) => c.name === name);

test('junit: one suite, one test case per app, counts GitLab and Jenkins read', () => {
  const root = parseXml(writeReport('junit', richReport()));
  assert.equal(root.name, 'testsuites');
  const [suite] = byName(root, 'testsuite');
  assert.ok(suite);
  assert.equal(suite.attrs.name, 'safe-render ci (shard 2/3)');
  const cases = byName(suite, 'testcase');
  // 7 apps, the repository's findings, 1 generator not evaluated.
  assert.equal(cases.length, 9);
  assert.deepEqual(
    { ...suite.attrs, name: undefined },
    { name: undefined, tests: '9', failures: '3', errors: '1', skipped: '3', time: '5.321' },
  );
  const payments = cases.find((c) => c.attrs.classname === 'payments');
  assert.ok(payments);
  assert.equal(payments.attrs.name, 'payments (kustomize)');
  assert.equal(payments.attrs.time, '0.120');
  const [failure, ...more] = payments.children;
  assert.equal(more.length, 0, 'one failure element: Jenkins and GitLab read one per case');
  assert.equal(failure?.name, 'failure');
  assert.equal(failure?.attrs.type, 'duplicate-object');
  assert.equal(
    failure?.attrs.message,
    'error[duplicate-object] apps/Deployment payments/api: defined 2 times with different content',
  );
  assert.deepEqual(failure?.text.split('\n'), [
    'payments (apps/payments.yaml:7): error[duplicate-object] apps/Deployment payments/api (apps/payments/base/deploy.yaml:1, apps/payments/overlay/deploy.yaml:12): defined 2 times with different content. Fix: delete one of the copies (runbook: docs/rules/duplicate-object.md)',
    'payments (apps/payments.yaml:7): error[unacknowledged-deletion] /Service payments/api: the lock holds it and the render does not. Fix: restore it, or accept the deletion with `safe-render lock` (runbook: docs/rules/unacknowledged-deletion.md)',
    'payments (apps/payments.yaml:7): warning[lock-stale] app payments: out of date. Fix: run `safe-render lock` (runbook: docs/rules/lock-stale.md)',
  ]);
  const billing = cases.find((c) => c.attrs.classname === 'team-a/billing');
  assert.equal(billing?.children[0]?.name, 'error');
  assert.equal(billing?.children[0]?.attrs.type, 'render-failed');
  const other = cases.find((c) => c.attrs.classname === 'other-repo');
  assert.equal(other?.children[0]?.name, 'skipped');
  assert.match(other?.children[0]?.attrs.message ?? '', /^its source is https:\/\/github\.com\/other\/charts/);
  const guestbook = cases.find((c) => c.attrs.classname === 'guestbook');
  assert.deepEqual(guestbook?.children, []);
  const monitoring = cases.find((c) => c.attrs.classname === 'monitoring');
  assert.equal(monitoring?.children[0]?.name, 'system-out', 'a warning does not fail the case');
  const repo = cases.find((c) => c.attrs.classname === 'safe-render.repository');
  assert.equal(repo?.children[0]?.name, 'failure');
  assert.match(repo?.children[0]?.text ?? '', /^repository: error\[duplicate-object\]/);
  const gen = cases.find((c) => c.attrs.classname === 'argocd/clusters-set');
  assert.equal(gen?.children[0]?.name, 'skipped');
});

test('junit: hostile names and messages are escaped, XML-illegal characters dropped', () => {
  const root = parseXml(writeReport('junit', richReport()));
  const cases = byName(byName(root, 'testsuite')[0] as El, 'testcase');
  const evil = cases.find((c) => c.attrs.classname?.startsWith('team-b/'));
  assert.ok(evil);
  // What survives: everything but the characters XML 1.0 cannot carry (U+0001, ESC, a lone surrogate).
  const kept = `team-b/${HOSTILE}`.replace(/[\u0001\u001b\ud800]/g, '');
  assert.equal(evil.attrs.classname, kept, 'attribute round-trips, \\r\\n included');
  assert.match(evil.children[0]?.text ?? '', /writes into \[click\]\(https:\/\/evil\.example\) <img src=x/);
  assert.equal(xmlText('a]]>b<&'), 'a]]&gt;b&lt;&amp;');
  assert.equal(xmlAttr('"\t\n\r\u0000\uffff'), '&quot;&#9;&#10;&#13;');
  assert.equal(xmlText('\ud83d\ude00 \udc00'), '\ud83d\ude00 ', 'a pair kept, a lone surrogate dropped');
});

test('junit: an empty report is one empty suite', () => {
  const root = parseXml(writeReport('junit', emptyReport()));
  const suite = byName(root, 'testsuite')[0];
  assert.equal(suite?.attrs.tests, '0');
  assert.deepEqual(byName(suite as El, 'testcase'), []);
});

test('junit: any report is well-formed XML with one case per app (property)', () => {
  fc.assert(
    fc.property(reportArb, (r) => {
      const root = parseXml(writeReport('junit', r));
      const suite = byName(root, 'testsuite')[0] as El;
      const cases = byName(suite, 'testcase');
      assert.equal(cases.length, r.apps.length + (r.findings.length ? 1 : 0) + r.notEvaluated.length);
      assert.equal(suite.attrs.tests, String(cases.length));
    }),
    { seed: 11_02, numRuns: 200 },
  );
});
