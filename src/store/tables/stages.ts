import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const JOB_START = 'SparkListenerJobStart';
const SUBMITTED = 'SparkListenerStageSubmitted';
const COMPLETED = 'SparkListenerStageCompleted';

export const stages = defineTable({
  name: 'stages',
  doc: 'One row per stage attempt. Stages a job lists but never submits (their output was reused) are `skipped`.',
  // A stage's info arrives up to three times; the completion carries the final numbers, so it ranks last.
  events: [JOB_START, SUBMITTED, COMPLETED],
  records: { [JOB_START]: ['Stage Infos', '[]'], [SUBMITTED]: ['Stage Info'], [COMPLETED]: ['Stage Info'] },
  mergeKey: ['stage_id', 'stage_attempt_id'],
  columns: {
    app_key: appKeyColumn,
    stage_id: { type: 'INTEGER', doc: 'Stage id.', json: ['Stage ID'] },
    stage_attempt_id: { type: 'INTEGER', doc: 'Attempt of the stage (0 first, more after fetch failures).', json: ['Stage Attempt ID'] },
    name: { type: 'VARCHAR', doc: 'Stage name (the call site that created it).', json: ['Stage Name'] },
    num_tasks: { type: 'INTEGER', doc: 'Tasks (partitions) in the stage attempt.', json: ['Number of Tasks'] },
    parent_ids: { type: 'INTEGER[]', doc: 'Stages this stage reads from: the DAG.', json: ['Parent IDs'] },
    submit_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the stage attempt was submitted.', json: ['Submission Time'] },
    complete_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the stage attempt completed or failed.', json: ['Completion Time'] },
    duration_ms: {
      type: 'BIGINT', unit: 'ms', doc: 'complete_time - submit_time.',
      sql: 'epoch_ms(complete_time) - epoch_ms(submit_time)',
    },
    status: {
      type: 'VARCHAR', doc: '`complete`, `failed`, `skipped` (never submitted) or `active` (submitted, never completed).',
      sql: `CASE _event WHEN '${COMPLETED}' THEN (CASE WHEN failure_reason IS NULL THEN 'complete' ELSE 'failed' END)
        WHEN '${SUBMITTED}' THEN 'active' ELSE 'skipped' END`,
    },
    failure_reason: { type: 'VARCHAR', doc: 'Why the stage attempt failed.', json: ['Failure Reason'] },
  },
});
