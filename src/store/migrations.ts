import type { Db } from './db.js';
import { ddl } from './spec.js';
import { sqlExecutions, sqlPlans } from './tables/index.js';

/**
 * What turns a database of version N into version N + 1 in place, keeping every app it holds: users with
 * thousands of apps stored should not have to read their logs again for a new version of sparkopt.
 */
export const MIGRATIONS: Readonly<Record<number, (db: Db) => Promise<void>>> = {
  // To version 2: plans left sql_executions for a table of their own (a merged row takes one large value).
  1: async (db) => {
    await db.run(
      [
        ...ddl(sqlPlans),
        'INSERT INTO sql_plans SELECT app_key, execution_id, physical_plan FROM sql_executions WHERE physical_plan IS NOT NULL',
        'DROP VIEW IF EXISTS sql_joins',
        'ALTER TABLE sql_executions DROP COLUMN physical_plan',
        // Its comments as this version writes them (the table exists: only they change).
        ...ddl(sqlExecutions),
      ].join(';\n'),
    );
  },
};
