/**
 * Spark's REST objects rebuilt from sparkopt's tables, the way Spark's AppStatusListener builds them from events.
 * Aggregates are SQL over our rows; only list order and paging are done in TypeScript.
 */
import type { Db } from '../../src/store/db.js';

type Row = Record<string, unknown>;

/** Spark's task-end bookkeeping (AppStatusListener.onTaskEnd): Success completes, TaskKilled and TaskCommitDenied kill, every other reason (Resubmitted too) fails. */
const SUCCEEDED = `end_reason = 'Success'`;
const KILLED = `end_reason IN ('TaskKilled', 'TaskCommitDenied')`;
const FAILED = `end_reason NOT IN ('Success', 'TaskKilled', 'TaskCommitDenied')`;
/** A Resubmitted end repeats a task that already ended: Spark adds no metrics for it (its live task is gone). */
const METERED = `end_reason <> 'Resubmitted'`;
/**
 * One entry per TaskKilled end, its kill reason ("unknown reason" when the log has none, as Spark says): the
 * killedTasksSummary counts these. TaskCommitDenied kills are missing: Spark keys them by a text built from fields
 * we do not store.
 */
const KILL_REASONS = `list(coalesce(failure_message, 'unknown reason')) FILTER (WHERE end_reason = 'TaskKilled') AS kill_reasons`;

/** Stage API field → our task column; Spark sums every metered task end, failed and killed ones included. */
export const STAGE_METRICS: Record<string, string> = {
  executorRunTime: 'executor_run_time_ms',
  executorCpuTime: 'executor_cpu_time_ns',
  executorDeserializeTime: 'deserialize_time_ms',
  executorDeserializeCpuTime: 'deserialize_cpu_time_ns',
  resultSize: 'result_size',
  jvmGcTime: 'jvm_gc_time_ms',
  resultSerializationTime: 'result_serialization_ms',
  memoryBytesSpilled: 'memory_bytes_spilled',
  diskBytesSpilled: 'disk_bytes_spilled',
  peakExecutionMemory: 'peak_execution_memory',
  inputBytes: 'input_bytes',
  inputRecords: 'input_records',
  outputBytes: 'output_bytes',
  outputRecords: 'output_records',
  shuffleReadBytes: 'shuffle_read_bytes',
  shuffleRemoteBytesRead: 'shuffle_remote_bytes_read',
  shuffleLocalBytesRead: 'shuffle_local_bytes_read',
  shuffleReadRecords: 'shuffle_read_records',
  shuffleFetchWaitTime: 'shuffle_fetch_wait_ms',
  shuffleWriteBytes: 'shuffle_write_bytes',
  shuffleWriteTime: 'shuffle_write_time_ns',
  shuffleWriteRecords: 'shuffle_write_records',
};

/** TaskData.taskMetrics path → our task column. */
export const TASK_METRICS: Record<string, string> = {
  executorDeserializeTime: 'deserialize_time_ms',
  executorDeserializeCpuTime: 'deserialize_cpu_time_ns',
  executorRunTime: 'executor_run_time_ms',
  executorCpuTime: 'executor_cpu_time_ns',
  resultSize: 'result_size',
  jvmGcTime: 'jvm_gc_time_ms',
  resultSerializationTime: 'result_serialization_ms',
  memoryBytesSpilled: 'memory_bytes_spilled',
  diskBytesSpilled: 'disk_bytes_spilled',
  peakExecutionMemory: 'peak_execution_memory',
  'inputMetrics.bytesRead': 'input_bytes',
  'inputMetrics.recordsRead': 'input_records',
  'outputMetrics.bytesWritten': 'output_bytes',
  'outputMetrics.recordsWritten': 'output_records',
  'shuffleReadMetrics.remoteBytesRead': 'shuffle_remote_bytes_read',
  'shuffleReadMetrics.localBytesRead': 'shuffle_local_bytes_read',
  'shuffleReadMetrics.fetchWaitTime': 'shuffle_fetch_wait_ms',
  'shuffleReadMetrics.recordsRead': 'shuffle_read_records',
  'shuffleWriteMetrics.bytesWritten': 'shuffle_write_bytes',
  'shuffleWriteMetrics.writeTime': 'shuffle_write_time_ns',
  'shuffleWriteMetrics.recordsWritten': 'shuffle_write_records',
};

