import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents, taskEnds, taskMs } from '../../raw-events.js';

test("executor_efficiency: Spot's allocated and busy core-ms, idle executors and peak concurrency", async () => {
  const log = path.join(FIXTURE_LOGS, 'application_1767225600000_0007_1');
  const events = rawEvents(log);
  const end = events.find((e) => e.Event === 'SparkListenerApplicationEnd')!.Timestamp;
  const added = events.filter((e) => e.Event === 'SparkListenerExecutorAdded' && e['Executor ID'] !== 'driver');
  const removedAt = new Map(events.filter((e) => e.Event === 'SparkListenerExecutorRemoved').map((e) => [e['Executor ID'], e.Timestamp]));
  const allocated = added.reduce((n, e) => n + e['Executor Info']['Total Cores'] * ((removedAt.get(e['Executor ID']) ?? end) - e.Timestamp), 0);
  const ends = taskEnds(events);
  const busy = ends.reduce((n, e) => n + taskMs(e), 0);
  const db = await ingested(log);
  const [row] = await db.all<Record<string, number>>('SELECT * FROM executor_efficiency');
  expect(row).toEqual({
    app_key: 'application_1767225600000_0007_1', executors: added.length, allocated_core_ms: allocated, busy_core_ms: busy,
    efficiency: busy / allocated,
    idle_executors: added.filter((e) => !ends.some((t) => t['Task Info']['Executor ID'] === e['Executor ID'])).length,
    peak_executors: added.length, peak_cores: added.reduce((n, e) => n + e['Executor Info']['Total Cores'], 0),
  });
  expect(row!.efficiency).toBeGreaterThan(0);
  expect(row!.efficiency).toBeLessThan(1);
  db.close();
});

test('executor_efficiency: a driver announced with cores beside real executors, running no task, holds none', async () => {
  const log = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
  const events = rawEvents(log);
  const driver = events.find((e) => e.Event === 'SparkListenerExecutorAdded' && e['Executor ID'] === 'driver')!;
  expect(driver['Executor Info']['Total Cores']).toBeGreaterThan(0);
  expect(taskEnds(events).some((e) => e['Task Info']['Executor ID'] === 'driver')).toBe(false);
  const added = events.filter((e) => e.Event === 'SparkListenerExecutorAdded' && e['Executor ID'] !== 'driver');
  const db = await ingested(log);
  const [row] = await db.all<Record<string, number>>('SELECT executors, peak_executors, peak_cores FROM executor_efficiency');
  expect(row!.executors).toBe(added.length);
  expect(row!.peak_executors).toBeLessThanOrEqual(added.length);
  expect(row!.peak_cores).toBeLessThanOrEqual(added.reduce((n, e) => n + e['Executor Info']['Total Cores'], 0));
  db.close();
});
