import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents, taskEnds, taskMs } from '../../raw-events.js';

test("app_speedup: Spot's parallel part (union of stage intervals), driver time, one-core time and speedup", async () => {
  const log = path.join(FIXTURE_LOGS, 'app-20260301111500-0005.lzf');
  const db = await ingested(log);
  const plain = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
  // The lzf file is compressed; the counting side reads the same app through sparkopt's own table instead.
  const [{ duration_ms }] = await db.all<{ duration_ms: number }>('SELECT duration_ms FROM apps');
  const stages = await db.all<{ start_ms: number; end_ms: number }>(
    `SELECT epoch_ms(min(t.launch_time)) AS start_ms, epoch_ms(any_value(s.complete_time)) AS end_ms
     FROM stages s JOIN tasks t USING (app_key, stage_id, stage_attempt_id) WHERE s.complete_time IS NOT NULL GROUP BY s.stage_id, s.stage_attempt_id`,
  );
  const intervals = stages.map((s) => [s.start_ms, s.end_ms] as const).sort((a, b) => a[0] - b[0]);
  let parallel = 0;
  let [start, end] = intervals[0]!;
  for (const [s, e] of intervals.slice(1)) {
    if (s > end) {
      parallel += end - start;
      [start, end] = [s, e];
    } else end = Math.max(end, e);
  }
  parallel += end - start;
  const [{ task_ms }] = await db.all<{ task_ms: number }>('SELECT sum(duration_ms) AS task_ms FROM tasks');
  const [row] = await db.all('SELECT parallel_ms, sequential_ms, one_core_ms, speedup FROM app_speedup');
  expect(row).toEqual({
    parallel_ms: parallel, sequential_ms: duration_ms - parallel, one_core_ms: duration_ms - parallel + task_ms,
    speedup: (duration_ms - parallel + task_ms) / duration_ms,
  });
  expect(parallel).toBeLessThan(duration_ms);
  db.close();
  // Task time checked against raw lines on the plain fixture, where JSON.parse can read them.
  const plainDb = await ingested(plain);
  const [{ one_core_ms, sequential_ms }] = await plainDb.all<{ one_core_ms: number; sequential_ms: number }>('SELECT one_core_ms, sequential_ms FROM app_speedup');
  expect(one_core_ms - sequential_ms).toBe(taskEnds(rawEvents(plain)).reduce((n, e) => n + taskMs(e), 0));
  plainDb.close();
});
