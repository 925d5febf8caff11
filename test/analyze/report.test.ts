import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES } from '../../fixtures/catalog.js';
import { synthApp } from '../../fixtures/synth-app.js';
import { buildReport } from '../../src/analyze/report.js';
import { reportDoc } from '../../src/render/report-doc.js';
import { renderText } from '../../src/render/report-text.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { FIXTURE_LOGS, rawEvents } from '../raw-events.js';
import { tempDir } from '../temp-dirs.js';

test('report on the YARN fixture: summary counts, memory kill, failures, skew and what-if as the generator made them', async () => {
  const fixture = FIXTURES.find((f) => f.path === 'application_1767225600000_0007_1')!;
  const { counts } = synthApp(fixture.options);
  const db = await ingested(path.join(FIXTURE_LOGS, fixture.path));
  const report = await buildReport(db, 'application_1767225600000_0007_1');
  expect(report.app).toMatchObject({ key: 'application_1767225600000_0007_1', id: 'application_1767225600000_0007', attemptId: '1', name: 'InventoryRollup', completed: true });
  expect(report.summary).toMatchObject({
    executors: counts.executors, removedExecutors: counts.executorsRemoved, tasks: counts.tasks, failedTasks: counts.tasksFailed, killedTasks: counts.tasksKilled,
    jobs: counts.jobs, failedJobs: counts.jobsFailed, failedStages: counts.stageAttemptsFailed,
  });
  const ids = report.findings.map((f) => f.id);
  expect(ids).toEqual(expect.arrayContaining(['memory-kill', 'task-failures', 'failed-stages']));
  expect(report.findings.find((f) => f.id === 'memory-kill')!.evidence).toMatchObject({ executors_killed: counts.executorsRemoved });
  expect(report.findings.find((f) => f.id === 'task-failures')!.evidence).toMatchObject({ failed_tasks: counts.tasksFailed });
  // Errors first.
  expect(report.findings[0]!.severity).toBe('error');
  expect(report.whatIf.scenarios.map((s) => s.executors)).toContain(report.whatIf.observed.executors);
  expect(report.criticalPathMs).toBeLessThanOrEqual(Math.min(...report.whatIf.scenarios.map((s) => s.simulatedMs)));
  db.close();
});

test('stage-skew flags the straggler stage with its numbers; a raised threshold silences it', async () => {
  const db = await ingested(path.join(FIXTURE_LOGS, 'application_1767225600000_0007_2'));
  const [slowest] = await db.all<{ stage_id: number; max_task_ms: number; median_task_ms: number }>(
    "SELECT stage_id, max(duration_ms) AS max_task_ms, median(duration_ms) AS median_task_ms FROM tasks WHERE status = 'success' GROUP BY stage_id, stage_attempt_id ORDER BY max(duration_ms) / median(duration_ms) DESC LIMIT 1",
  );
  const normal = await buildReport(db, 'application_1767225600000_0007_2');
  expect(normal.findings.filter((f) => f.id === 'stage-skew').map((f) => f.evidence)).toEqual([
    expect.objectContaining({ stage: slowest!.stage_id, max_task_ms: slowest!.max_task_ms, median_task_ms: slowest!.median_task_ms }),
  ]);
  const silenced = await buildReport(db, 'application_1767225600000_0007_2', { thresholds: { 'stage-skew.ratio': 100 } });
  expect(silenced.findings.filter((f) => f.id === 'stage-skew')).toEqual([]);
  db.close();
});

describeCorpus('report on real logs', () => {
  test('gpu_oom_eventlog: failed tasks with their count and the OutOfMemoryError recognised', async () => {
    const db = await ingested(corpusPath('rapids/spark-events-profiling/gpu_oom_eventlog.zstd'));
    const [{ app_key }] = await db.all<{ app_key: string }>('SELECT app_key FROM apps');
    const [{ failed }] = await db.all<{ failed: number }>("SELECT count(*) AS failed FROM tasks WHERE status = 'failed'");
    const report = await buildReport(db, app_key);
    expect(failed).toBeGreaterThan(0);
    expect(report.summary.failedTasks).toBe(failed);
    expect(report.findings.find((f) => f.id === 'task-failures')!.evidence.failed_tasks).toBe(failed);
    db.close();
  });

  test('eventlog_3nodes_12cores_exec_removed: the removed executor is counted', async () => {
    const db = await ingested(corpusPath('rapids/spark-events-qualification/cluster_information/eventlog_3nodes_12cores_exec_removed'));
    const [{ app_key }] = await db.all<{ app_key: string }>('SELECT app_key FROM apps');
    const removed = await db.all<{ executor_id: string; removed_reason: string }>('SELECT executor_id, removed_reason FROM executors WHERE remove_time IS NOT NULL');
    expect(removed).toHaveLength(1);
    const report = await buildReport(db, app_key);
    const executorFailures = (await db.all<{ count: number }>("SELECT count FROM failures WHERE kind = 'executor'")).reduce((n, r) => n + r.count, 0);
    expect(executorFailures).toBe(1);
    expect(report.summary).toMatchObject({ executors: 3, removedExecutors: 1 });
    db.close();
  });

  test('a Spark 1.x log has no CPU times: the report says so instead of 0 ms', async () => {
    const log = corpusPath('spark-history/logs/local-1422981759269');
    const db = await ingested(log);
    const report = await buildReport(db, 'local-1422981759269');
    expect(rawEvents(log).some((e) => e['Task Metrics']?.['Executor CPU Time'] !== undefined)).toBe(false);
    expect(report.timeBreakdown.runTimeMs).toBeGreaterThan(0);
    expect(report.timeBreakdown.cpuTimeMs).toBeNull();
    expect(renderText(reportDoc(report), { color: false })).toMatch(/executor run \/ CPU +[\d.]+s \/ not in this log/);
    db.close();
  });
});

