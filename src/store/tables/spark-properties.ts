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
  // One row per key of the properties object, redacted as Spark does. Spark posts the environment again
  // (addJar, addFile): a name's value is the latest one. The object is read as a MAP in one pass: walking it
  // with json_each parsed each value again (a fleet batch of 637 apps, 46,501 properties: 81-101 ms for this
  // statement then, 44-68 now). Some writers give a list of [name, value] pairs instead, which the MAP read
  // leaves NULL.
  rowsSql: `WITH lines AS MATERIALIZED (SELECT ($1)[j._s] AS app_key, j._l AS line, j."Spark Properties" AS props FROM {read} WHERE {keep})
SELECT app_key, name, CASE WHEN ${secret('name')} OR ${secret('value')} THEN ${sqlString(REDACTED)} ELSE value END
FROM (
  SELECT app_key, name, arg_max(value, line) AS value FROM (
    SELECT app_key, line, unnest(map_keys(props)) AS name, unnest(map_values(props)) AS value
    FROM (SELECT app_key, line, json_transform(props, '"MAP(VARCHAR, VARCHAR)"') AS props FROM lines)
    UNION ALL
    SELECT app_key, line, p.value->>0, p.value->>1 FROM lines, json_each(lines.props) p WHERE json_type(lines.props) = 'ARRAY'
  ) GROUP BY app_key, name
)`,
});
