import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../../corpus.js';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents } from '../../raw-events.js';
import { tempDir } from '../../temp-dirs.js';

const JOIN = /BroadcastHashJoin|SortMergeJoin|ShuffledHashJoin|BroadcastNestedLoopJoin|CartesianProduct/g;

/**
 * The final physical plan's tree: after the logical plans and AQE's first "Final Plan" marker (subqueries in the
 * details have their own), before its initial plan and the numbered details.
 */
function finalTree(plan: string): string {
  const physical = plan.split('== Physical Plan ==')[1] ?? plan;
  return (physical.split('== Final Plan ==')[1] ?? physical).split('== Initial Plan ==')[0]!.split('\n\n')[0]!;
}

test('sql_joins: the join strategies of each SQL execution plan, with its shuffle and failures', async () => {
  const log = path.join(FIXTURE_LOGS, 'application_1767225600000_0007_2');
  const events = rawEvents(log);
  const db = await ingested(log);
  const rows = await db.all<{ execution_id: number; join_strategies: string[]; joins: number; had_failures: boolean; shuffle_read_bytes: number }>(
    'SELECT execution_id, join_strategies, joins, had_failures, shuffle_read_bytes FROM sql_joins ORDER BY execution_id',
  );
  const starts = events.filter((e) => String(e.Event).endsWith('SQLExecutionStart'));
  expect(rows.map((r) => r.execution_id)).toEqual(starts.map((e) => e.executionId).sort((a, b) => a - b));
  let inTrees = 0;
  let inTexts = 0;
  for (const start of starts) {
    const plan: string = events.filter((e) => e.executionId === start.executionId && e.physicalPlanDescription).at(-1)!.physicalPlanDescription;
    const found = finalTree(plan).match(JOIN) ?? [];
    inTrees += found.length;
    inTexts += (plan.match(JOIN) ?? []).length;
    expect(rows.find((r) => r.execution_id === start.executionId)).toMatchObject({ join_strategies: [...new Set(found)].sort(), joins: found.length });
  }
  // The numbered details below each tree name every join again.
  expect(inTrees).toBeGreaterThan(0);
  expect(inTrees).toBeLessThan(inTexts);
  expect(rows.some((r) => r.join_strategies.includes('BroadcastHashJoin') && r.join_strategies.includes('SortMergeJoin'))).toBe(true);
  expect(rows.some((r) => r.had_failures)).toBe(true);
  db.close();
});

