import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));
/** sparkopt_meta's key for the hash of the views' text. */
const VIEWS_KEY = 'views';

/** The views, one per .sql file named as the view, created by name: a view reads only views named before it. */
export function viewFiles(): { name: string; sql: string }[] {
  return readdirSync(VIEWS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), sql: readFileSync(VIEWS_DIR + f, 'utf8') }));
}

/**
 * Makes the views, unless the database holds these very ones already (`force`: even then): views are code, made
 * again by a sparkopt whose views differ, not at every ingest (15 ms of DuckDB's time each, on the thread an
 * ingest waits for at its end). The hash of their text is kept in sparkopt_meta.
 */
export async function createViews(db: Db, force: boolean): Promise<void> {
  const sql = viewFiles().map((v) => v.sql.trim().replace(/;$/, '')).join(';\n');
  const hash = createHash('sha1').update(sql).digest('hex');
  const [stored] = await db.all<{ value: string }>('SELECT value FROM sparkopt_meta WHERE key = ?', [VIEWS_KEY]);
  if (!force && stored?.value === hash) return;
  await db.transaction(async () => {
    await db.run(sql);
    await db.run('DELETE FROM sparkopt_meta WHERE key = ?', [VIEWS_KEY]);
    await db.run('INSERT INTO sparkopt_meta VALUES (?, ?)', [VIEWS_KEY, hash]);
  });
}

/** A view's header comment: its grain, units and the reason for its formula (the README lists them). */
export function viewDoc(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => l.startsWith('--'))
    .map((l) => l.replace(/^--\s?/, ''))
    .join(' ');
}
