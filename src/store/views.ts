import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));

/** The views, one per .sql file named as the view, created by name: a view reads only views named before it. */
export function viewFiles(): { name: string; sql: string }[] {
  return readdirSync(VIEWS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), sql: readFileSync(VIEWS_DIR + f, 'utf8') }));
}

export async function createViews(db: Db): Promise<void> {
  await db.run(viewFiles().map((v) => v.sql.trim().replace(/;$/, '')).join(';\n'));
}

/** A view's header comment: its grain, units and the reason for its formula (the README lists them). */
export function viewDoc(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => l.startsWith('--'))
    .map((l) => l.replace(/^--\s?/, ''))
    .join(' ');
}
