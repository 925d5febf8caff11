import type { Db } from '../store/db.js';
import { pushTo } from '../collections.js';
import type { SimExecutor, SimInput, SimJob, SimStage, SimTask } from './what-if-types.js';

/** Reads what the what-if simulation needs of one app: every task that ran, the DAG, jobs and executors. */
export async function loadSimInput(db: Db, appKey: string): Promise<SimInput> {
  const [app] = await db.all<{ start_ms: number | null; end_ms: number | null; last_ms: number | null }>(
    `SELECT epoch_ms(start_time) AS start_ms, epoch_ms(end_time) AS end_ms, epoch_ms(last_event_time) AS last_ms
     FROM apps WHERE app_key = ?`,
    [appKey],
  );
  // Failed, killed and speculative attempts held a core as long as successful ones, so all of them are replayed.
  // Streamed into objects of one fixed shape: a big app has millions of tasks, and each byte per task counts.
  const tasks: SimTask[] = [];
  await db.eachChunk(
    `SELECT stage_id, stage_attempt_id, coalesce(executor_id, ''), epoch_ms(launch_time), duration_ms, task_index FROM tasks
     WHERE app_key = ? AND launch_time IS NOT NULL AND duration_ms IS NOT NULL
     ORDER BY launch_time, task_id`,
    [appKey],
    (columns, rowCount) => {
      const [stageIds, attempts, executorIds, launches, durations, indexes] = columns as [number[], number[], string[], number[], number[], (number | null)[]];
      for (let i = 0; i < rowCount; i++) {
        tasks.push({
          stageId: stageIds[i]!, stageAttemptId: attempts[i]!, executorId: executorIds[i]!, launchMs: launches[i]!, durationMs: durations[i]!, index: indexes[i]!,
        });
      }
    },
  );
  // Skipped stages never ran: their output was reused, so they neither take time nor hold their children back.
  const stages = await db.all<StageRow>(
    `SELECT stage_id, stage_attempt_id, parent_ids, epoch_ms(submit_time) AS submit_ms, epoch_ms(complete_time) AS complete_ms
     FROM stages WHERE app_key = ? AND status <> 'skipped' ORDER BY stage_id, stage_attempt_id`,
    [appKey],
  );
  const jobs = await db.all<{ submit_ms: number | null; end_ms: number | null; stage_ids: number[] | null }>(
    `SELECT epoch_ms(submit_time) AS submit_ms, epoch_ms(end_time) AS end_ms, stage_ids
     FROM jobs WHERE app_key = ? ORDER BY job_id`,
    [appKey],
  );
  const executors = await db.all<ExecutorRow>(
    `SELECT executor_id, total_cores, epoch_ms(add_time) AS add_ms, epoch_ms(remove_time) AS remove_ms, resource_profile_id
     FROM app_executors WHERE app_key = ? ORDER BY add_time, executor_id`,
    [appKey],
  );
  const [cpus] = await db.all<{ value: string }>("SELECT value FROM spark_properties WHERE app_key = ? AND name = 'spark.task.cpus'", [appKey]);
  const taskCpus = Math.max(1, Number.parseInt(cpus?.value ?? '1', 10) || 1);
  const firstLaunch = tasks.length > 0 ? tasks[0]!.launchMs : null;
  const lastFinish = tasks.reduce<number | null>((m, t) => Math.max(m ?? -Infinity, t.launchMs + t.durationMs), null);
  const appStartMs = app?.start_ms ?? firstLaunch ?? 0;
  const appEndMs = app?.end_ms ?? app?.last_ms ?? lastFinish ?? appStartMs;
  return {
    appStartMs,
    appEndMs,
    tasks,
    stages: withParents(stages, jobs),
    // A job without a submission time (its start event was lost) cannot be placed; its tasks fall back to spans.
    jobs: jobs.filter((j) => j.submit_ms !== null).map((j): SimJob => ({
      submitMs: j.submit_ms!, endMs: j.end_ms, stageIds: j.stage_ids ?? [],
    })),
    executors: withCores(executors, tasks, appStartMs, taskCpus),
    taskCpus,
  };
}

