import path from 'node:path';
import { expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { sparkopt, tableCounts, tempDir } from './run-cli.js';

const FIRST = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
const SECOND = path.join(FIXTURE_LOGS, 'app-20260301103000-0002.zstd');

async function withDb<T>(file: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await Db.open(file);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

const PLANS = 'SELECT app_key, execution_id, physical_plan FROM sql_plans ORDER BY ALL';

test('a database of version 1 (plans in sql_executions) is brought to this version, keeping every app', async () => {
  const db = path.join(tempDir(), 'v1.duckdb');
  expect(sparkopt('ingest', '--db', db, FIRST).status).toBe(0);
  // Version 1's shape: the plans in sql_executions.physical_plan, no sql_plans table.
  const plans = await withDb(db, async (d) => {
    const rows = await d.all(PLANS);
    await d.run(`ALTER TABLE sql_executions ADD COLUMN physical_plan VARCHAR;
      UPDATE sql_executions q SET physical_plan = p.physical_plan FROM sql_plans p WHERE p.app_key = q.app_key AND p.execution_id = q.execution_id;
      DROP VIEW sql_joins; DROP TABLE sql_plans; UPDATE sparkopt_meta SET value = '1' WHERE key = 'schema_version'`);
    return rows;
  });
  expect(plans.length).toBe(5);
  const before = tableCounts(db);

  const result = sparkopt('ingest', '--db', db, '--format', 'json', FIRST, SECOND);
  expect(result.status, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ logs: 1, unchanged: 1 });
  await withDb(db, async (d) => {
    expect(await d.all("SELECT value FROM sparkopt_meta WHERE key = 'schema_version'")).toEqual([{ value: String(SCHEMA_VERSION) }]);
    const columns = await d.all<{ column_name: string }>("SELECT column_name FROM duckdb_columns() WHERE table_name = 'sql_executions'");
    expect(columns.map((c) => c.column_name)).not.toContain('physical_plan');
    // The first app's plans moved over as they were; the second app's were written by this version.
    const firstApp = (await d.all(PLANS)).filter((r) => r.app_key === 'app-20260301101500-0001');
    expect(firstApp).toEqual(plans);
    const [joins] = await d.all<{ n: number }>('SELECT count(*) AS n FROM sql_joins WHERE len(join_strategies) > 0');
    expect(joins!.n).toBeGreaterThan(0);
  });
  // The second app: 266 task ends (fixtures/logs/README.md).
  expect(tableCounts(db).tasks).toBe(before.tasks + 266);
});

test('a database of a newer version is refused, whole: exit 3, ingest into a new --db', async () => {
  const db = path.join(tempDir(), 'newer.duckdb');
  expect(sparkopt('ingest', '--db', db, FIRST).status).toBe(0);
  const stored = tableCounts(db);
  const newer = SCHEMA_VERSION + 1;
  await withDb(db, (d) => d.run("UPDATE sparkopt_meta SET value = ? WHERE key = 'schema_version'", [String(newer)]));

  const result = sparkopt('ingest', '--db', db, SECOND);
  expect(result.status).toBe(3);
  expect(result.stderr).toContain(`database ${db} has schema version ${newer}, this sparkopt writes ${SCHEMA_VERSION}: ingest into a new --db`);
  expect(tableCounts(db)).toEqual(stored);
});