const ms = (column: string) => `epoch_ms(${column})`;

export async function appAttempts(db: Db): Promise<Row[]> {
  return db.all(`SELECT app_id, app_name, attempt_id, spark_user, spark_version, ${ms('start_time')} AS start_ms,
      ${ms('end_time')} AS end_ms, duration_ms, completed FROM apps`);
}

/**
 * Jobs of one app. A stage attempt belongs to the job that submitted it: the latest job listing the stage that was
 * submitted before the attempt (the lowest listing job when the log has no clocks, as Spark 1.2 logs).
 */
export async function jobs(db: Db, appKey: string): Promise<Row[]> {
  return db.all(`
    WITH j AS (SELECT * FROM jobs WHERE app_key = ?),
    s AS (SELECT * FROM stages WHERE app_key = ?),
    t AS (SELECT * FROM tasks WHERE app_key = ?),
    js AS (SELECT job_id, submit_time, unnest(stage_ids) AS stage_id FROM j),
    owner AS (
      SELECT s.stage_id, s.stage_attempt_id, s.status, s.num_tasks,
        coalesce(max(js.job_id) FILTER (WHERE js.submit_time <= s.submit_time), min(js.job_id)) AS job_id
      FROM s JOIN js USING (stage_id) GROUP BY ALL),
    -- Spark's numTasks sums the stages that had not completed when the job started: those it ran first, and those never run.
    first_attempt AS (SELECT stage_id, arg_min(job_id, stage_attempt_id) AS job_id, arg_min(num_tasks, stage_attempt_id) AS num_tasks,
        bool_and(status = 'skipped') AS never_ran FROM owner GROUP BY stage_id),
    planned AS (SELECT js.job_id, sum(f.num_tasks) AS n FROM js JOIN first_attempt f USING (stage_id)
        WHERE f.never_ran OR f.job_id = js.job_id GROUP BY js.job_id),
    counts AS (SELECT o.job_id, count(*) FILTER (WHERE ${SUCCEEDED}) AS completed, count(*) FILTER (WHERE ${FAILED}) AS failed,
        count(*) FILTER (WHERE ${KILLED}) AS killed, count(DISTINCT (t.stage_id, t.task_index)) FILTER (WHERE ${SUCCEEDED}) AS indices, ${KILL_REASONS}
      FROM t JOIN owner o USING (stage_id, stage_attempt_id) GROUP BY o.job_id),
    ran AS (SELECT job_id, count(DISTINCT stage_id) FILTER (WHERE status = 'complete') AS completed,
        count(*) FILTER (WHERE status = 'failed') AS failed FROM owner GROUP BY job_id),
    -- Stages still pending when the job ends are skipped (their output existed, or the job failed first).
    skipped AS (SELECT js.job_id, count(*) AS stages, sum(f.num_tasks) AS tasks FROM js JOIN first_attempt f USING (stage_id)
        WHERE f.never_ran GROUP BY js.job_id)
    SELECT j.job_id AS "jobId", j.job_group AS "jobGroup",
      (SELECT arg_max(name, stage_id) FROM s WHERE list_contains(j.stage_ids, s.stage_id)) AS name,
      CASE j.result WHEN 'succeeded' THEN 'SUCCEEDED' WHEN 'failed' THEN 'FAILED' ELSE 'RUNNING' END AS status,
      ${ms('j.submit_time')} AS "submissionTime", ${ms('j.end_time')} AS "completionTime", j.stage_ids AS "stageIds",
      coalesce(p.n, 0) AS "numTasks", coalesce(c.completed, 0) AS "numCompletedTasks", coalesce(c.failed, 0) AS "numFailedTasks",
      coalesce(c.killed, 0) AS "numKilledTasks", coalesce(c.indices, 0) AS "numCompletedIndices",
      coalesce(r.completed, 0) AS "numCompletedStages", coalesce(r.failed, 0) AS "numFailedStages",
      coalesce(k.stages, 0) AS "numSkippedStages", coalesce(k.tasks, 0) AS "numSkippedTasks", c.kill_reasons
    FROM j LEFT JOIN planned p USING (job_id) LEFT JOIN counts c USING (job_id) LEFT JOIN ran r USING (job_id)
      LEFT JOIN skipped k USING (job_id)
    ORDER BY j.job_id DESC`, [appKey, appKey, appKey]);
}