type StageRow = { stage_id: number; stage_attempt_id: number; parent_ids: number[] | null; submit_ms: number | null; complete_ms: number | null };

/**
 * Stages with their parents. Logs before Spark 1.4 name no parents; there a stage is taken to wait for the stages
 * of its job that completed before it was submitted, which is what the scheduler made it do.
 */
function withParents(rows: StageRow[], jobs: { stage_ids: number[] | null }[]): SimStage[] {
  const jobsOf = new Map<number, Set<number>>();
  for (const job of jobs) {
    for (const id of job.stage_ids ?? []) {
      const siblings = jobsOf.get(id) ?? new Set<number>();
      for (const other of job.stage_ids ?? []) siblings.add(other);
      jobsOf.set(id, siblings);
    }
  }
  return rows.map((s): SimStage => {
    const submit = s.submit_ms;
    const inferred = () => rows
      .filter((o) => o.stage_id !== s.stage_id && jobsOf.get(s.stage_id)?.has(o.stage_id) && o.complete_ms !== null && submit !== null && o.complete_ms <= submit)
      .map((o) => o.stage_id);
    return {
      stageId: s.stage_id, stageAttemptId: s.stage_attempt_id, parentIds: s.parent_ids ?? [...new Set(inferred())], submitMs: s.submit_ms, completeMs: s.complete_ms,
    };
  });
}

type ExecutorRow = { executor_id: string; total_cores: number | null; add_ms: number | null; remove_ms: number | null; resource_profile_id: number | null };

/**
 * Executors that offer cores (of the app_executors view: in local mode, the driver, which registers as one). An
 * executor that ran tasks but whose cores the log never gave (Spark 1.x writes no ExecutorAdded) gets the cores
 * of as many tasks as it ran at once.
 */
function withCores(rows: ExecutorRow[], tasks: SimTask[], appStartMs: number, taskCpus: number): SimExecutor[] {
  const firstLaunch = new Map<string, number>();
  for (const t of tasks) firstLaunch.set(t.executorId, Math.min(firstLaunch.get(t.executorId) ?? Infinity, t.launchMs));
  // A task ran on it, so it was there: some test logs splice in executor events from years later.
  const known = rows.filter((e) => (e.total_cores ?? 0) > 0).map((e): SimExecutor => ({
    executorId: e.executor_id, cores: e.total_cores!, addMs: Math.min(e.add_ms ?? appStartMs, firstLaunch.get(e.executor_id) ?? Infinity),
    removeMs: e.remove_ms, resourceProfileId: e.resource_profile_id,
  }));
  const seen = new Set(known.map((e) => e.executorId));
  const events = new Map<string, { at: number; d: number }[]>();
  for (const t of tasks) {
    if (seen.has(t.executorId)) continue;
    pushTo(events, t.executorId, { at: t.launchMs, d: 1 });
    pushTo(events, t.executorId, { at: t.launchMs + t.durationMs, d: -1 });
  }
  const inferred = [...events].map(([executorId, list]): SimExecutor => {
    const row = rows.find((r) => r.executor_id === executorId);
    const launched = firstLaunch.get(executorId)!;
    return {
      executorId, cores: Math.max(1, peakConcurrent(list)) * taskCpus, addMs: Math.min(row?.add_ms ?? launched, launched), removeMs: row?.remove_ms ?? null,
      resourceProfileId: row?.resource_profile_id ?? null,
    };
  });
  return [...known, ...inferred];
}

/**
 * The most at once of things that start (`d` = 1) and end (`d` = -1) at `at`. At equal times the ending goes
 * first: a task ending in the same ms as another starts does not run beside it, a replacement executor is not a
 * second one. Sorts `events`.
 */
