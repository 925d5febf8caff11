// Baseline "DuckDB": DuckDB's own JSON reader builds the tasks table from the plain log in one typed
// read_ndjson query (CREATE TABLE AS, fresh file database, DuckDB's default settings). The typed struct is
// derived from sparkopt's tasks table spec, so it reads exactly the task fields sparkopt reads and computes the
// same derived columns: the bar is "what DuckDB alone does with the same JSON".
// Usage: node duckdb-json.js <database file> <plain ndjson file or glob>   Prints {"rows","version","threads"}.
import type * as DuckDB from '@duckdb/node-api';
import { createRequire } from 'node:module';
import { type Column, type JsonPath, pathIn, quoteIdent, sqlString, storedColumns } from '../../../src/store/spec.js';
import { tasks } from '../../../src/store/tables/tasks.js';

const [dbPath, source] = process.argv.slice(2);
if (!dbPath || !source) throw new Error('usage: duckdb-json.js <database> <plain ndjson file or glob>');

const TASK_END = tasks.events[0]!;
type Tree = Map<string, Tree | string>;

function addPath(tree: Tree, path: JsonPath, type: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    let child = node.get(key);
    if (!(child instanceof Map)) node.set(key, (child = new Map()));
    node = child;
  }
  node.set(path[path.length - 1]!, type);
}

const structOf = (tree: Tree): string =>
  `STRUCT(${[...tree].map(([k, t]) => `${quoteIdent(k)} ${typeof t === 'string' ? t : structOf(t)}`).join(', ')})`;

// Clocks arrive as epoch ms; 0 or -1 means never set (as sparkopt's extract does).
const rawType = (c: Column): string => (c.type === 'TIMESTAMP' ? 'BIGINT' : c.type);
const converted = (c: Column, expr: string): string => (c.type === 'TIMESTAMP' ? `CASE WHEN ${expr} > 0 THEN epoch_ms(${expr}) END` : expr);

const tree: Tree = new Map([['Event', 'VARCHAR']]);
const fields: string[] = [];
for (const [name, c] of Object.entries(tasks.columns)) {
  const path = pathIn(c, TASK_END);
  if (!path) continue;
  addPath(tree, path, rawType(c));
  fields.push(`${converted(c, path.map(quoteIdent).join('.'))} AS ${name}`);
}
const columns = `{${[...tree].map(([k, t]) => `${sqlString(k)}: ${sqlString(typeof t === 'string' ? t : structOf(t))}`).join(', ')}}`;
const stored = storedColumns(tasks).map(([name, c]) => (name === 'app_key' ? `'bench' AS app_key` : c.sql ? `${c.sql} AS ${name}` : name));
const sql = `CREATE TABLE tasks AS SELECT ${stored.join(', ')} FROM (
  SELECT ${fields.join(', ')}
  FROM read_ndjson(${sqlString(source)}, columns = ${columns}, maximum_object_size = 67108864)
  WHERE "Event" = ${sqlString(TASK_END)})`;

// Loaded as sparkopt loads it (src/store/db.ts): as CommonJS, without the ESM loader's scan of its files.
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;
const instance = await DuckDBInstance.create(dbPath);
const connection = await instance.connect();
await connection.run(sql);
const info = await connection.runAndReadAll(
  `SELECT (SELECT count(*) FROM tasks) AS rows, version() AS version, current_setting('threads') AS threads`,
);
const [rows, version, threads] = info.getRows()[0]!;
connection.closeSync();
instance.closeSync();
process.stdout.write(JSON.stringify({ rows: Number(rows), version, threads: Number(threads), sql }) + '\n');
