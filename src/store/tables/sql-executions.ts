import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const SQL = 'org.apache.spark.sql.execution.ui.';
const START = `${SQL}SparkListenerSQLExecutionStart`;
const ADAPTIVE = `${SQL}SparkListenerSQLAdaptiveExecutionUpdate`;
const END = `${SQL}SparkListenerSQLExecutionEnd`;

export const sqlExecutions = defineTable({
  name: 'sql_executions',
  doc: 'One row per SQL execution (a DataFrame action or SQL statement).',
  // Adaptive execution re-plans while the query runs: the last plan seen is the one that ran.
  events: [START, ADAPTIVE, END],
  mergeKey: ['execution_id'],
  columns: {
    app_key: appKeyColumn,
    execution_id: { type: 'BIGINT', doc: 'SQL execution id (jobs.sql_execution_id points here).', json: ['executionId'] },
    description: { type: 'VARCHAR', doc: 'Description (often the SQL text or the action).', json: { [START]: ['description'] } },
    start_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the execution started.', json: { [START]: ['time'] } },
    end_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When it ended; NULL if the log has no end.', json: { [END]: ['time'] } },
    duration_ms: { type: 'BIGINT', unit: 'ms', doc: 'end_time - start_time.', sql: 'epoch_ms(end_time) - epoch_ms(start_time)' },
    error_message: { type: 'VARCHAR', doc: 'Error of a failed execution (Spark 3.4+).', json: { [END]: ['errorMessage'] } },
    physical_plan: {
      type: 'VARCHAR', doc: 'Physical plan description; the final adaptive plan when AQE re-planned.', large: true,
      json: { [START]: ['physicalPlanDescription'], [ADAPTIVE]: ['physicalPlanDescription'] },
    },
  },
});
