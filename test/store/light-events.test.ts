import { beforeAll, expect, test } from 'vitest';
import { dropUnreadValues, ONLY_READ_KEY, UNREAD_KEYS } from '../../src/events/drop-values.js';
import { discoverLogs, type LogSource } from '../../src/source/discover.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { rawText } from '../raw-counts.js';
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

/** `value` without `keys` at any depth: what cutting them out of the JSON text must give. */
function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutKeys(v, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)).map(([k, v]) => [k, withoutKeys(v, keys)]));
}

/** The members of `event` up to and including `key`: what keeping only up to that key must give. */
function upTo(event: Ev, key: string): Ev {
  const entries = Object.entries(event);
  const at = entries.findIndex(([k]) => k === key);
  return at === -1 ? event : Object.fromEntries(entries.slice(0, at + 1));
}

describeCorpus('light events, cut down to what tables read', () => {
  let sources: LogSource[] = [];
  beforeAll(async () => {
    sources = (await discoverLogs([corpusDir()!])).sources.filter(readable);
  });

  test('every cut line of every corpus log is valid JSON equal to the original minus exactly the cut keys', () => {
    const cutEvents = new Set([...Object.keys(UNREAD_KEYS), ...Object.keys(ONLY_READ_KEY)]);
    const checked = new Map<string, number>();
    const ranges: number[] = [];
    for (const source of sources) {
      const text = Buffer.from(rawText(source.parts.map((p) => p.path)));
      for (let start = 0, end = text.indexOf(10); start < text.length; start = end + 1, end = text.indexOf(10, start)) {
        if (end === -1) end = text.length;
        let original: Ev;
        try {
          original = JSON.parse(text.toString('utf8', start, end));
        } catch {
          continue; // a bad or cut line: counted as such elsewhere
        }
        if (!cutEvents.has(original.Event)) continue;
        dropUnreadValues(original.Event, text, start, end, ranges);
        const pieces: Buffer[] = [];
        for (let i = 0; i < ranges.length; i += 2) pieces.push(text.subarray(ranges[i]!, ranges[i + 1]!));
        const only = ONLY_READ_KEY[original.Event];
        const expected = only ? upTo(original, only) : withoutKeys(original, new Set(UNREAD_KEYS[original.Event]));
        expect(JSON.parse(Buffer.concat(pieces).toString('utf8')), `${source.logPath}: ${original.Event}`).toEqual(expected);
        checked.set(original.Event, (checked.get(original.Event) ?? 0) + 1);
      }
    }
    for (const event of cutEvents) expect(checked.get(event) ?? 0, `${event} lines checked`).toBeGreaterThan(0);
    expect(checked.get('SparkListenerJobStart')).toBeGreaterThan(200);
    expect(checked.get('SparkListenerStageCompleted')).toBeGreaterThan(200);
  });

  test('keep every property name, SQL description and plan, and completed stage of every corpus log', async () => {
    let checked = { properties: 0, sql: 0, stages: 0 };
    for (const source of sources) {
      const expected = expectedFromRaw(rawEvents(...source.parts.map((p) => p.path)));
      const db = await ingested(source.logPath);
      const names = (await db.all<{ name: string }>('SELECT DISTINCT name FROM spark_properties ORDER BY name')).map((r) => r.name);
      expect(names, source.logPath).toEqual(expected.properties);
      const sql = await db.all<{ id: number; description: string | null; plan: string | null; start: number | null }>(
        'SELECT execution_id AS id, description, physical_plan AS plan, epoch_ms(start_time) AS start FROM sql_executions LEFT JOIN sql_plans USING (app_key, execution_id) WHERE execution_id IN (SELECT unnest(?::BIGINT[]))',
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
