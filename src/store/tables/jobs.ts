import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const START = 'SparkListenerJobStart';
const END = 'SparkListenerJobEnd';

export const jobs = defineTable({
  name: 'jobs',
  doc: 'One row per job (an action such as `count` or a SQL query stage).',
  events: [START, END],
  mergeKey: ['job_id'],
  columns: {
    app_key: appKeyColumn,
    job_id: { type: 'INTEGER', doc: 'Job id.', json: ['Job ID'] },
    submit_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the job was submitted.', json: { [START]: ['Submission Time'] } },
    end_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the job ended.', json: { [END]: ['Completion Time'] } },
    duration_ms: { type: 'BIGINT', unit: 'ms', doc: 'end_time - submit_time.', sql: 'epoch_ms(end_time) - epoch_ms(submit_time)' },
    job_result: { type: 'VARCHAR', doc: 'Job Result.Result.', json: { [END]: ['Job Result', 'Result'] }, helper: true },
    result: {
      type: 'VARCHAR', doc: '`succeeded`, `failed` or `unknown` (no end event: the log was cut).',
      sql: `CASE job_result WHEN 'JobSucceeded' THEN 'succeeded' WHEN 'JobFailed' THEN 'failed' ELSE 'unknown' END`,
    },
    failure_reason: { type: 'VARCHAR', doc: 'Message of the exception that failed the job.', json: { [END]: ['Job Result', 'Exception', 'Message'] } },
    stage_ids: { type: 'INTEGER[]', doc: 'Stages of the job, skipped ones included.', json: { [START]: ['Stage IDs'] } },
    sql_execution_id: {
      type: 'BIGINT', doc: 'The SQL execution that ran this job (NULL for RDD jobs).',
      json: { [START]: ['Properties', 'spark.sql.execution.id'] },
    },
    job_group: { type: 'VARCHAR', doc: 'spark.jobGroup.id, when set.', json: { [START]: ['Properties', 'spark.jobGroup.id'] } },
  },
});
