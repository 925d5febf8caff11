import path from 'node:path';
import { expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../../corpus.js';
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

describeCorpus('app_speedup on a cut log', () => {
  test('a stage still running when the log ends counts up to its last task, not as driver time', async () => {
    const log = corpusPath('rapids/spark-events-qualification/truncated_eventlog');
    const events = rawEvents(log);
    const db = await ingested(log);
    const [row] = await db.all<{ parallel_ms: number; sequential_ms: number; duration_ms: number }>('SELECT parallel_ms, sequential_ms, duration_ms FROM app_speedup');
    // Stage 0 completed ([first launch, completion]); stages 1 and 2 were running, their spans overlap and end
    // with their last finished task.
    const tasksOf = (stage: number) => taskEnds(events).filter((e) => e['Stage ID'] === stage);
    const first = (stage: number) => Math.min(...tasksOf(stage).map((e) => e['Task Info']['Launch Time']));
    const last = (stage: number) => Math.max(...tasksOf(stage).map((e) => e['Task Info']['Finish Time']));
    const completed = events.find((e) => e.Event === 'SparkListenerStageCompleted')!['Stage Info'];
    expect(completed['Stage ID']).toBe(0);
    const expected = completed['Completion Time'] - first(0) + Math.max(last(1), last(2)) - Math.min(first(1), first(2));
    expect(expected).toBe(1437);
    expect(row).toEqual({ parallel_ms: expected, sequential_ms: row!.duration_ms - expected, duration_ms: row!.duration_ms });
    db.close();
  });
});