export function peakConcurrent(events: { at: number; d: number }[]): number {
  events.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (now += e.d));
  return peak;
}

/**
 * How many cores of each pool (resource profile) sat idle in the real run, over time: what tells a driver-side
 * wait from a wait for busy cores. Kept as sorted times in typed arrays: objects per change cost a report of
 * a big app (millions of tasks) about 150 bytes per task.
 */
export class RealCores {
  private readonly steps = new Map<number, Steps>();

  constructor(input: SimInput, profileOf: Map<string, number>) {
    const executors = new Map<number, { at: number; d: number }[]>();
    for (const e of input.executors) {
      const slots = slotsOf(e.cores, input.taskCpus);
      pushTo(executors, e.resourceProfileId ?? 0, { at: e.addMs, d: slots });
      if (e.removeMs !== null) pushTo(executors, e.resourceProfileId ?? 0, { at: e.removeMs, d: -slots });
    }
    const launches = new Map<number, number[]>();
    const finishes = new Map<number, number[]>();
    for (const t of input.tasks) {
      const pool = profileOf.get(t.executorId);
      if (pool === undefined) continue;
      pushTo(launches, pool, t.launchMs);
      pushTo(finishes, pool, t.launchMs + t.durationMs);
    }
    for (const pool of new Set([...executors.keys(), ...launches.keys()])) {
      const changes = (executors.get(pool) ?? []).sort((a, b) => a.at - b.at);
      this.steps.set(pool, stepsOf(sorted(launches.get(pool)), sorted(finishes.get(pool)), changes));
    }
  }

  /**
   * When the pool's last busy spell before `to` ended (at least `from`): from then on some core sat idle until
   * `to`. The latest busy moment, not the first idle one, since a saturated pool shows a free core for a few ms
   * between every task and the next.
   */
  idleSince(pool: number, from: number, to: number): number {
    const steps = this.steps.get(pool);
    if (!steps) return to;
    let lo = 0;
    let hi = steps.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps.at[mid]! < to) lo = mid + 1;
      else hi = mid;
    }
    // free[i] holds from at[i] until the next step; before the first step nothing ran.
    let since = to;
    for (let i = lo - 1; i >= 0 && since > from; i--) {
      if (steps.free[i]! <= 0) break;
      since = steps.at[i]!;
    }
    return Math.max(from, since);
  }
}

/** A pool's free cores over time: `free[i]` from `at[i]` (ascending, distinct) until `at[i + 1]`. */
interface Steps {
  at: Float64Array;
  free: Int32Array;
}

const sorted = (times: number[] = []): Float64Array => Float64Array.from(times).sort();

/** Merges task launches (a core taken), finishes (a core back) and executor changes, all sorted, into steps. */
function stepsOf(launches: Float64Array, finishes: Float64Array, executors: { at: number; d: number }[]): Steps {
  const at = new Float64Array(launches.length + finishes.length + executors.length);
  const free = new Int32Array(at.length);
  let [l, f, x, n, current] = [0, 0, 0, 0, 0];
  for (;;) {
    const t = Math.min(launches[l] ?? Infinity, finishes[f] ?? Infinity, executors[x]?.at ?? Infinity);
    // Only what happened at one time counts, whatever the order of its changes; a time that is not a number ends it.
    if (!(t < Infinity)) break;
    for (; launches[l] === t; l++) current--;
    for (; finishes[f] === t; f++) current++;
    for (; executors[x]?.at === t; x++) current += executors[x]!.d;
    at[n] = t;
    free[n++] = current;
  }
  return { at: at.subarray(0, n), free: free.subarray(0, n) };
}

/** Tasks an executor runs at once: its cores over spark.task.cpus, at least one. */
export function slotsOf(cores: number, taskCpus = 1): number {
  return Math.max(1, Math.floor(cores / Math.max(1, taskCpus)));
}
