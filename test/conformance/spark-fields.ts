/**
 * Which fields of Spark's REST objects are compared, and how each side is brought to one shape: golden JSON
 * (dates as Spark's strings, absent = None) and our rows (TIMESTAMPs already epoch ms, NULL = absent).
 */
import { sparkTime } from './spark-cases.js';
import { STAGE_METRICS, TASK_METRICS } from './spark-model.js';

type Obj = Record<string, unknown>;

export interface Fields {
  plain: string[];
  /** Dates, compared as epoch ms. */
  times: string[];
}

/*
 * Left out of the comparisons, each for the reason given:
 * - jobs: description and jobTags (spark.job.description and spark.job.tags are not stored);
 *   numActiveTasks/numActiveStages (task starts are not stored).
 * - stages: accumulatorUpdates, details (call site), rddIds, schedulingPool, resourceProfileId, peakExecutorMetrics,
 *   executorMetricsDistributions, taskMetricsDistributions, isShufflePushEnabled, shuffleMergersCount,
 *   shuffle*BlocksFetched, shuffleRemoteBytesReadToDisk, shuffleRemoteReqsDuration, shuffleCorruptMergedBlockChunks and
 *   shuffleMerged* (none of these is stored); numActiveTasks (task starts are not stored).
 * - stage executorSummary: peakMemoryMetrics and isBlacklistedForStage/isExcludedForStage (not stored).
 * - stage speculationSummary: numActiveTasks (task starts are not stored).
 * - tasks: accumulatorUpdates, executorLogs, gettingResultTime and schedulerDelay (Getting Result Time is not stored),
 *   errorMessage (Spark prints the full stack trace, not stored), shuffle block counts, remoteBytesReadToDisk,
 *   remoteReqsDuration, shufflePushReadMetrics (not stored).
 * - executors: port of hostPort, rddBlocks, memoryUsed, diskUsed, maxTasks, activeTasks, executorLogs, attributes,
 *   resources, memoryMetrics, peakMemoryMetrics, blacklistedInStages/excludedInStages, isBlacklisted/isExcluded,
 *   resourceProfileId (not stored); the driver's totalGCTime in Spark 4 goldens (see the executors test).
 * - app attempts: lastUpdated/lastUpdatedEpoch (file modification time, blanked by Spark's own suite).
 */
export const JOB_FIELDS: Fields = {
  plain: ['jobId', 'jobGroup', 'name', 'status', 'stageIds', 'numTasks', 'numCompletedTasks', 'numFailedTasks', 'numKilledTasks', 'numCompletedIndices',
    'numCompletedStages', 'numFailedStages', 'numSkippedStages', 'numSkippedTasks', 'killedTasksSummary'],
  times: ['submissionTime', 'completionTime'],
};

export const STAGE_FIELDS: Fields = {
  plain: ['stageId', 'attemptId', 'status', 'name', 'numTasks', 'numCompleteTasks', 'numFailedTasks', 'numKilledTasks',
    'numCompletedIndices', 'failureReason', 'killedTasksSummary', ...Object.keys(STAGE_METRICS)],
  times: ['submissionTime', 'completionTime', 'firstTaskLaunchedTime'],
};

export const STAGE_EXECUTOR_FIELDS: Fields = {
  plain: ['taskTime', 'succeededTasks', 'failedTasks', 'killedTasks', 'inputBytes', 'inputRecords', 'outputBytes', 'outputRecords',
    'shuffleRead', 'shuffleReadRecords', 'shuffleWrite', 'shuffleWriteRecords', 'memoryBytesSpilled', 'diskBytesSpilled'],
  times: [],
};

export const SPECULATION_FIELDS: Fields = { plain: ['numTasks', 'numCompletedTasks', 'numFailedTasks', 'numKilledTasks'], times: [] };

export const TASK_FIELDS: Fields = {
  plain: ['taskId', 'index', 'attempt', 'partitionId', 'duration', 'executorId', 'host', 'status', 'taskLocality', 'speculative'],
  times: ['launchTime'],
};

export const EXECUTOR_FIELDS: Fields = {
  plain: ['id', 'host', 'totalCores', 'totalTasks', 'completedTasks', 'failedTasks', 'totalDuration', 'totalInputBytes',
    'totalShuffleRead', 'totalShuffleWrite', 'totalGCTime', 'maxMemory', 'removeReason', 'isActive'],
  times: ['addTime', 'removeTime'],
};

/** The compared fields of a golden object. */
export function expected(g: Obj, fields: Fields): Obj {
  const out: Obj = {};
  for (const f of fields.plain) out[f] = g[f] ?? null;
  for (const f of fields.times) out[f] = sparkTime(g[f]);
  return out;
}

/** The compared fields of one of our rows (already named like Spark's fields). */
export function actual(row: Obj, fields: Fields): Obj {
  const out: Obj = {};
  if ('kill_reasons' in row) row = { ...row, killedTasksSummary: countBy((row.kill_reasons as string[] | null) ?? []) };
  for (const f of [...fields.plain, ...fields.times]) out[f] = row[f] ?? null;
  return out;
}

/** A golden task with its metrics (absent when the task had none), restricted to the compared fields. */
export function expectedTask(g: Obj): Obj {
  const metrics = g.taskMetrics as Obj | undefined;
  const picked = metrics === undefined ? null : Object.fromEntries(Object.keys(TASK_METRICS).map((path) => [path, dig(metrics, path) ?? null]));
  return { ...expected(g, TASK_FIELDS), taskMetrics: picked };
}

export function actualTask(row: Obj): Obj {
  const metrics = row.has_metrics ? Object.fromEntries(Object.keys(TASK_METRICS).map((path) => [path, row[`m.${path}`]])) : null;
  return { ...actual(row, TASK_FIELDS), taskMetrics: metrics };
}

/** An executor's hostPort is `host:port`; only the host is stored. */
export function expectedExecutor(g: Obj): Obj {
  const hostPort = String(g.hostPort);
  return expected({ ...g, host: hostPort.slice(0, hostPort.lastIndexOf(':')) }, EXECUTOR_FIELDS);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function dig(obj: Obj, path: string): unknown {
  let value: unknown = obj;
  for (const key of path.split('.')) value = (value as Obj | undefined)?.[key];
  return value;
}
