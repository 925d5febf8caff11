import { afterEach, expect, test, vi } from 'vitest';
import { RowBuffer } from '../../src/events/row-buffer.js';
import { allTables } from '../../src/store/tables/index.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';

/** Columns that say when a row was written, not what the log holds. */
const WRITE_TIMES = new Set(['ingested_at']);

async function everyTable(reader: 'rows' | 'json'): Promise<Record<string, unknown[]>> {
  vi.stubEnv('SPARKOPT_TASK_LINES', reader);
  const db = await ingested(corpusDir()!);
  try {
    const tables: Record<string, unknown[]> = {};
    for (const table of allTables) {
      const columns = (await db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table.name}')`)).map((c) => c.name);
      const kept = columns.filter((c) => !WRITE_TIMES.has(c)).join(', ');
      tables[table.name] = await db.all(`SELECT ${kept} FROM ${table.name} ORDER BY ALL`);
    }
    return tables;
  } finally {
    db.close();
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describeCorpus('task lines read in WebAssembly', () => {
  test('give every table of the whole corpus the same rows as DuckDB\'s JSON reader gives', async () => {
    const add = vi.spyOn(RowBuffer.prototype, 'add');
    const rows = await everyTable('rows');
    const read = add.mock.results.filter((r) => r.value === true).length;
    const refused = add.mock.results.length - read;
    add.mockClear();
    const json = await everyTable('json');
    expect(add).not.toHaveBeenCalled();

    // Most task ends are read as rows; the others (failures' messages with escapes, odd values) go to DuckDB.
    expect(rows.tasks!.length).toBeGreaterThan(30_000);
    expect(read).toBeGreaterThan(0.95 * rows.tasks!.length);
    expect(refused).toBeGreaterThan(0);
    for (const table of allTables) expect(rows[table.name], table.name).toEqual(json[table.name]);
  }, 120_000);
});
