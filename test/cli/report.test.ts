import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { FIXTURE_LOGS } from '../raw-events.js';
import { sparkopt, tempDir } from './run-cli.js';

const db = path.join(tempDir(), 'report.duckdb');
const APP = 'application_1767225600000_0007_2';

beforeAll(() => {
  expect(sparkopt('ingest', '--db', db, FIXTURE_LOGS).status).toBe(0);
});

/** The documented JSON contract: these keys with these types, always. */
function expectReportShape(r: any): void {
  expect(r.app).toEqual(expect.objectContaining({ key: expect.any(String), id: expect.any(String), sparkVersion: expect.any(String), durationMs: expect.any(Number), completed: expect.any(Boolean) }));
  expect(r.summary).toEqual(expect.objectContaining({ executors: expect.any(Number), tasks: expect.any(Number), inputBytes: expect.any(Number), shuffleReadBytes: expect.any(Number) }));
  expect(r.timeBreakdown).toEqual(expect.objectContaining({ durationMs: expect.any(Number), driverMs: expect.any(Number), gcTimeMs: expect.any(Number) }));
  expect(Array.isArray(r.stages)).toBe(true);
  for (const f of r.findings) {
    expect(f).toEqual({ id: expect.any(String), severity: expect.stringMatching(/^(info|warn|error)$/), title: expect.any(String), evidence: expect.any(Object), suggestion: expect.any(String) });
    for (const v of Object.values(f.evidence)) expect(['number', 'string']).toContain(typeof v);
  }
  expect(r.whatIf.observed).toEqual(expect.objectContaining({ executors: expect.any(Number), cores: expect.any(Number), actualMs: expect.any(Number), simulatedMs: expect.any(Number) }));
  for (const s of r.whatIf.scenarios) expect(s).toEqual(expect.objectContaining({ executors: expect.any(Number), cores: expect.any(Number), simulatedMs: expect.any(Number), coreHours: expect.any(Number), utilisation: expect.any(Number) }));
  expect(r.criticalPathMs).toEqual(expect.any(Number));
  expect(r.idealMs).toEqual(expect.any(Number));
}

test('--format json follows the documented shape (a complete app, a failed one, a cut one)', () => {
  for (const key of [APP, 'app-20260301103000-0002', 'app-20260301131500-0009']) {
    const result = sparkopt('report', '--db', db, '--format', 'json', key);
    expect(result.status, result.stderr).toBe(0);
    expectReportShape(JSON.parse(result.stdout));
  }
});

test('the table names the findings with rule id and severity, and a unique prefix or the app name finds the app', () => {
  const byKey = sparkopt('report', '--db', db, APP);
  expect(byKey.status).toBe(0);
  expect(byKey.stdout).toMatch(/error\s+memory-kill\s+/);
  expect(byKey.stdout).toMatch(/What if/);
  expect(byKey.stdout).not.toMatch(/\x1b\[/);
  expect(sparkopt('report', '--db', db, 'application_1767225600000_0007_2').stdout).toBe(byKey.stdout);
  expect(sparkopt('report', '--db', db, 'InventoryRollup').stdout).toBe(byKey.stdout);
});

test('markdown for a PR comment', () => {
  const md = sparkopt('report', '--db', db, '--format', 'markdown', APP).stdout;
  expect(md).toMatch(/^## InventoryRollup/);
  expect(md).toMatch(/\| executors \| cores \| predicted \| core-hours \| utilisation \|/);
  expect(md).toMatch(/🔴 \*\*error\*\* `memory-kill`/);
});

test('an ambiguous prefix, an unknown app and a bad threshold are usage errors (exit 2)', () => {
  const ambiguous = sparkopt('report', '--db', db, 'application_1767225600000_0007');
  expect(ambiguous.status).toBe(2);
  expect(ambiguous.stderr).toMatch(/matches 2 apps/);
  expect(sparkopt('report', '--db', db, 'nope').status).toBe(2);
  expect(sparkopt('report', '--db', db, '--threshold', 'stage-skew.ratio=abc', APP).status).toBe(2);
  expect(sparkopt('report', '--db', db, '--threshold', 'no.such=1', APP).status).toBe(2);
  expect(sparkopt('report', '--db', db, '--latest').status).toBe(0);
});
