import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';
import { SQL_ADAPTIVE, SQL_START } from './sql-executions.js';

/**
 * Plans have a table of their own: a merged row can take only one large value through a join (see extract.ts),
 * and SQL texts are large too.
 */
export const sqlPlans = defineTable({
  name: 'sql_plans',
  doc: 'The physical plan of each SQL execution (join `sql_executions` on `app_key`, `execution_id`).',
  // Adaptive execution re-plans while the query runs: the last plan seen is the one that ran.
  events: [SQL_START, SQL_ADAPTIVE],
  mergeKey: ['execution_id'],
  columns: {
    app_key: appKeyColumn,
    execution_id: { type: 'BIGINT', doc: 'SQL execution id.', json: ['executionId'] },
    physical_plan: {
      type: 'VARCHAR', doc: 'Physical plan description; the final adaptive plan when AQE re-planned.', large: true,
      json: ['physicalPlanDescription'],
    },
  },
});
