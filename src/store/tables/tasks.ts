import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const info = (field: string) => ['Task Info', field];
const metric = (...path: string[]) => ['Task Metrics', ...path];

export const tasks = defineTable({
  name: 'tasks',
  doc: 'One row per `SparkListenerTaskEnd`: failed, killed, speculative and resubmitted task ends included.',
  events: ['SparkListenerTaskEnd'],
  // A slimmed task line is a few KiB; DuckDB reads a file in parallel pieces of about this size (measured:
  // 4 MiB parses a 64 MiB batch about 1.3x faster than 64 MiB pieces).
  maxLineBytes: 4 * 1024 * 1024,
  columns: {
    app_key: appKeyColumn,
    stage_id: { type: 'INTEGER', doc: 'Stage id.', json: ['Stage ID'] },
    stage_attempt_id: { type: 'INTEGER', doc: 'Stage attempt.', json: ['Stage Attempt ID'] },
    task_id: { type: 'BIGINT', doc: 'Task id, unique in the app.', json: info('Task ID') },
    task_index: { type: 'INTEGER', doc: 'Index of the task in its stage attempt.', json: info('Index') },
    task_attempt: { type: 'INTEGER', doc: 'Attempt number of this task index.', json: info('Attempt') },
    partition_id: { type: 'INTEGER', doc: 'RDD partition (Spark 3.3+).', json: info('Partition ID') },
    task_type: { type: 'VARCHAR', doc: '`ResultTask` or `ShuffleMapTask`.', json: ['Task Type'] },
    executor_id: { type: 'VARCHAR', doc: 'Executor that ran the task.', json: info('Executor ID') },
    host: { type: 'VARCHAR', doc: 'Host of that executor.', json: info('Host') },
    locality: { type: 'VARCHAR', doc: 'Data locality level.', json: info('Locality') },
    launch_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the task started.', json: info('Launch Time') },
    finish_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the task ended.', json: info('Finish Time') },
    duration_ms: {
      type: 'BIGINT', unit: 'ms', doc: 'Wall time of the task: finish - launch. NULL for a `Resubmitted` end: Spark posts the finished task again when its output was lost with an executor, with the same times, and it did not run again.',
      sql: "CASE WHEN end_reason <> 'Resubmitted' OR end_reason IS NULL THEN epoch_ms(finish_time) - epoch_ms(launch_time) END",
    },
    failed: { type: 'BOOLEAN', doc: 'Task Info.Failed.', json: info('Failed'), helper: true },
    killed: { type: 'BOOLEAN', doc: 'Task Info.Killed (Spark 2.1+).', json: info('Killed'), helper: true },
    status: {
      type: 'VARCHAR', doc: '`success`, `failed` or `killed`, from Task Info\'s flags (logs before Spark 2.1 have no Killed flag: a TaskKilled reason counts); a `Resubmitted` end is `failed`, as Spark\'s UI counts it.',
      sql: `CASE WHEN killed OR (killed IS NULL AND end_reason = 'TaskKilled') THEN 'killed' WHEN failed OR end_reason = 'Resubmitted' THEN 'failed' ELSE 'success' END`,
    },
    end_reason: { type: 'VARCHAR', doc: 'Task End Reason: Success, ExceptionFailure, FetchFailed, ExecutorLostFailure, TaskKilled, Resubmitted, ...', json: ['Task End Reason', 'Reason'] },
    exception_class: { type: 'VARCHAR', doc: 'Exception class of an ExceptionFailure.', json: ['Task End Reason', 'Class Name'] },
    end_description: { type: 'VARCHAR', doc: 'Exception description.', json: ['Task End Reason', 'Description'], helper: true },
    loss_reason: { type: 'VARCHAR', doc: 'Why the executor was lost.', json: ['Task End Reason', 'Loss Reason'], helper: true },
    fetch_message: { type: 'VARCHAR', doc: 'FetchFailed message.', json: ['Task End Reason', 'Message'], helper: true },
    kill_reason: { type: 'VARCHAR', doc: 'TaskKilled reason.', json: ['Task End Reason', 'Kill Reason'], helper: true },
    failure_message: {
      type: 'VARCHAR', doc: 'Why the task did not succeed: exception description, executor loss, fetch failure or kill reason.',
      sql: 'coalesce(end_description, loss_reason, fetch_message, kill_reason)',
    },
    speculative: { type: 'BOOLEAN', doc: 'A speculative copy of a slow task.', json: info('Speculative') },
    executor_run_time_ms: { type: 'BIGINT', unit: 'ms', doc: 'Time the executor spent running the task.', json: metric('Executor Run Time') },
    executor_cpu_time_ns: { type: 'BIGINT', unit: 'ns', doc: 'CPU time of the task.', json: metric('Executor CPU Time') },
    deserialize_time_ms: { type: 'BIGINT', unit: 'ms', doc: 'Time to deserialize the task.', json: metric('Executor Deserialize Time') },
    deserialize_cpu_time_ns: { type: 'BIGINT', unit: 'ns', doc: 'CPU time to deserialize the task.', json: metric('Executor Deserialize CPU Time') },
    result_serialization_ms: { type: 'BIGINT', unit: 'ms', doc: 'Time to serialize the result.', json: metric('Result Serialization Time') },
    jvm_gc_time_ms: { type: 'BIGINT', unit: 'ms', doc: 'JVM garbage-collection time during the task.', json: metric('JVM GC Time') },
    peak_execution_memory: { type: 'BIGINT', unit: 'bytes', doc: 'Peak execution memory (sort, aggregation, join buffers).', json: metric('Peak Execution Memory') },
    result_size: { type: 'BIGINT', unit: 'bytes', doc: 'Size of the result sent to the driver.', json: metric('Result Size') },
    memory_bytes_spilled: { type: 'BIGINT', unit: 'bytes', doc: 'Deserialized size of data spilled from memory.', json: metric('Memory Bytes Spilled') },
    disk_bytes_spilled: { type: 'BIGINT', unit: 'bytes', doc: 'Size of spilled data on disk.', json: metric('Disk Bytes Spilled') },
    input_bytes: { type: 'BIGINT', unit: 'bytes', doc: 'Bytes read from sources.', json: metric('Input Metrics', 'Bytes Read') },
    input_records: { type: 'BIGINT', unit: 'records', doc: 'Records read from sources.', json: metric('Input Metrics', 'Records Read') },
    output_bytes: { type: 'BIGINT', unit: 'bytes', doc: 'Bytes written to sinks.', json: metric('Output Metrics', 'Bytes Written') },
    output_records: { type: 'BIGINT', unit: 'records', doc: 'Records written to sinks.', json: metric('Output Metrics', 'Records Written') },
    shuffle_remote_bytes_read: { type: 'BIGINT', unit: 'bytes', doc: 'Shuffle bytes fetched from other executors.', json: metric('Shuffle Read Metrics', 'Remote Bytes Read') },
    shuffle_local_bytes_read: { type: 'BIGINT', unit: 'bytes', doc: 'Shuffle bytes read locally.', json: metric('Shuffle Read Metrics', 'Local Bytes Read') },
    shuffle_read_bytes: {
      type: 'BIGINT', unit: 'bytes', doc: 'All shuffle bytes read: remote + local (NULL when the task read no shuffle metrics).',
      sql: 'CASE WHEN shuffle_remote_bytes_read IS NOT NULL OR shuffle_local_bytes_read IS NOT NULL THEN coalesce(shuffle_remote_bytes_read, 0) + coalesce(shuffle_local_bytes_read, 0) END',
    },
    shuffle_read_records: { type: 'BIGINT', unit: 'records', doc: 'Shuffle records read.', json: metric('Shuffle Read Metrics', 'Total Records Read') },
    shuffle_fetch_wait_ms: { type: 'BIGINT', unit: 'ms', doc: 'Time blocked waiting for shuffle data.', json: metric('Shuffle Read Metrics', 'Fetch Wait Time') },
    shuffle_write_bytes: { type: 'BIGINT', unit: 'bytes', doc: 'Shuffle bytes written.', json: metric('Shuffle Write Metrics', 'Shuffle Bytes Written') },
    shuffle_write_records: { type: 'BIGINT', unit: 'records', doc: 'Shuffle records written.', json: metric('Shuffle Write Metrics', 'Shuffle Records Written') },
    shuffle_write_time_ns: { type: 'BIGINT', unit: 'ns', doc: 'Time spent writing shuffle data.', json: metric('Shuffle Write Metrics', 'Shuffle Write Time') },
  },
});
