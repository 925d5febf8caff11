import type { Db } from '../store/db.js';
import { loadFacts } from './facts.js';
import { bySeverity, DEFAULT_THRESHOLDS, type Finding, type Thresholds } from './findings.js';
import { rules } from './rules/index.js';
import { loadSimInput } from './what-if-input.js';
import type { WhatIf } from './what-if-types.js';
import { simulateWhatIf } from './what-if.js';
import { loadTimeline, type Timeline } from './timeline.js';

/** Everything `sparkopt report` says about one run. Its JSON form is a contract: keys are only ever added. */
export interface Report {
  app: { key: string; id: string; attemptId: string | null; name: string | null; user: string | null; sparkVersion: string | null; startTime: string | null; endTime: string | null; durationMs: number | null; completed: boolean };
  summary: {
    executors: number; removedExecutors: number; peakExecutors: number; cores: number; tasks: number; failedTasks: number; killedTasks: number;
    stages: number; failedStages: number; jobs: number; failedJobs: number;
    inputBytes: number; outputBytes: number; shuffleReadBytes: number; shuffleWriteBytes: number; memorySpillBytes: number; diskSpillBytes: number;
  };
  timeBreakdown: {
    durationMs: number; driverMs: number; executorMs: number; taskTimeMs: number; runTimeMs: number;
    /** Null when the log has no CPU times (Spark before 2.1). */
    cpuTimeMs: number | null;
    gcTimeMs: number;
    shuffleWaitMs: number; serializationMs: number; efficiency: number | null; speedup: number | null;
  };
  /** The stage attempts with the most task time, most first. */
  stages: {
    stageId: number; attemptId: number; name: string | null; status: string; tasks: number; wallMs: number | null; taskTimeMs: number;
    taskP50Ms: number | null; taskMaxMs: number | null; inputBytes: number; shuffleReadBytes: number; shuffleWriteBytes: number; spillBytes: number; failedTasks: number;
  }[];
  findings: Finding[];
  whatIf: WhatIf;
  criticalPathMs: number;
  idealMs: number;
  /** Per-task and per-stage detail for charts; only with `timeline: true` (the HTML report). */
  timeline?: Timeline;
}

export interface ReportOptions {
  thresholds?: Partial<Thresholds>;
  topStages?: number;
  timeline?: boolean;
}

