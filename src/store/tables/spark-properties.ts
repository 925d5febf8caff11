import { SPARK_REDACTION_PATTERN, REDACTED } from '../../events/redact.js';
import { defineTable, sqlString } from '../spec.js';
import { appKeyColumn } from './app-key.js';

const secret = (column: string) => `regexp_matches(${column}, ${sqlString(SPARK_REDACTION_PATTERN)}, 'i')`;

export const sparkProperties = defineTable({
  name: 'spark_properties',
  doc: "Spark configuration of each app (EnvironmentUpdate › Spark Properties; the latest value of a name when Spark posted the environment again). Values whose name or value matches Spark's default `spark.redaction.regex` (`(?i)secret|password|token|access[.]key`) are stored as `*********(redacted)`.",
  events: ['SparkListenerEnvironmentUpdate'],
  columns: {
    app_key: appKeyColumn,
    name: { type: 'VARCHAR', doc: 'Property name, e.g. `spark.executor.memory`.' },
    value: { type: 'VARCHAR', doc: 'Property value (redacted when secret).' },
    properties: { type: 'JSON', doc: 'Spark Properties: an object, or (some writers) a list of [name, value] pairs.', json: ['Spark Properties'], helper: true },
  },
  // One row per key of the properties object: DuckDB walks it with json_each and redacts as Spark does. Spark
  // posts the environment again (addJar, addFile): a name's value is the latest one.
  rowsSql: `SELECT app_key, name, CASE WHEN ${secret('name')} OR ${secret('value')} THEN ${sqlString(REDACTED)} ELSE value END
FROM (
  SELECT app_key, name, arg_max(value, line) AS value FROM (
    SELECT ($1)[j._s] AS app_key, j._l AS line,
      CASE WHEN json_type(p.value) = 'ARRAY' THEN p.value->>0 ELSE p.key END AS name,
      CASE WHEN json_type(p.value) = 'ARRAY' THEN p.value->>1 ELSE p.value->>'$' END AS value
    FROM {read}, json_each(j."Spark Properties") p WHERE {keep}
  ) GROUP BY app_key, name
)`,
});
