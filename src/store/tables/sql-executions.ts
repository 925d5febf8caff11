import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const SQL = 'org.apache.spark.sql.execution.ui.';
export const SQL_START = `${SQL}SparkListenerSQLExecutionStart`;
export const SQL_ADAPTIVE = `${SQL}SparkListenerSQLAdaptiveExecutionUpdate`;
const END = `${SQL}SparkListenerSQLExecutionEnd`;

export const sqlExecutions = defineTable({
  name: 'sql_executions',
  doc: 'One row per SQL execution (a DataFrame action or SQL statement). Its plan is in `sql_plans`.',
  events: [SQL_START, END],
  mergeKey: ['execution_id'],
  columns: {
    app_key: appKeyColumn,
    execution_id: { type: 'BIGINT', doc: 'SQL execution id (jobs.sql_execution_id points here).', json: ['executionId'] },
    // A Thrift server's log can hold tens of thousands of SQL texts of tens of KB: large, like plans.
    description: { type: 'VARCHAR', doc: 'Description (often the SQL text or the action).', json: { [SQL_START]: ['description'] }, large: true },
    start_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the execution started.', json: { [SQL_START]: ['time'] } },
    end_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When it ended; NULL if the log has no end.', json: { [END]: ['time'] } },
    duration_ms: { type: 'BIGINT', unit: 'ms', doc: 'end_time - start_time.', sql: 'epoch_ms(end_time) - epoch_ms(start_time)' },
    error_message: { type: 'VARCHAR', doc: 'Error of a failed execution (Spark 3.4+).', json: { [END]: ['errorMessage'] } },
  },
});