export async function stages(db: Db, appKey: string): Promise<Row[]> {
  const sums = Object.entries(STAGE_METRICS).map(([f, c]) => `coalesce(sum(${c}) FILTER (WHERE ${METERED}), 0) AS "${f}"`);
  return db.all(`
    WITH t AS (SELECT * FROM tasks WHERE app_key = ?),
    agg AS (SELECT stage_id, stage_attempt_id, count(*) FILTER (WHERE ${SUCCEEDED}) AS "numCompleteTasks",
        count(*) FILTER (WHERE ${FAILED}) AS "numFailedTasks", count(*) FILTER (WHERE ${KILLED}) AS "numKilledTasks",
        count(DISTINCT task_index) FILTER (WHERE ${SUCCEEDED}) AS "numCompletedIndices",
        ${ms('min(launch_time) FILTER (WHERE ' + METERED + ')')} AS "firstTaskLaunchedTime", ${KILL_REASONS},
        ${sums.join(', ')}
      FROM t GROUP BY ALL)
    SELECT s.stage_id AS "stageId", s.stage_attempt_id AS "attemptId", upper(s.status) AS status, s.name, s.num_tasks AS "numTasks",
      ${ms('s.submit_time')} AS "submissionTime", ${ms('s.complete_time')} AS "completionTime", s.failure_reason AS "failureReason",
      coalesce("numCompleteTasks", 0) AS "numCompleteTasks", coalesce("numFailedTasks", 0) AS "numFailedTasks",
      coalesce("numKilledTasks", 0) AS "numKilledTasks", coalesce("numCompletedIndices", 0) AS "numCompletedIndices",
      "firstTaskLaunchedTime", kill_reasons, ${Object.keys(STAGE_METRICS).map((f) => `coalesce("${f}", 0) AS "${f}"`).join(', ')}
    FROM stages s LEFT JOIN agg USING (stage_id, stage_attempt_id)
    WHERE s.app_key = ? ORDER BY s.stage_id DESC, s.stage_attempt_id DESC`, [appKey, appKey]);
}

/** Task ends of one stage attempt as TaskData: metrics only when the end carried Task Metrics; partitionId -1 before Spark 3.3 (Spark's default). */
export async function stageTasks(db: Db, appKey: string, stageId: number, attemptId: number): Promise<Row[]> {
  const metrics = Object.entries(TASK_METRICS).map(([f, c]) => `coalesce(${c}, 0) AS "m.${f}"`);
  return db.all(`
    SELECT task_id AS "taskId", task_index AS "index", task_attempt AS "attempt", coalesce(partition_id, -1) AS "partitionId",
      ${ms('launch_time')} AS "launchTime", duration_ms AS duration, executor_id AS "executorId", host, upper(status) AS status,
      locality AS "taskLocality", speculative, executor_run_time_ms IS NOT NULL AS has_metrics, ${metrics.join(', ')}
    FROM tasks WHERE app_key = ? AND stage_id = ? AND stage_attempt_id = ? AND ${METERED}
    ORDER BY task_id`, [appKey, stageId, attemptId]);
}

/**
 * Executors of one app with Spark's per-executor task totals. Spark counts totalTasks at task start; we count the
 * task ends that match a start (every end but Resubmitted). totalCores is 0 for the driver, as in Spark. Spark 4
 * reports the driver's totalDuration as the app's duration (local-1422981780767: 9011 ms, its tasks sum to 8820 ms).
 */
