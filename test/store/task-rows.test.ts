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
    const scan = RowBuffer.prototype.scan;
    let scanned = 0;
    const scans = vi.spyOn(RowBuffer.prototype, 'scan').mockImplementation(function (this: RowBuffer, ...args) {
      const stop = scan.apply(this, args);
      scanned += stop.rows;
      return stop;
    });
    const rows = await everyTable('rows');
    const added = add.mock.results.filter((r) => r.value === true).length;
    const refused = add.mock.results.length - added;
    add.mockClear();
    scans.mockClear();
    const json = await everyTable('json');
    expect(add).not.toHaveBeenCalled();
    expect(scans).not.toHaveBeenCalled();

    // Most task ends are read as rows, nearly all by the scan of whole chunks (the first line of each shape
    // teaches a template through add); the others (failures' messages with escapes, odd values) go to DuckDB.
    expect(rows.tasks!.length).toBeGreaterThan(30_000);
    expect(scanned + added).toBeGreaterThan(0.95 * rows.tasks!.length);
    expect(scanned).toBeGreaterThan(0.9 * rows.tasks!.length);
    expect(refused).toBeGreaterThan(0);
    for (const table of allTables) expect(rows[table.name], table.name).toEqual(json[table.name]);
  }, 120_000);
});