test('a log without ApplicationStart: the charts count from the first task launch, like the what-if', async () => {
  const dir = tempDir('sparkopt-no-start-');
  const log = path.join(dir, 'app-20260301101500-0001');
  const lines = readFileSync(path.join(FIXTURE_LOGS, 'app-20260301101500-0001'), 'utf8').split('\n');
  writeFileSync(log, lines.filter((l) => !l.includes('"SparkListenerApplicationStart"')).join('\n'));
  const db = await ingested(log);
  const [{ app_key: key, first_launch_ms: firstLaunch }] = (await db.all<{ app_key: string; first_launch_ms: number }>(
    'SELECT app_key, min(epoch_ms(launch_time)) AS first_launch_ms FROM tasks GROUP BY app_key',
  )) as [{ app_key: string; first_launch_ms: number }];
  const report = await buildReport(db, key, { timeline: true });
  expect(report.app.startTime).toBeNull();
  expect(report.whatIf.observed.simulatedMs).toBeGreaterThan(0);
  expect(report.timeline!.appStartMs).toBe(firstLaunch);
  expect(Math.min(...report.timeline!.tasks.map((t) => t.startMs))).toBe(0);
  db.close();
});

test('a driver announced with cores beside real executors, running no task, is not replayed as an executor', async () => {
  const log = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
  const executors = rawEvents(log).filter((e) => e.Event === 'SparkListenerExecutorAdded' && e['Executor ID'] !== 'driver');
  const db = await ingested(log);
  const report = await buildReport(db, 'app-20260301101500-0001');
  expect(report.whatIf.observed.executors).toBe(executors.length);
  expect(report.summary.peakExecutors).toBeLessThanOrEqual(executors.length);
  db.close();
});

test('a Resubmitted task end (map output lost with its executor) counts as failed and adds no task time', async () => {
  const at = (s: number) => 1767225600000 + s * 1000;
  const info = (id: number, executor: string, launch: number, finish: number) => ({
    'Task ID': id, Index: id, Attempt: 0, 'Launch Time': at(launch), 'Executor ID': executor, Host: `h${executor}`, Locality: 'ANY',
    Speculative: false, 'Getting Result Time': 0, 'Finish Time': at(finish), Failed: false, Killed: false,
  });
  const end = (stage: number, reason: string, taskInfo: object, metrics?: object) => ({
    Event: 'SparkListenerTaskEnd', 'Stage ID': stage, 'Stage Attempt ID': 0, 'Task Type': stage === 0 ? 'ShuffleMapTask' : 'ResultTask',
    'Task End Reason': { Reason: reason }, 'Task Info': taskInfo, ...(metrics ? { 'Task Metrics': metrics } : {}),
  });
  const stageInfo = (id: number, tasks: number) => ({ 'Stage ID': id, 'Stage Attempt ID': 0, 'Stage Name': `s${id}`, 'Number of Tasks': tasks, 'Parent IDs': id === 0 ? [] : [0] });
  const ran = { 'Executor Run Time': 9000 };
  const lines = [
    { Event: 'SparkListenerApplicationStart', 'App Name': 'r', 'App ID': 'app-20260101000000-0003', Timestamp: at(0), User: 'u' },
    { Event: 'SparkListenerExecutorAdded', Timestamp: at(0), 'Executor ID': '1', 'Executor Info': { Host: 'h1', 'Total Cores': 2 } },
    { Event: 'SparkListenerExecutorAdded', Timestamp: at(0), 'Executor ID': '2', 'Executor Info': { Host: 'h2', 'Total Cores': 2 } },
    { Event: 'SparkListenerJobStart', 'Job ID': 0, 'Submission Time': at(1), 'Stage Infos': [stageInfo(0, 3), stageInfo(1, 1)], 'Stage IDs': [0, 1] },
    end(0, 'Success', info(0, '1', 1, 11), ran),
    end(0, 'Success', info(1, '2', 1, 11), ran),
    end(0, 'Success', info(2, '2', 11, 21), ran),
    { Event: 'SparkListenerExecutorRemoved', Timestamp: at(22), 'Executor ID': '1', 'Removed Reason': 'lost' },
    // Spark posts task 0 again, same times, without metrics: its output went with executor 1.
    end(0, 'Resubmitted', info(0, '1', 1, 11)),
    end(0, 'Success', info(4, '2', 22, 32), ran),
    end(1, 'Success', info(3, '2', 32, 33), ran),
    { Event: 'SparkListenerJobEnd', 'Job ID': 0, 'Completion Time': at(33), 'Job Result': { Result: 'JobSucceeded' } },
    { Event: 'SparkListenerApplicationEnd', Timestamp: at(34) },
  ];
  const log = path.join(tempDir('sparkopt-resubmitted-'), 'app-20260101000000-0003');
  writeFileSync(log, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const db = await ingested(log);
  expect(await db.all("SELECT task_id, status, duration_ms FROM tasks WHERE end_reason = 'Resubmitted'")).toEqual([{ task_id: 0, status: 'failed', duration_ms: null }]);
  const report = await buildReport(db, 'app-20260101000000-0003', { timeline: true });
  expect(report.summary).toMatchObject({ tasks: 6, failedTasks: 1 });
  expect(report.timeBreakdown.taskTimeMs).toBe(41_000);
  expect(report.stages.find((s) => s.stageId === 0)).toMatchObject({ taskTimeMs: 40_000 });
  expect(report.timeline!.tasks).toHaveLength(5);
  db.close();
});
