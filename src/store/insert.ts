import type { Db } from './db.js';
import { type Table, storedColumns } from './spec.js';

const ROWS_PER_STATEMENT = 200;

/** Inserts rows built in Node; every value is a parameter. Clock values are epoch ms numbers. */
export async function insertRows(db: Db, table: Table, rows: readonly Record<string, unknown>[]): Promise<void> {
  const columns = storedColumns(table);
  const placeholder = columns.map(([, c]) => (c.type === 'TIMESTAMP' ? 'epoch_ms(?::BIGINT)' : `?::${c.type}`)).join(', ');
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const batch = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values = batch.map(() => `(${placeholder})`).join(', ');
    const params = batch.flatMap((row) => columns.map(([name]) => (row[name] ?? null) as never));
    await db.run(`INSERT INTO ${table.name} (${columns.map(([n]) => n).join(', ')}) VALUES ${values}`, params);
  }
}
