import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents } from '../../raw-events.js';

test('sql_joins: the join strategies of each SQL execution plan, with its shuffle and failures', async () => {
  const log = path.join(FIXTURE_LOGS, 'application_1767225600000_0007_2');
  const events = rawEvents(log);
  const db = await ingested(log);
  const rows = await db.all<{ execution_id: number; join_strategies: string[]; joins: number; had_failures: boolean; shuffle_read_bytes: number }>(
    'SELECT execution_id, join_strategies, joins, had_failures, shuffle_read_bytes FROM sql_joins ORDER BY execution_id',
  );
  const starts = events.filter((e) => String(e.Event).endsWith('SQLExecutionStart'));
  expect(rows.map((r) => r.execution_id)).toEqual(starts.map((e) => e.executionId).sort((a, b) => a - b));
  for (const start of starts) {
    const plan: string = events.filter((e) => e.executionId === start.executionId && e.physicalPlanDescription).at(-1)!.physicalPlanDescription;
    const found = plan.match(/BroadcastHashJoin|SortMergeJoin|ShuffledHashJoin|BroadcastNestedLoopJoin|CartesianProduct/g) ?? [];
    expect(rows.find((r) => r.execution_id === start.executionId)).toMatchObject({ join_strategies: [...new Set(found)].sort(), joins: found.length });
  }
  expect(rows.some((r) => r.join_strategies.includes('BroadcastHashJoin') && r.join_strategies.includes('SortMergeJoin'))).toBe(true);
  expect(rows.some((r) => r.had_failures)).toBe(true);
  db.close();
});