export async function buildReport(db: Db, appKey: string, options: ReportOptions = {}): Promise<Report> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds } as Thresholds;
  const facts = await loadFacts(db, appKey);
  const simInput = await loadSimInput(db, appKey);
  const whatIf = simulateWhatIf(simInput);
  const [app] = await db.all(APP_SQL, [appKey]);
  const [totals] = await db.all(TOTALS_SQL, [appKey]);
  const stages = await db.all(TOP_STAGES_SQL, [appKey, options.topStages ?? 10]);
  const n = (v: unknown) => Number(v ?? 0);
  const report: Report = {
    app: {
      key: appKey, id: String(app!.app_id), attemptId: (app!.attempt_id as string) ?? null, name: (app!.app_name as string) ?? null,
      user: (app!.spark_user as string) ?? null, sparkVersion: (app!.spark_version as string) ?? null,
      startTime: iso(app!.start_time), endTime: iso(app!.end_time), durationMs: (app!.duration_ms as number) ?? null, completed: Boolean(app!.completed),
    },
    summary: {
      executors: n(totals!.executors), removedExecutors: n(totals!.removed_executors), peakExecutors: n(facts.efficiency?.peak_executors), cores: n(facts.efficiency?.peak_cores),
      tasks: n(totals!.tasks), failedTasks: facts.tasks.failed, killedTasks: facts.tasks.killed, stages: n(totals!.stages), failedStages: n(totals!.failed_stages),
      jobs: n(totals!.jobs), failedJobs: n(totals!.failed_jobs), inputBytes: n(totals!.input_bytes), outputBytes: n(totals!.output_bytes),
      shuffleReadBytes: n(totals!.shuffle_read_bytes), shuffleWriteBytes: n(totals!.shuffle_write_bytes),
      memorySpillBytes: n(totals!.memory_spill_bytes), diskSpillBytes: n(totals!.disk_spill_bytes),
    },
    timeBreakdown: {
      durationMs: n(app!.duration_ms), driverMs: n(facts.speedup?.sequential_ms), executorMs: n(facts.speedup?.parallel_ms),
      taskTimeMs: n(totals!.task_time_ms), runTimeMs: n(totals!.run_time_ms), cpuTimeMs: (totals!.cpu_time_ms as number | null) ?? null, gcTimeMs: n(totals!.gc_time_ms),
      shuffleWaitMs: n(totals!.shuffle_wait_ms), serializationMs: n(totals!.serialization_ms),
      efficiency: facts.efficiency?.efficiency ?? null, speedup: facts.speedup?.speedup ?? null,
    },
    stages: stages.map((s) => ({
      stageId: n(s.stage_id), attemptId: n(s.stage_attempt_id), name: (s.name as string) ?? null, status: String(s.status), tasks: n(s.tasks),
      wallMs: (s.wall_ms as number) ?? null, taskTimeMs: n(s.task_time_ms), taskP50Ms: (s.task_p50_ms as number) ?? null, taskMaxMs: (s.task_max_ms as number) ?? null,
      inputBytes: n(s.input_bytes), shuffleReadBytes: n(s.shuffle_read_bytes), shuffleWriteBytes: n(s.shuffle_write_bytes),
      spillBytes: n(s.memory_spill_bytes), failedTasks: n(s.failed_tasks),
    })),
    findings: rules.flatMap((rule) => rule(facts, thresholds)).sort(bySeverity),
    whatIf,
    criticalPathMs: whatIf.criticalPathMs,
    idealMs: whatIf.idealMs,
  };
  if (options.timeline) report.timeline = await loadTimeline(db, appKey, simInput.appStartMs);
  return report;
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : null;
}

const APP_SQL = 'SELECT * FROM apps WHERE app_key = ?';

const TOTALS_SQL = `SELECT
  (SELECT count(*) FROM executors WHERE app_key = $1 AND executor_id <> 'driver') AS executors,
  (SELECT count(*) FROM executors WHERE app_key = $1 AND remove_time IS NOT NULL) AS removed_executors,
  (SELECT count(*) FROM stages WHERE app_key = $1 AND status <> 'skipped') AS stages,
  (SELECT count(*) FROM stages WHERE app_key = $1 AND status = 'failed') AS failed_stages,
  (SELECT count(*) FROM jobs WHERE app_key = $1) AS jobs,
  (SELECT count(*) FROM jobs WHERE app_key = $1 AND result = 'failed') AS failed_jobs,
  count(*) AS tasks, sum(duration_ms) AS task_time_ms, sum(executor_run_time_ms) AS run_time_ms,
  sum(executor_cpu_time_ns) // 1000000 AS cpu_time_ms, sum(jvm_gc_time_ms) AS gc_time_ms, sum(shuffle_fetch_wait_ms) AS shuffle_wait_ms,
  sum(coalesce(deserialize_time_ms, 0) + coalesce(result_serialization_ms, 0)) AS serialization_ms,
  sum(input_bytes) AS input_bytes, sum(output_bytes) AS output_bytes, sum(shuffle_read_bytes) AS shuffle_read_bytes,
  sum(shuffle_write_bytes) AS shuffle_write_bytes, sum(memory_bytes_spilled) AS memory_spill_bytes, sum(disk_bytes_spilled) AS disk_spill_bytes
FROM tasks WHERE app_key = $1`;

const TOP_STAGES_SQL = `SELECT * FROM stage_summary WHERE app_key = $1 AND tasks > 0
ORDER BY task_time_ms DESC NULLS LAST, stage_id LIMIT $2`;