test('sql_joins: joins of the final plan only; a stage reused by a later execution stays with the one that ran it', async () => {
  const at = (s: number) => 1767225600000 + s * 1000;
  const task = (stage: number, id: number, metrics: object) => ({
    Event: 'SparkListenerTaskEnd', 'Stage ID': stage, 'Stage Attempt ID': 0, 'Task Type': 'ShuffleMapTask', 'Task End Reason': { Reason: 'Success' },
    'Task Info': { 'Task ID': id, Index: id, Attempt: 0, 'Launch Time': at(stage + 1), 'Executor ID': '1', Host: 'h', Locality: 'ANY', Speculative: false, 'Finish Time': at(stage + 2), Failed: false, Killed: false },
    'Task Metrics': { 'Executor Run Time': 900, ...metrics },
  });
  const stage = (id: number) => ({ 'Stage ID': id, 'Stage Attempt ID': 0, 'Stage Name': `s${id}`, 'Number of Tasks': 1, 'Parent IDs': [] });
  const sqlStart = (id: number, plan: string) => ({ Event: 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart', executionId: id, description: `q${id}`, details: '', physicalPlanDescription: plan, time: at(id) });
  const extended = '== Parsed Logical Plan ==\nJoin Inner\n\n== Optimized Logical Plan ==\nJoin Inner, (a = b)\n\n== Physical Plan ==\n*(3) SortMergeJoin [a], [b], Inner\n:- *(1) Sort\n+- *(2) Sort';
  const adaptive = '== Physical Plan ==\nAdaptiveSparkPlan (9)\n+- == Final Plan ==\n   BroadcastHashJoin Inner BuildRight (5)\n   :- Scan (1)\n   +- BroadcastQueryStage (4)\n+- == Initial Plan ==\n   SortMergeJoin Inner (8)\n\n\n(5) BroadcastHashJoin\nLeft keys [1]: [a]\n';
  const lines = [
    { Event: 'SparkListenerApplicationStart', 'App Name': 'Reuse', 'App ID': 'app-20260101000000-0200', Timestamp: at(0), User: 'u' },
    sqlStart(0, extended),
    { Event: 'SparkListenerJobStart', 'Job ID': 0, 'Submission Time': at(1), 'Stage Infos': [stage(0)], 'Stage IDs': [0], Properties: { 'spark.sql.execution.id': '0' } },
    task(0, 0, { 'Memory Bytes Spilled': 1000, 'Disk Bytes Spilled': 500, 'Shuffle Write Metrics': { 'Shuffle Bytes Written': 100, 'Shuffle Write Time': 1, 'Shuffle Records Written': 1 } }),
    { Event: 'SparkListenerStageCompleted', 'Stage Info': { ...stage(0), 'Submission Time': at(1), 'Completion Time': at(2) } },
    { Event: 'SparkListenerJobEnd', 'Job ID': 0, 'Completion Time': at(2), 'Job Result': { Result: 'JobSucceeded' } },
    sqlStart(1, adaptive),
    // Job 1 lists stage 0 again: its shuffle output is reused, only stage 1 runs.
    { Event: 'SparkListenerJobStart', 'Job ID': 1, 'Submission Time': at(2), 'Stage Infos': [stage(0), stage(1)], 'Stage IDs': [0, 1], Properties: { 'spark.sql.execution.id': '1' } },
    task(1, 1, { 'Shuffle Read Metrics': { 'Remote Bytes Read': 60, 'Local Bytes Read': 40, 'Fetch Wait Time': 0, 'Total Records Read': 1 } }),
    { Event: 'SparkListenerStageCompleted', 'Stage Info': { ...stage(1), 'Submission Time': at(2), 'Completion Time': at(3) } },
    { Event: 'SparkListenerJobEnd', 'Job ID': 1, 'Completion Time': at(3), 'Job Result': { Result: 'JobSucceeded' } },
    { Event: 'SparkListenerApplicationEnd', Timestamp: at(4) },
  ];
  const log = path.join(tempDir('sparkopt-joins-'), 'app-20260101000000-0200');
  writeFileSync(log, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const db = await ingested(log);
  const rows = await db.all('SELECT execution_id, join_strategies, joins, shuffle_read_bytes, shuffle_write_bytes, memory_spill_bytes, disk_spill_bytes FROM sql_joins ORDER BY execution_id');
  expect(rows).toEqual([
    { execution_id: 0, join_strategies: ['SortMergeJoin'], joins: 1, shuffle_read_bytes: null, shuffle_write_bytes: 100, memory_spill_bytes: 1000, disk_spill_bytes: 500 },
    { execution_id: 1, join_strategies: ['BroadcastHashJoin'], joins: 1, shuffle_read_bytes: 100, shuffle_write_bytes: null, memory_spill_bytes: null, disk_spill_bytes: null },
  ]);
  db.close();
});

describeCorpus('sql_joins on real plans', () => {
  test('each join of the final plan counted once (Spark 3 formatted plans with AQE)', async () => {
    const db = await ingested(corpusPath('rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd'));
    const [q72] = await db.all<{ joins: number; join_strategies: string[] }>('SELECT joins, join_strategies FROM sql_joins WHERE execution_id = 24');
    // Its final plan: ten join nodes, (13) (20) (27) (35) (43) (51) (58) (65) (72) (84).
    expect(q72!.joins).toBe(10);
    db.close();
  });
});
