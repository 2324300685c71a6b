// What we pass on of a tool's stderr and command line never carries Secret data (issue 9 §6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactToolStderr, shownArgv } from './run-tool';

test('kustomize literal sources: every literal is redacted, the words of the mistake stay', () => {
  const line =
    'E1130 run.go:72] "command failed" err="loading KV pairs: literal sources [password=hunter2 brokenSECRET token=x]: invalid literal source brokenSECRET, expected key=value"';
  const out = redactToolStderr(line);
  assert.doesNotMatch(out, /hunter2|brokenSECRET|token=x/);
  assert.match(
    out,
    /loading KV pairs: literal sources \[redacted\]: invalid literal source \[redacted\], expected key=value$/,
  );
});

test("kustomize literal sources: a literal that contains the message's own words does not end the redaction early", () => {
  const line =
    'error: loading KV pairs: literal sources [a=1 x]: invalid literal source , expected key=value SECRET3 bad]: invalid literal source bad, expected key=value';
  assert.doesNotMatch(redactToolStderr(line), /SECRET3|a=1|bad/);
});

test('kustomize env file: the bytes and text of a line that is not UTF-8 are redacted', () => {
  const out = redactToolStderr(
    'error: loading KV pairs: env source files: [e.env]: line [255 254 83 69] has invalid utf8 bytes : \uFFFD\uFFFDSE',
  );
  assert.equal(out, 'error: loading KV pairs: env source files: [e.env]: line [redacted] has invalid utf8 bytes');
});

test('other tool messages pass unchanged', () => {
  const msg =
    "Error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': open missing.yaml: no such file or directory'\nsecond line";
  assert.equal(redactToolStderr(msg), msg);
});

test('command line in messages: --set values are hidden, keys and other flags kept', () => {
  assert.equal(
    shownArgv([
      'helm',
      'template',
      'web',
      '.',
      '--set',
      'db.password=hunter2,replicas=3',
      '--set-string=token=abc',
      '--values',
      'v.yaml',
    ]),
    'helm template web . --set db.password=…,replicas=… --set-string=token=… --values v.yaml',
  );
  assert.equal(shownArgv(['kubectl', 'kustomize', '/r/app']), 'kubectl kustomize /r/app');
});

test('helm --set parse errors: the quoted pieces of the value are redacted, the words stay', () => {
  assert.equal(
    redactToolStderr(
      'Error: failed parsing --set data: error parsing index: strconv.Atoi: parsing "0=SECRETPIECE": invalid syntax',
    ),
    'Error: failed parsing --set data: error parsing index: strconv.Atoi: parsing "[redacted]": invalid syntax',
  );
  assert.equal(
    redactToolStderr('Error: failed parsing --set data: key "hunter2" has no value'),
    'Error: failed parsing --set data: key "[redacted]" has no value',
  );
  assert.equal(
    redactToolStderr('Error: failed parsing --set-json data a={"pw":"SECRETJSON"'),
    'Error: failed parsing --set-json data [redacted]',
  );
  assert.equal(
    redactToolStderr("Error: failed parsing --set data: list must terminate with '}'"),
    "Error: failed parsing --set data: list must terminate with '}'",
  );
});
