// What the benchmark checks of each run: sparkopt's JSON summary, and the rows it stored, against what the
// generated logs hold. A run that is fast but wrong must not pass.
import { Db } from '../../src/store/db.js';
import type { Measurement } from './measure.js';
import type { Check } from './report.js';
import type { SqlHeavyLog } from './sql-heavy.js';

export function parseJson<T>(m: Measurement): T | undefined {
  try {
    return JSON.parse(m.stdout) as T;
  } catch {
    return undefined;
  }
}

export interface Summary {
  logs: number;
  events: number;
  decompressedBytes: number;
  unchanged: number;
  incomplete: number;
  badLines: number;
  unknownEvents: number;
  failures: { path: string; error: string }[];
  memoryRetries: number;
  elapsedMs: number;
}

export const expectEqual = (name: string, actual: unknown, expected: unknown): Check => ({
  name, ok: actual === expected, detail: `${String(actual)}${actual === expected ? '' : ` (expected ${String(expected)})`}`,
});

/** What sparkopt stored, read back after the run: the generated logs say how many tasks and apps there are. */
export async function storedChecks(dbFile: string, expected: { apps: number; taskEnds: number }): Promise<Check[]> {
  const db = await Db.open(dbFile, { readOnly: true });
  try {
    const [row] = await db.all<{ tasks: number; distinct_tasks: number; apps: number; completed: number }>(`SELECT
      (SELECT count(*) FROM tasks) AS tasks,
      (SELECT count(DISTINCT (app_key, task_id)) FROM tasks) AS distinct_tasks,
      (SELECT count(*) FROM apps) AS apps,
      (SELECT count(*) FROM apps WHERE completed) AS completed`);
    return [
      expectEqual('tasks rows = TaskEnd lines', row!.tasks, expected.taskEnds),
      expectEqual('task ids unique per app', row!.distinct_tasks, expected.taskEnds),
      expectEqual('apps rows', row!.apps, expected.apps),
      expectEqual('apps completed', row!.completed, expected.apps),
    ];
  } finally {
    db.close();
  }
}

/** The Thrift-shaped app stored whole: every execution, its SQL text and its final plan, to the character. */
export async function storedSqlChecks(dbFile: string, heavy: SqlHeavyLog): Promise<Check[]> {
  const db = await Db.open(dbFile, { readOnly: true });
  try {
    const [row] = await db.all<{ executions: number; texts: number; plans: number; plan_chars: number }>(`SELECT
      (SELECT count(*) FROM sql_executions) AS executions, (SELECT sum(length(description))::BIGINT FROM sql_executions) AS texts,
      (SELECT count(*) FROM sql_plans) AS plans, (SELECT sum(length(physical_plan))::BIGINT FROM sql_plans) AS plan_chars`);
    return [
      expectEqual('sql_executions rows', row!.executions, heavy.executions),
      expectEqual('SQL text characters', row!.texts, heavy.executions * heavy.textChars),
      expectEqual('sql_plans rows', row!.plans, heavy.executions),
      expectEqual('final plan characters', row!.plan_chars, heavy.executions * heavy.planChars),
    ];
  } finally {
    db.close();
  }
}
