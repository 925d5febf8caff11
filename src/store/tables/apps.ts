import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

/** Read in Node from the few app-level events (SparkListenerLogStart, ApplicationStart, ApplicationEnd). */
export const apps = defineTable({
  name: 'apps',
  doc: 'One row per application attempt.',
  events: [],
  columns: {
    app_key: appKeyColumn,
    app_id: { type: 'VARCHAR', doc: 'ApplicationStart › App ID (the log name when the log has none).' },
    attempt_id: { type: 'VARCHAR', doc: 'ApplicationStart › App Attempt ID (YARN/Kubernetes attempts); NULL otherwise.' },
    app_name: { type: 'VARCHAR', doc: 'ApplicationStart › App Name.' },
    spark_user: { type: 'VARCHAR', doc: 'ApplicationStart › User.' },
    spark_version: { type: 'VARCHAR', doc: 'LogStart › Spark Version (NULL before Spark 1.3).' },
    start_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'ApplicationStart › Timestamp.' },
    end_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'ApplicationEnd › Timestamp; NULL when the app has not ended.' },
    duration_ms: { type: 'BIGINT', unit: 'ms', doc: 'end_time - start_time; for an unfinished app, up to its last event with a clock.' },
    completed: { type: 'BOOLEAN', doc: 'The log holds ApplicationEnd and was read to its end.' },
    last_event_time: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'Latest clock of the app\'s stored events: task launch or finish, stage or job submission or end, executor added or removed, SQL execution start or end.' },
    events: { type: 'BIGINT', doc: 'Event lines read for the app.' },
    unknown_events: { type: 'BIGINT', doc: 'Lines whose event type sparkopt does not know (custom listeners, newer Spark).' },
    bad_lines: { type: 'BIGINT', doc: 'Lines that are not valid JSON events (see ingest_errors).' },
    log_path: { type: 'VARCHAR', doc: 'The log file or folder the app was read from.' },
  },
});
