// The JUnit XML report (issue 11), the test report GitLab (artifacts:reports:junit) and Jenkins (the
// junit step) both read: one <testsuite> for the run, one <testcase> per app. A refused app has one
// <failure> (message: its first error's head; body: every finding line), a failed render one <error>,
// a skipped app <skipped> with the reason. Jenkins' and GitLab's parsers read one failure element per
// test case, so the app's refusal is one element whose body holds every finding.
import type { CiApp, CiReport } from '../report-model';
import { countsOf, findingHead, findingLine, findingsInOrder, seconds } from './common';

/** Characters XML 1.0 cannot hold at all (§2.2 Char: not even as a character reference): C0 controls
 * but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. They are dropped. */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content: `&` and `<` escaped, and `>` too, so a `]]>` in a message is never the end of a
 * CDATA section a reader might expect. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes: tab, LF and CR as character references, since a parser
 * normalises them to spaces otherwise (XML 1.0 §3.3.3). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

interface Case {
  classname: string;
  name: string;
  time: string;
  body: string;
}

function appCase(app: CiApp): Case {
  const lines = findingsInOrder(app.findings).map((f) => findingLine(f, app));
  const errors = findingsInOrder(app.findings).filter((f) => f.severity === 'error');
  const head = errors[0] ? findingHead(errors[0]) : undefined;
  let body = '';
  if (app.verdict === 'refused') {
    const type = errors[0]?.rule ?? 'refused';
    const message = head ?? 'refused';
    body = `<failure${attrs({ message, type })}>${xmlText(lines.join('\n'))}</failure>`;
  } else if (app.verdict === 'failed') {
    const type = errors[0]?.rule ?? 'render-failed';
    const message = head ?? 'the render failed';
    body = `<error${attrs({ message, type })}>${xmlText(lines.join('\n'))}</error>`;
  } else if (app.verdict === 'skipped') {
    body = `<skipped${attrs({ message: app.skipped ?? 'skipped' })}/>`;
  } else if (lines.length) {
    // Warnings of a passing app: shown in the case's output, not as a failure.
    body = `<system-out>${xmlText(lines.join('\n'))}</system-out>`;
  }
  const name = app.engine ? `${app.id} (${app.engine})` : app.id;
  return { classname: app.id, name, time: seconds(app.durationMs), body };
}

export function junitReport(r: CiReport): string {
  const cases: Case[] = r.apps.map(appCase);
  const c = countsOf(r);
  let failures = c.refused;
  let skipped = c.skipped;
  // The repository's own findings (cross-app rules, the repository-wide budget) are one more case, so
  // that a CI system that only reads JUnit still fails the pipeline on them.
  if (r.findings.length) {
    const lines = findingsInOrder(r.findings).map((f) => findingLine(f));
    const firstError = findingsInOrder(r.findings).find((f) => f.severity === 'error');
    const body = firstError
      ? `<failure${attrs({ message: findingHead(firstError), type: firstError.rule })}>${xmlText(lines.join('\n'))}</failure>`
      : `<system-out>${xmlText(lines.join('\n'))}</system-out>`;
    if (firstError) failures++;
    cases.push({ classname: 'safe-render.repository', name: 'checks across apps', time: '0.000', body });
  }
  // A generator that cannot be evaluated offline is a skipped case, so the count of what was not
  // checked is visible where people read test results.
  for (const n of r.notEvaluated) {
    skipped++;
    cases.push({
      classname: n.appSet,
      name: `generator ${n.generator} (${n.definedIn.file}:${n.definedIn.line})`,
      time: '0.000',
      body: `<skipped${attrs({ message: `not evaluated: ${n.why}` })}/>`,
    });
  }
  const suite = {
    name: r.shard ? `safe-render ci (shard ${r.shard.index}/${r.shard.count})` : 'safe-render ci',
    tests: cases.length,
    failures,
    errors: c.failed,
    skipped,
    time: seconds(r.durationMs),
  };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs(suite)}>`, `  <testsuite${attrs(suite)}>`];
  out.push(
    `    <properties><property${attrs({ name: 'repository', value: r.repo.url })}/><property${attrs({ name: 'revision', value: r.repo.revision })}/><property${attrs({ name: 'tool', value: r.tool })}/></properties>`,
  );
  for (const k of cases) {
    const open = `    <testcase${attrs({ classname: k.classname, name: k.name, time: k.time })}`;
    out.push(k.body ? `${open}>${k.body}</testcase>` : `${open}/>`);
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}
