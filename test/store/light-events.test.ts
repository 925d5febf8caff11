import { beforeAll, expect, test } from 'vitest';
import { discoverLogs, type LogSource } from '../../src/source/discover.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { rawEvents } from '../raw-events.js';

// Light events are cut down before DuckDB reads them (src/events/drop-values.ts). What the tables read from them
// must survive the cut on every real log, whatever Spark version wrote it: checked here against JSON.parse.
const SQL = 'org.apache.spark.sql.execution.ui.';
const readable = (s: LogSource) => !/\.(lz4|lzf|snappy)(\.inprogress)?$/.test(s.logPath) && !s.logPath.endsWith('.zstd.inprogress');

type Ev = Record<string, any>;

function expectedFromRaw(events: Ev[]) {
  const properties = new Set<string>();
  const sql = new Map<number, { description: string | null; plan: string | null; start: number | null }>();
  const stages = new Map<string, { name: string | null; tasks: number | null; failure: string | null }>();
  for (const e of events) {
    if (e.Event === 'SparkListenerEnvironmentUpdate') {
      const p = e['Spark Properties'] ?? {};
      for (const name of Array.isArray(p) ? p.map((pair: string[]) => pair[0]) : Object.keys(p)) properties.add(name);
    } else if (e.Event === `${SQL}SparkListenerSQLExecutionStart`) {
      const start = e.time > 0 ? e.time : null;
      sql.set(e.executionId, { description: e.description ?? null, plan: e.physicalPlanDescription ?? sql.get(e.executionId)?.plan ?? null, start });
    } else if (e.Event === `${SQL}SparkListenerSQLAdaptiveExecutionUpdate` && e.physicalPlanDescription != null) {
      const known = sql.get(e.executionId) ?? { description: null, plan: null, start: null };
      sql.set(e.executionId, { ...known, plan: e.physicalPlanDescription });
    } else if (e.Event === 'SparkListenerStageCompleted') {
      const info = e['Stage Info'];
      stages.set(`${info['Stage ID']}/${info['Stage Attempt ID'] ?? 0}`, {
        name: info['Stage Name'] ?? null, tasks: info['Number of Tasks'] ?? null, failure: info['Failure Reason'] ?? null,
      });
    }
  }
  return { properties: [...properties].sort(), sql, stages };
}

describeCorpus('light events, cut down to what tables read', () => {
  let sources: LogSource[] = [];
  beforeAll(async () => {
    sources = (await discoverLogs([corpusDir()!])).sources.filter(readable);
  });

  test('keep every property name, SQL description and plan, and completed stage of every corpus log', async () => {
    let checked = { properties: 0, sql: 0, stages: 0 };
    for (const source of sources) {
      const expected = expectedFromRaw(rawEvents(...source.parts.map((p) => p.path)));
      const db = await ingested(source.logPath);
      const names = (await db.all<{ name: string }>('SELECT DISTINCT name FROM spark_properties ORDER BY name')).map((r) => r.name);
      expect(names, source.logPath).toEqual(expected.properties);
      const sql = await db.all<{ id: number; description: string | null; plan: string | null; start: number | null }>(
        'SELECT execution_id AS id, description, physical_plan AS plan, epoch_ms(start_time) AS start FROM sql_executions WHERE execution_id IN (SELECT unnest(?::BIGINT[]))',
        [[...expected.sql.keys()].map(String)],
      );
      expect(sql.length, source.logPath).toBe(expected.sql.size);
      for (const row of sql) expect({ description: row.description, plan: row.plan, start: row.start }, `${source.logPath} SQL ${row.id}`).toEqual(expected.sql.get(row.id));
      const stages = await db.all<{ key: string; name: string | null; tasks: number | null; failure: string | null }>(
        "SELECT stage_id || '/' || stage_attempt_id AS key, name, num_tasks AS tasks, failure_reason AS failure FROM stages WHERE status IN ('complete', 'failed')",
      );
      for (const row of stages) expect({ name: row.name, tasks: row.tasks, failure: row.failure }, `${source.logPath} stage ${row.key}`).toEqual(expected.stages.get(row.key));
      checked = { properties: checked.properties + names.length, sql: checked.sql + sql.length, stages: checked.stages + stages.length };
      db.close();
    }
    expect(checked.properties).toBeGreaterThan(1000);
    expect(checked.sql).toBeGreaterThan(100);
    expect(checked.stages).toBeGreaterThan(250);
  });
});
