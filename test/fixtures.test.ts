import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES } from '../fixtures/catalog.js';
import { SECRETS, synthApp } from '../fixtures/synth-app.js';
import { REDACTED } from '../src/events/redact.js';
import type { Db } from '../src/store/db.js';
import { ingested } from './ingested.js';
import { FIXTURE_LOGS as LOGS } from './raw-events.js';

// The committed example logs need no corpus: these tests run on every fresh clone.
describe('the example logs in fixtures/logs', () => {
  let db: Db & Awaited<ReturnType<typeof ingested>>;
  beforeAll(async () => {
    db = await ingested(LOGS);
  });
  afterAll(() => db.close());

  test('are all read: one app per log, both YARN attempts, the cut ones marked incomplete', () => {
    expect(db.summary.failures).toEqual([]);
    expect(db.summary.logs).toBe(FIXTURES.length);
    expect(db.summary.skippedFiles).toBe(2);
    expect(db.summary.incomplete).toBe(FIXTURES.filter((f) => !f.options.completes).length);
  });

  for (const fixture of FIXTURES.filter((f) => f.options.completes)) {
    test(`${fixture.path} (${fixture.layout}) gives the rows its generator says it holds`, async () => {
      const { counts } = synthApp(fixture.options);
      const appKey = fixture.options.attemptId ? `${fixture.options.appId}_${fixture.options.attemptId}` : fixture.options.appId;
      const [row] = await db.all(
        `SELECT a.completed, a.events, a.unknown_events,
          (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key) AS tasks,
          (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key AND status = 'failed') AS tasks_failed,
          (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key AND status = 'killed') AS tasks_killed,
          (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key AND speculative) AS tasks_speculative,
          (SELECT count(*) FROM jobs j WHERE j.app_key = a.app_key) AS jobs,
          (SELECT count(*) FROM jobs j WHERE j.app_key = a.app_key AND result = 'failed') AS jobs_failed,
          (SELECT count(DISTINCT stage_id) FROM stages s WHERE s.app_key = a.app_key) AS stages,
          (SELECT count(*) FROM stages s WHERE s.app_key = a.app_key AND status = 'skipped') AS stages_skipped,
          (SELECT count(*) FROM stages s WHERE s.app_key = a.app_key AND status = 'failed') AS stage_attempts_failed,
          (SELECT count(*) FROM executors e WHERE e.app_key = a.app_key AND executor_id <> 'driver') AS executors,
          (SELECT count(*) FROM executors e WHERE e.app_key = a.app_key AND remove_time IS NOT NULL) AS executors_removed,
          (SELECT count(*) FROM sql_executions q WHERE q.app_key = a.app_key) AS sql_executions
        FROM apps a WHERE app_key = ?`,
        [appKey],
      );
      expect(row).toEqual({
        completed: true, events: counts.events, unknown_events: counts.customEvents,
        tasks: counts.tasks, tasks_failed: counts.tasksFailed, tasks_killed: counts.tasksKilled, tasks_speculative: counts.tasksSpeculative,
        jobs: counts.jobs, jobs_failed: counts.jobsFailed, stages: counts.stages, stages_skipped: counts.stagesSkipped,
        stage_attempts_failed: counts.stageAttemptsFailed, executors: counts.executors, executors_removed: counts.executorsRemoved,
        sql_executions: counts.sqlExecutions,
      });
    });
  }

  test('secrets in Spark properties are redacted; no secret value is stored anywhere', async () => {
    const redacted = await db.all<{ name: string }>(`SELECT DISTINCT name FROM spark_properties WHERE value = ? ORDER BY name`, [REDACTED]);
    expect(redacted.map((r) => r.name)).toEqual([
      'spark.hadoop.fs.s3a.access.key', 'spark.hadoop.fs.s3a.secret.key', 'spark.some.token', 'spark.ssl.keyStorePassword',
    ]);
    for (const secret of Object.values(SECRETS)) {
      expect(await db.all('SELECT name FROM spark_properties WHERE contains(value, ?)', [secret])).toEqual([]);
    }
    expect(await db.all("SELECT value FROM spark_properties WHERE app_key = 'app-20260301101500-0001' AND name = 'spark.executor.memory'")).toEqual([
      { value: expect.stringMatching(/^\d+[gm]$/) },
    ]);
  });

  test('the Databricks folder is one app, its rolled part read before the current one', async () => {
    expect(await db.all("SELECT part_index, codec, complete FROM ingested_files WHERE log_path LIKE '%/databricks' ORDER BY part_index")).toEqual([
      { part_index: 0, codec: 'gzip', complete: true },
      { part_index: 1, codec: 'plain', complete: true },
    ]);
  });
});