export async function executors(db: Db, appKey: string, driverDuration: 'app' | 'tasks'): Promise<Row[]> {
  return db.all(`
    WITH t AS (SELECT * FROM tasks WHERE app_key = ?),
    agg AS (SELECT executor_id, count(*) FILTER (WHERE ${METERED}) AS "totalTasks",
        count(*) FILTER (WHERE ${SUCCEEDED}) AS "completedTasks", count(*) FILTER (WHERE ${FAILED}) AS "failedTasks",
        coalesce(sum(duration_ms), 0) AS task_time,
        coalesce(sum(input_bytes) FILTER (WHERE ${METERED}), 0) AS "totalInputBytes",
        coalesce(sum(shuffle_read_bytes) FILTER (WHERE ${METERED}), 0) AS "totalShuffleRead",
        coalesce(sum(shuffle_write_bytes) FILTER (WHERE ${METERED}), 0) AS "totalShuffleWrite",
        coalesce(sum(jvm_gc_time_ms) FILTER (WHERE ${METERED}), 0) AS "totalGCTime"
      FROM t GROUP BY ALL)
    SELECT e.executor_id AS id, e.host, coalesce(e.total_cores, 0) AS "totalCores",
      coalesce("totalTasks", 0) AS "totalTasks", coalesce("completedTasks", 0) AS "completedTasks", coalesce("failedTasks", 0) AS "failedTasks",
      CASE WHEN e.executor_id = 'driver' AND ? = 'app' THEN (SELECT duration_ms FROM apps WHERE app_key = e.app_key)
        ELSE coalesce(task_time, 0) END AS "totalDuration",
      coalesce("totalInputBytes", 0) AS "totalInputBytes", coalesce("totalShuffleRead", 0) AS "totalShuffleRead",
      coalesce("totalShuffleWrite", 0) AS "totalShuffleWrite", coalesce("totalGCTime", 0) AS "totalGCTime",
      e.max_memory AS "maxMemory", ${ms('e.add_time')} AS "addTime", ${ms('e.remove_time')} AS "removeTime",
      e.removed_reason AS "removeReason", e.remove_time IS NULL AS "isActive"
    FROM executors e LEFT JOIN agg USING (executor_id)
    WHERE e.app_key = ? ORDER BY e.executor_id DESC`, [appKey, driverDuration, appKey]);
}

/** One stage attempt's tasks per executor (StageData.executorSummary). */
export async function stageExecutors(db: Db, appKey: string, stageId: number, attemptId: number): Promise<Row[]> {
  const sum = (column: string, field: string) => `coalesce(sum(${column}) FILTER (WHERE ${METERED}), 0) AS "${field}"`;
  return db.all(`
    SELECT executor_id AS id, coalesce(sum(duration_ms), 0) AS "taskTime", count(*) FILTER (WHERE ${SUCCEEDED}) AS "succeededTasks",
      count(*) FILTER (WHERE ${FAILED}) AS "failedTasks", count(*) FILTER (WHERE ${KILLED}) AS "killedTasks",
      ${sum('input_bytes', 'inputBytes')}, ${sum('input_records', 'inputRecords')}, ${sum('output_bytes', 'outputBytes')},
      ${sum('output_records', 'outputRecords')}, ${sum('shuffle_read_bytes', 'shuffleRead')}, ${sum('shuffle_read_records', 'shuffleReadRecords')},
      ${sum('shuffle_write_bytes', 'shuffleWrite')}, ${sum('shuffle_write_records', 'shuffleWriteRecords')},
      ${sum('memory_bytes_spilled', 'memoryBytesSpilled')}, ${sum('disk_bytes_spilled', 'diskBytesSpilled')}
    FROM tasks WHERE app_key = ? AND stage_id = ? AND stage_attempt_id = ? GROUP BY executor_id ORDER BY executor_id`,
  [appKey, stageId, attemptId]);
}

/** Speculative task ends per stage attempt (StageData.speculationSummary). */
export async function stageSpeculation(db: Db, appKey: string): Promise<Row[]> {
  return db.all(`
    SELECT stage_id, stage_attempt_id, count(*) FILTER (WHERE ${METERED}) AS "numTasks",
      count(*) FILTER (WHERE ${SUCCEEDED}) AS "numCompletedTasks", count(*) FILTER (WHERE ${FAILED}) AS "numFailedTasks",
      count(*) FILTER (WHERE ${KILLED}) AS "numKilledTasks"
    FROM tasks WHERE app_key = ? AND speculative GROUP BY ALL`, [appKey]);
}
