import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents, taskEnds } from '../../raw-events.js';

test('gc: GC time over run time per executor and for the app, with Dr. Elephant bands', async () => {
  const log = path.join(FIXTURE_LOGS, 'application_1767225600000_0007_2');
  const db = await ingested(log);
  const sums = new Map<string, { gc: number; run: number }>();
  for (const e of taskEnds(rawEvents(log))) {
    const s = sums.get(e['Task Info']['Executor ID']) ?? { gc: 0, run: 0 };
    s.gc += e['Task Metrics']?.['JVM GC Time'] ?? 0;
    s.run += e['Task Metrics']?.['Executor Run Time'] ?? 0;
    sums.set(e['Task Info']['Executor ID'], s);
  }
  const band = (r: number) => (r >= 0.2 ? 'critical' : r >= 0.15 ? 'severe' : r >= 0.1 ? 'moderate' : r >= 0.08 ? 'low' : 'none');
  const rows = await db.all('SELECT executor_id, gc_time_ms, run_time_ms, severity FROM gc WHERE executor_id IS NOT NULL ORDER BY executor_id');
  expect(rows).toEqual([...sums].sort().map(([id, s]) => ({ executor_id: id, gc_time_ms: s.gc, run_time_ms: s.run, severity: band(s.gc / s.run) })));
  const total = [...sums.values()].reduce((a, s) => ({ gc: a.gc + s.gc, run: a.run + s.run }), { gc: 0, run: 0 });
  expect(await db.all('SELECT gc_time_ms, run_time_ms FROM gc WHERE executor_id IS NULL')).toEqual([{ gc_time_ms: total.gc, run_time_ms: total.run }]);
  // The executor that lost most of its time to GC in this app is the one killed for memory.
  expect(rows.some((r) => r.severity === 'critical')).toBe(true);
  db.close();
});
