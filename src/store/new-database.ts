import { copyFileSync, existsSync, linkSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * An empty database with sparkopt's tables, views and column comments, made by `npm run build` beside the bundle
 * that runs this (test/tools/bundle.ts). Absent when sparkopt runs from its sources (the tests): createSchema then
 * makes the tables, as it does for a database given to runIngest.
 */
export const NEW_DATABASE_FILE = 'new-database.duckdb';
const NEW_DATABASE = fileURLToPath(new URL(NEW_DATABASE_FILE, import.meta.url));

/**
 * Starts the database at `path`, if there is none yet, as a copy of NEW_DATABASE: making its tables took DuckDB
 * 50-65 ms (129 column comments, each an ALTER of its table), on the thread a new database's ingest waits for at
 * its end. The copy appears whole or not at all (a hard link of a finished copy), and never replaces a database
 * another process made meanwhile. Where it cannot be made, the database is made as before (or Db.open says why
 * it cannot be opened).
 */
export function seedNewDatabase(path: string, template = NEW_DATABASE): void {
  if (path === ':memory:' || existsSync(path) || !existsSync(template)) return;
  const copy = `${path}.new-${process.pid}`;
  try {
    copyFileSync(template, copy);
    linkSync(copy, path);
  } catch {
    // No copy: see above.
  } finally {
    rmSync(copy, { force: true });
  }
}
