import { FatalError } from '../errors.js';
import type { Db } from './db.js';
import { MIGRATIONS } from './migrations.js';
import { ddl } from './spec.js';
import { allTables } from './tables/index.js';
import { createViews } from './views.js';

/**
 * Bumped when a table changes shape; an older database is migrated (migrations.ts), a newer one refused rather
 * than misread.
 */
export const SCHEMA_VERSION = 2;

export async function createSchema(db: Db): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS sparkopt_meta (key VARCHAR, value VARCHAR)');
  const version = await db.all<{ value: string }>("SELECT value FROM sparkopt_meta WHERE key = 'schema_version'");
  const migrating = version.length > 0 && Number(version[0]!.value) !== SCHEMA_VERSION;
  if (migrating) await migrate(db, Number(version[0]!.value));
  if (version.length === 0) {
    // One transaction for all tables and their comments: committing each statement (a WAL sync each) took
    // 0.1 s of every fresh ingest.
    await db.transaction(async () => {
      await db.run(allTables.flatMap(ddl).join(';\n'));
      await db.run("INSERT INTO sparkopt_meta VALUES ('schema_version', ?)", [String(SCHEMA_VERSION)]);
    });
  }
  // A migration may drop views or change the tables under them.
  await createViews(db, migrating);
}

/**
 * Whether the database holds no log yet: it is new, or a copy of the empty one (see new-database.ts). Nothing of
 * it needs reading before an ingest: one look at the catalog, and one at ingested_files if it is there.
 */
export async function holdsNoLogs(db: Db): Promise<boolean> {
  const [tables] = await db.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'ingested_files'");
  if (tables!.n === 0) return true;
  const [stored] = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM ingested_files LIMIT 1)');
  return stored!.n === 0;
}

/** Brings a database of an older version to this one, all steps or none; a newer or unknown one is refused. */
async function migrate(db: Db, from: number): Promise<void> {
  const steps = Array.from({ length: SCHEMA_VERSION - from }, (_, i) => MIGRATIONS[from + i]);
  if (!(from < SCHEMA_VERSION) || steps.some((step) => !step)) {
    throw new FatalError(`database ${db.path} has schema version ${from}, this sparkopt writes ${SCHEMA_VERSION}: ingest into a new --db`);
  }
  await db.transaction(async () => {
    for (const step of steps) await step!(db);
    await db.run("UPDATE sparkopt_meta SET value = ? WHERE key = 'schema_version'", [String(SCHEMA_VERSION)]);
  });
}
