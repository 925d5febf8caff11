import type { Db } from '../store/db.js';

/** Detail for the HTML charts: tasks (ms from app start), every stage attempt's span, per-stage durations. */
export interface Timeline {
  appStartMs: number;
  /** At most MAX_TASKS of them, the longest: a huge app's charts draw a sample. */
  tasks: { executorId: string; stageId: number; startMs: number; durationMs: number; status: string }[];
  stages: { stageId: number; attemptId: number; name: string | null; startMs: number | null; endMs: number | null; status: string }[];
  /** Per stage, over all its tasks (every attempt and outcome): how many and how long (discrete quantiles). */
  stageDurations: StageDurations[];
}

export interface StageDurations {
  stageId: number;
  count: number;
  failed: number;
  killed: number;
  min: number;
  q1: number;
  p50: number;
  q3: number;
  max: number;
}

/** Charts of a huge app draw a sample: at most this many tasks, the longest kept first. */
const MAX_TASKS = 20_000;

/** `start`: the app's start as the what-if sees it (its ApplicationStart, or its first task's launch). */
export async function loadTimeline(db: Db, appKey: string, start: number): Promise<Timeline> {
  const tasks = await db.all<{ executor_id: string; stage_id: number; start_ms: number; duration_ms: number; status: string }>(
    `SELECT executor_id, stage_id, epoch_ms(launch_time) - ? AS start_ms, duration_ms, status FROM tasks
     WHERE app_key = ? AND launch_time IS NOT NULL AND duration_ms IS NOT NULL ORDER BY duration_ms DESC LIMIT ?`,
    [start, appKey, MAX_TASKS],
  );
  const stages = await db.all<{ stage_id: number; stage_attempt_id: number; name: string | null; start_ms: number | null; end_ms: number | null; status: string }>(
    `SELECT stage_id, stage_attempt_id, name, epoch_ms(submit_time) - ? AS start_ms, epoch_ms(complete_time) - ? AS end_ms, status
     FROM stages WHERE app_key = ? AND status <> 'skipped' ORDER BY stage_id, stage_attempt_id`,
    [start, start, appKey],
  );
  const stageDurations = await db.all<Record<keyof StageDurations, number>>(
    `SELECT stage_id AS "stageId", count(*) AS count, count(*) FILTER (WHERE status = 'failed') AS failed,
            count(*) FILTER (WHERE status = 'killed') AS killed, min(duration_ms) AS min, quantile_disc(duration_ms, 0.25) AS q1,
            quantile_disc(duration_ms, 0.5) AS p50, quantile_disc(duration_ms, 0.75) AS q3, max(duration_ms) AS max
     FROM tasks WHERE app_key = ? AND duration_ms IS NOT NULL GROUP BY stage_id ORDER BY stage_id`,
    [appKey],
  );
  return {
    appStartMs: start,
    stageDurations,
    tasks: tasks.map((t) => ({ executorId: t.executor_id, stageId: t.stage_id, startMs: t.start_ms, durationMs: t.duration_ms, status: t.status })),
    stages: stages.map((s) => ({ stageId: s.stage_id, attemptId: s.stage_attempt_id, name: s.name, startMs: s.start_ms, endMs: s.end_ms, status: s.status })),
  };
}
