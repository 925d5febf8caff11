import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

/** Read in Node from SparkListenerEnvironmentUpdate, redacted before storing. */
export const sparkProperties = defineTable({
  name: 'spark_properties',
  doc: "Spark configuration of each app (EnvironmentUpdate › Spark Properties). Values whose name or value matches Spark's default `spark.redaction.regex` (`(?i)secret|password|token|access[.]key`) are stored as `*********(redacted)`.",
  events: [],
  columns: {
    app_key: appKeyColumn,
    name: { type: 'VARCHAR', doc: 'Property name, e.g. `spark.executor.memory`.' },
    value: { type: 'VARCHAR', doc: 'Property value (redacted when secret).' },
  },
});
