import path from 'node:path';
import { expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { sparkopt, tableCounts, tempDir } from './run-cli.js';

test('a database an older sparkopt wrote (another schema version) is refused, whole: exit 3, ingest into a new --db', async () => {
  const db = path.join(tempDir(), 'old.duckdb');
  const log = path.join(FIXTURE_LOGS, 'app-20260301101500-0001');
  expect(sparkopt('ingest', '--db', db, log).status).toBe(0);
  const stored = tableCounts(db);
  // What version 1 (plans in sql_executions, before sql_plans) left in its meta table.
  const old = await Db.open(db);
  await old.run("UPDATE sparkopt_meta SET value = '1' WHERE key = 'schema_version'");
  old.close();

  const result = sparkopt('ingest', '--db', db, log);
  expect(result.status).toBe(3);
  expect(result.stderr).toContain(`database ${db} has schema version 1, this sparkopt writes ${SCHEMA_VERSION}: ingest into a new --db`);
  expect(tableCounts(db)).toEqual(stored);
});
