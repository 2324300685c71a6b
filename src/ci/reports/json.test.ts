// The JSON report: the CiReport itself, read back by `ci merge`; same value, same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeReport } from './index';
import { emptyReport, richReport } from './test-fixture';

test('json: the report itself, pretty and newline-terminated, read back equal', () => {
  for (const r of [richReport(), emptyReport()]) {
    const out = writeReport('json', r);
    assert.ok(out.endsWith('}\n'), 'newline-terminated');
    assert.ok(out.startsWith('{\n  "kind": "safe-render-ci",\n  "version": 1,\n'), out.slice(0, 80));
    assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(r)));
  }
});

test('json: key order is fixed whatever order the value was built in', () => {
  const r = richReport();
  const reversed = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reversed);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  };
  assert.equal(writeReport('json', reversed(r) as typeof r), writeReport('json', r));
  const app = JSON.parse(writeReport('json', r)).apps[2];
  assert.deepEqual(Object.keys(app).slice(0, 4), ['id', 'appName', 'verdict', 'definedIn']);
  assert.deepEqual(Object.keys(app.findings[0]), ['rule', 'severity', 'object', 'sources', 'message', 'fix']);
});

test('json: an unknown key is kept, after the known ones, and __proto__ stays data', () => {
  const r = { ...emptyReport(), zeta: 1, alpha: 2 } as ReturnType<typeof emptyReport>;
  Object.defineProperty(r, '__proto__', { value: { x: 1 }, enumerable: true });
  const keys = Object.keys(JSON.parse(writeReport('json', r)));
  assert.deepEqual(keys.slice(-3), ['__proto__', 'alpha', 'zeta']);
});
