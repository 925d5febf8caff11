import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { NEW_DATABASE_FILE, seedNewDatabase } from '../../src/store/new-database.js';
import { createSchema, holdsNoLogs } from '../../src/store/schema.js';
import { tempDir } from '../temp-dirs.js';

/** What `npm run build` (which `npm test` runs first) makes for the bundle. */
const BUILT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bundle', NEW_DATABASE_FILE);

const open: Db[] = [];
async function opened(file: string, readOnly = false): Promise<Db> {
  const db = await Db.open(file, { readOnly });
  open.push(db);
  return db;
}
afterEach(() => open.splice(0).forEach((db) => db.close()));

/** A database's catalog as a user sees it: tables, columns, types, comments, views, sparkopt_meta. */
async function catalog(db: Db) {
  return {
    tables: await db.all("SELECT table_name, comment, estimated_size FROM duckdb_tables() WHERE database_name = current_database() ORDER BY ALL"),
    columns: await db.all("SELECT table_name, column_index, column_name, data_type, comment FROM duckdb_columns() WHERE database_name = current_database() ORDER BY ALL"),
    // By name: DuckDB stores a view's text as it prints its parsed form, which changes once written to a file
    // (their columns are among the columns, the hash of their text in sparkopt_meta).
    views: await db.all("SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database() ORDER BY ALL"),
    meta: await db.all('SELECT key, value FROM sparkopt_meta ORDER BY ALL'),
  };
}

test('the empty database the build makes is the one createSchema makes, and holds no log', async () => {
  expect(existsSync(BUILT), `${BUILT} is missing: run npm run build`).toBe(true);
  const made = await opened(path.join(tempDir(), 'made.duckdb'));
  await createSchema(made);
  const built = await opened(BUILT, true);
  const expected = await catalog(made);
  expect(expected.columns.length).toBeGreaterThan(100);
  expect(expected.views.length).toBeGreaterThan(5);
  expect(await catalog(built)).toEqual(expected);
  expect(await holdsNoLogs(built)).toBe(true);
});

test('a new database starts as a whole copy of the empty one; an existing file is never replaced', async () => {
  const dir = tempDir();
  const template = path.join(dir, 'template.duckdb');
  writeFileSync(template, 'the empty database');
  const fresh = path.join(dir, 'fresh.duckdb');
  seedNewDatabase(fresh, template);
  expect(readFileSync(fresh, 'utf8')).toBe('the empty database');

  const existing = path.join(dir, 'existing.duckdb');
  writeFileSync(existing, 'apps stored before');
  seedNewDatabase(existing, template);
  expect(readFileSync(existing, 'utf8')).toBe('apps stored before');

  // Without the empty database (sparkopt run from its sources) nothing is made: createSchema makes the tables.
  seedNewDatabase(path.join(dir, 'none.duckdb'), path.join(dir, 'missing.duckdb'));
  // In a folder that does not exist nothing is made either: Db.open says why it cannot open the database.
  seedNewDatabase(path.join(dir, 'no-such-folder', 'x.duckdb'), template);
  expect(readdirSync(dir).sort()).toEqual(['existing.duckdb', 'fresh.duckdb', 'template.duckdb']);
});

test('a database holds no log until one is stored', async () => {
  const db = await opened(path.join(tempDir(), 'logs.duckdb'));
  expect(await holdsNoLogs(db)).toBe(true);
  await createSchema(db);
  expect(await holdsNoLogs(db)).toBe(true);
  await db.run("INSERT INTO ingested_files (app_key, path) VALUES ('app-1', '/logs/app-1')");
  expect(await holdsNoLogs(db)).toBe(false);
});

test("the views are made again only when this sparkopt's differ from the stored ones", async () => {
  const db = await opened(path.join(tempDir(), 'views.duckdb'));
  await createSchema(db);
  const columnsOf = async () => (await db.all("SELECT column_name FROM duckdb_columns() WHERE table_name = 'stage_skew'")).length;
  const columns = await columnsOf();
  expect(columns).toBeGreaterThan(5);
  // A view changed behind sparkopt's back stays so while the stored hash says the views are current...
  await db.run('CREATE OR REPLACE VIEW stage_skew AS SELECT 1 AS one');
  await createSchema(db);
  expect(await columnsOf()).toBe(1);
  // ...and is made again once they differ (another version of sparkopt wrote them).
  await db.run("UPDATE sparkopt_meta SET value = 'another version' WHERE key = 'views'");
  await createSchema(db);
  expect(await columnsOf()).toBe(columns);
  expect(await db.all("SELECT count(*)::INTEGER AS n FROM sparkopt_meta WHERE key = 'views'")).toEqual([{ n: 1 }]);
});
