/**
 * The REST layer of Spark's History Server over our rows: application-list filters, list order, task paging.
 * Everything here is list handling; the numbers themselves come from spark-model.ts.
 */
import { dateParam, sparkTime } from './spark-cases.js';

type Obj = Record<string, unknown>;

export interface Attempt {
  attemptId: string | null;
  startTime: number | null;
  endTime: number | null;
  duration: number | null;
  sparkUser: string | null;
  completed: boolean;
  appSparkVersion: string | null;
}

export interface AppView {
  id: string;
  name: string | null;
  attempts: Attempt[];
}

/** Our apps rows as Spark's application list: attempts newest start first, apps by their newest attempt's end, latest first. */
export function applicationList(rows: Obj[]): AppView[] {
  const apps = new Map<string, AppView>();
  for (const r of rows) {
    const id = String(r.app_id);
    const app = apps.get(id) ?? { id, name: r.app_name as string | null, attempts: [] };
    app.attempts.push({
      attemptId: (r.attempt_id as string | null) ?? null,
      startTime: r.start_ms as number | null,
      endTime: r.end_ms as number | null,
      duration: r.duration_ms as number | null,
      sparkUser: r.spark_user as string | null,
      completed: r.completed as boolean,
      // Spark reports "" for a log without SparkListenerLogStart (Spark 1.2); we store NULL.
      appSparkVersion: (r.spark_version as string | null) ?? '',
    });
    apps.set(id, app);
  }
  const list = [...apps.values()];
  for (const app of list) app.attempts.sort((a, b) => (b.startTime ?? -1) - (a.startTime ?? -1));
  // Spark indexes apps by endTime (-1 while running) and lists that index in reverse.
  return list.sort((a, b) => (b.attempts[0]!.endTime ?? -1) - (a.attempts[0]!.endTime ?? -1));
}

/** ApplicationListResource: status, minDate/maxDate (start), minEndDate/maxEndDate (end), limit. */
export function filterApplications(apps: AppView[], query: URLSearchParams, now = Date.now()): AppView[] {
  const statuses = query.getAll('status');
  const includeCompleted = statuses.length === 0 || statuses.includes('completed');
  const includeRunning = statuses.length === 0 || statuses.includes('running');
  const param = (name: string, fallback: string) => dateParam(query.get(name) ?? fallback);
  const minDate = param('minDate', '2010-01-01');
  const maxDate = param('maxDate', '3000-01-01');
  const minEndDate = param('minEndDate', '2010-01-01');
  const maxEndDate = param('maxEndDate', '3000-01-01');
  const limit = query.has('limit') ? Number(query.get('limit')) : Number.MAX_SAFE_INTEGER;
  return apps.filter((app) => {
    const anyRunning = app.attempts.length === 0 || !app.attempts[0]!.completed;
    if (!((!anyRunning && includeCompleted) || (anyRunning && includeRunning))) return false;
    return app.attempts.some((a) => {
      const startOk = (a.startTime ?? -1) >= minDate && (a.startTime ?? -1) <= maxDate;
      const endOkRunning = anyRunning && maxEndDate > now;
      const endOkCompleted = !anyRunning && (a.endTime ?? -1) >= minEndDate && (a.endTime ?? -1) <= maxEndDate;
      return startOk && (endOkRunning || endOkCompleted);
    });
  }).slice(0, limit);
}

/** A golden application, in the shape of AppView (its dates as epoch ms). */
export function expectedApp(g: Obj): AppView {
  const attempts = (g.attempts as Obj[]).map((a) => {
    if (sparkTime(a.startTime) !== a.startTimeEpoch || sparkTime(a.endTime) !== a.endTimeEpoch) {
      throw new Error(`golden file disagrees with itself on ${String(g.id)}'s dates`);
    }
    return {
      attemptId: (a.attemptId as string | undefined) ?? null,
      startTime: a.startTimeEpoch as number,
      endTime: a.endTimeEpoch as number,
      duration: a.duration as number,
      sparkUser: a.sparkUser as string,
      completed: a.completed as boolean,
      appSparkVersion: a.appSparkVersion as string,
    };
  });
  return { id: String(g.id), name: g.name as string, attempts };
}

/** Spark's taskList sortBy values: ID (default), runtime / INCREASING_RUNTIME, -runtime / DECREASING_RUNTIME. */
export function taskOrder(sortBy: string | null): 'id' | 'runtime' | '-runtime' {
  if (sortBy === null || sortBy === 'ID') return 'id';
  if (sortBy === 'runtime' || sortBy === 'INCREASING_RUNTIME') return 'runtime';
  if (sortBy === '-runtime' || sortBy === 'DECREASING_RUNTIME') return '-runtime';
  throw new Error(`unsupported sortBy in CASES.tsv: ${sortBy}`);
}

/**
 * StageResource.taskList: filter by status, sort, then offset/length (default 0/20). Spark's run-time index holds
 * executorRunTime, stored as -(value) - 1 for tasks that did not succeed and -1 for tasks with no metrics; ties
 * follow the task id (reversed with the index when descending).
 */
export function taskPage(tasks: Obj[], query: URLSearchParams): Obj[] {
  const statuses = query.getAll('status').map((s) => s.toUpperCase());
  const chosen = statuses.length === 0 ? [...tasks] : tasks.filter((t) => statuses.includes(String(t.status)));
  const runTimeKey = (t: Obj) => {
    if (!t.has_metrics) return -1;
    const v = t['m.executorRunTime'] as number;
    return t.status === 'SUCCESS' ? v : -v - 1;
  };
  const byId = (a: Obj, b: Obj) => (a.taskId as number) - (b.taskId as number);
  const order = taskOrder(query.get('sortBy'));
  if (order === 'id') chosen.sort(byId);
  else chosen.sort((a, b) => runTimeKey(a) - runTimeKey(b) || byId(a, b));
  if (order === '-runtime') chosen.reverse();
  const offset = Number(query.get('offset') ?? 0);
  const length = Number(query.get('length') ?? 20);
  return chosen.slice(offset, offset + length);
}
