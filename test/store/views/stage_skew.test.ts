import { expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../../corpus.js';
import { ingested } from '../../ingested.js';
import { median, rawEvents, taskEnds, taskMs } from '../../raw-events.js';

const LOG = corpusPath('rapids/spark-events-qualification/udf_func_eventlog');

describeCorpus('stage_skew', () => {
  test('stage 0 of local-1623281204390 (udf_func_eventlog): max and median of its successful tasks', async () => {
    const db = await ingested(LOG);
    const rows = await db.all('SELECT tasks, max_task_ms, median_task_ms, duration_skew FROM stage_skew WHERE stage_id = ?', [0]);
    // Counted from the raw lines: six task ends, Finish Time - Launch Time.
    const durations = taskEnds(rawEvents(LOG)).filter((e) => e['Stage ID'] === 0).map(taskMs);
    expect(durations).toHaveLength(6);
    expect(rows).toEqual([{ tasks: 6, max_task_ms: Math.max(...durations), median_task_ms: median(durations), duration_skew: Math.max(...durations) / median(durations) }]);
    expect(rows[0]!.max_task_ms).toBe(485);
    db.close();
  });
});
