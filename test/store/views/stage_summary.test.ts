import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents, taskEnds, taskMs } from '../../raw-events.js';

test('stage_summary: every stage attempt of the plain fixture, its task counts and sums as the raw lines give them', async () => {
  const log = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
  const db = await ingested(log);
  const ends = taskEnds(rawEvents(log));
  const rows = await db.all<Record<string, number>>(
    'SELECT stage_id, stage_attempt_id, tasks, task_time_ms, task_max_ms, failed_tasks, killed_tasks, speculative_tasks, shuffle_write_bytes FROM stage_summary WHERE tasks > 0 ORDER BY 1, 2',
  );
  const expected = new Map<string, Record<string, number>>();
  for (const e of ends) {
    const key = `${e['Stage ID']}.${e['Stage Attempt ID']}`;
    const r = expected.get(key) ?? { stage_id: e['Stage ID'], stage_attempt_id: e['Stage Attempt ID'], tasks: 0, task_time_ms: 0, task_max_ms: 0, failed_tasks: 0, killed_tasks: 0, speculative_tasks: 0, shuffle_write_bytes: null as unknown as number };
    r.tasks! += 1;
    r.task_time_ms! += taskMs(e);
    r.task_max_ms = Math.max(r.task_max_ms!, taskMs(e));
    if (e['Task Info'].Failed) r.failed_tasks! += 1;
    if (e['Task Info'].Killed) r.killed_tasks! += 1;
    if (e['Task Info'].Speculative) r.speculative_tasks! += 1;
    // SQL's sum: NULL when no task of the stage reported the metric.
    const written = e['Task Metrics']?.['Shuffle Write Metrics']?.['Shuffle Bytes Written'];
    if (written !== undefined) r.shuffle_write_bytes = (r.shuffle_write_bytes ?? 0) + written;
    expected.set(key, r);
  }
  expect(rows).toEqual([...expected.values()].sort((a, b) => a.stage_id! - b.stage_id! || a.stage_attempt_id! - b.stage_attempt_id!));
  expect(rows.reduce((n, r) => n + r.failed_tasks!, 0)).toBeGreaterThan(0);
  db.close();
});
