import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const BLOCK_MANAGER = 'SparkListenerBlockManagerAdded';
const ADDED = 'SparkListenerExecutorAdded';
const REMOVED = 'SparkListenerExecutorRemoved';

export const executors = defineTable({
  name: 'executors',
  doc: 'One row per executor, the driver included (it registers a block manager but, outside local mode, is never "added").',
  events: [BLOCK_MANAGER, ADDED, REMOVED],
  mergeKey: ['executor_id'],
  columns: {
    app_key: appKeyColumn,
    executor_id: {
      type: 'VARCHAR', doc: 'Executor id (`driver` for the driver).',
      json: { [BLOCK_MANAGER]: ['Block Manager ID', 'Executor ID'], [ADDED]: ['Executor ID'], [REMOVED]: ['Executor ID'] },
    },
    host: {
      type: 'VARCHAR', doc: 'Host the executor ran on.',
      json: { [BLOCK_MANAGER]: ['Block Manager ID', 'Host'], [ADDED]: ['Executor Info', 'Host'] },
    },
    total_cores: { type: 'INTEGER', unit: 'cores', doc: 'Cores of the executor (NULL for a driver outside local mode).', json: { [ADDED]: ['Executor Info', 'Total Cores'] } },
    add_time: {
      type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the executor was added (the driver: when its block manager registered).',
      json: { [BLOCK_MANAGER]: ['Timestamp'], [ADDED]: ['Timestamp'] },
    },
    remove_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'When the executor was removed; NULL if it lived to the end.', json: { [REMOVED]: ['Timestamp'] } },
    removed_reason: { type: 'VARCHAR', doc: 'Why it was removed (e.g. container killed for exceeding memory, exit code 137).', json: { [REMOVED]: ['Removed Reason'] } },
    max_memory: { type: 'BIGINT', unit: 'bytes', doc: 'Unified (storage + execution) memory of its block manager.', json: { [BLOCK_MANAGER]: ['Maximum Memory'] } },
    max_onheap_memory: { type: 'BIGINT', unit: 'bytes', doc: 'On-heap part of max_memory (Spark 2.3+).', json: { [BLOCK_MANAGER]: ['Maximum Onheap Memory'] } },
    max_offheap_memory: { type: 'BIGINT', unit: 'bytes', doc: 'Off-heap part of max_memory (Spark 2.3+).', json: { [BLOCK_MANAGER]: ['Maximum Offheap Memory'] } },
    resource_profile_id: { type: 'INTEGER', doc: 'Resource profile of the executor (Spark 3.1+).', json: { [ADDED]: ['Executor Info', 'Resource Profile Id'] } },
  },
});
