import type { Db } from '../store/db.js';

/** Rows of the views for one app: what the rules judge. */
export interface Facts {
  stageSkew: { stage_id: number; stage_attempt_id: number; tasks: number; max_task_ms: number; median_task_ms: number; duration_skew: number | null; read_skew: number | null; max_task_share_of_stage: number | null; max_read_bytes: number; median_read_bytes: number }[];
  spill: { stage_id: number | null; stage_attempt_id: number | null; memory_spill_bytes: number | null; disk_spill_bytes: number | null; spill_ratio: number | null; spills: boolean }[];
  gc: { executor_id: string | null; gc_time_ms: number | null; run_time_ms: number | null; gc_ratio: number | null; severity: string }[];
  failures: { kind: string; outcome: string; reason: string | null; count: number; example: string | null; memory_kill: boolean; container_kill: boolean }[];
  efficiency: { executors: number; allocated_core_ms: number; busy_core_ms: number; efficiency: number | null; idle_executors: number; peak_executors: number; peak_cores: number } | undefined;
  speedup: { duration_ms: number | null; parallel_ms: number; sequential_ms: number; one_core_ms: number; speedup: number | null } | undefined;
  tasks: { tasks: number; failed: number; killed: number };
}

export async function loadFacts(db: Db, appKey: string): Promise<Facts> {
  const q = <T>(sql: string) => db.all<T & Record<string, unknown>>(sql, [appKey]);
  const [efficiency] = await q<Facts['efficiency'] & object>('SELECT * FROM executor_efficiency WHERE app_key = ?');
  const [speedup] = await q<Facts['speedup'] & object>('SELECT * FROM app_speedup WHERE app_key = ?');
  const [tasks] = await q<Facts['tasks']>(
    "SELECT count(*) AS tasks, count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'killed') AS killed FROM tasks WHERE app_key = ?",
  );
  return {
    stageSkew: await q('SELECT * FROM stage_skew WHERE app_key = ? ORDER BY stage_id, stage_attempt_id'),
    spill: await q('SELECT * FROM spill WHERE app_key = ? ORDER BY stage_id NULLS FIRST, stage_attempt_id'),
    gc: await q('SELECT * FROM gc WHERE app_key = ? ORDER BY executor_id NULLS FIRST'),
    failures: await q('SELECT * FROM failures WHERE app_key = ? ORDER BY kind, count DESC, reason'),
    efficiency,
    speedup,
    tasks: tasks!,
  };
}
