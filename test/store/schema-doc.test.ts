import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { createSchema } from '../../src/store/schema.js';
import { ddl, schemaDoc } from '../../src/store/spec.js';
import { allTables, tasks } from '../../src/store/tables/index.js';
import { viewDoc, viewFiles } from '../../src/store/views.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
const SECTION = /(<!-- schema:start -->\n)[\s\S]*?(<!-- schema:end -->)/;
const VIEWS = /(<!-- views:start -->\n)[\s\S]*?(<!-- views:end -->)/;

async function viewsDoc(): Promise<string> {
  const db = await Db.open(':memory:');
  await createSchema(db);
  const parts: string[] = [];
  for (const v of viewFiles()) {
    const columns = await db.all<{ column_name: string }>('SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index', [v.name]);
    parts.push(`- \`${v.name}\`: ${viewDoc(v.sql)}\n  Columns: ${columns.map((c) => `\`${c.column_name}\``).join(', ')}.\n`);
  }
  db.close();
  return parts.join('');
}

test("the README's schema and views sections are the ones derived from the tables and view headers (UPDATE_README=1 rewrites them)", async () => {
  const readme = readFileSync(README, 'utf8');
  const updated = readme.replace(SECTION, `$1${schemaDoc(allTables)}$2`).replace(VIEWS, `$1${await viewsDoc()}$2`);
  if (process.env.UPDATE_README === '1') writeFileSync(README, updated);
  else expect(readme).toBe(updated);
});

test('the created tables have exactly the described columns, with units in their comments', async () => {
  const db = await Db.open(':memory:');
  await createSchema(db);
  const columns = await db.all<{ column_name: string; data_type: string; comment: string }>(
    "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = 'tasks' ORDER BY column_index",
  );
  expect(columns.map((c) => c.column_name)).toEqual(Object.entries(tasks.columns).filter(([, c]) => !c.helper).map(([n]) => n));
  expect(columns.find((c) => c.column_name === 'executor_cpu_time_ns')).toEqual({
    column_name: 'executor_cpu_time_ns', data_type: 'BIGINT', comment: 'CPU time of the task. [ns]',
  });
  expect(ddl(tasks)[0]).toMatch(/^CREATE TABLE IF NOT EXISTS tasks \(\n {2}app_key VARCHAR,/);
  db.close();
});

test('every table of a new database is in the README: the described ones in the schema section, sparkopt_meta with each of its keys after it', async () => {
  const readme = readFileSync(README, 'utf8');
  const db = await Db.open(':memory:');
  await createSchema(db);
  const tables = (await db.all<{ table_name: string }>('SELECT table_name FROM duckdb_tables() ORDER BY ALL')).map((r) => r.table_name);
  const keys = (await db.all<{ key: string }>('SELECT key FROM sparkopt_meta ORDER BY ALL')).map((r) => r.key);
  db.close();
  expect(tables.filter((t) => t !== 'sparkopt_meta')).toEqual(allTables.map((t) => t.name).sort());
  const afterSection = readme.slice(readme.indexOf('<!-- schema:end -->'), readme.indexOf('## Views'));
  expect(keys).toEqual(['schema_version', 'views']);
  for (const name of ['sparkopt_meta', ...keys]) expect(afterSection).toContain(`\`${name}\``);
});
