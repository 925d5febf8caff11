import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { RowBuffer } from '../../src/events/row-buffer.js';
import { slimTaskEnd } from '../../src/events/slim.js';
import { runsOf } from '../../src/store/buffer-run.js';
import { Db } from '../../src/store/db.js';
import { MemoryLimit } from '../../src/store/memory-limit.js';
import { createSchema } from '../../src/store/schema.js';
import { allTables } from '../../src/store/tables/index.js';
import { ROWS_PER_BUFFER, TaskRows, defineTaskRowSource } from '../../src/store/task-rows.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { FIXTURE_LOGS } from '../raw-events.js';

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

test('rows of several buffers go to DuckDB in one INSERT, each string as its own buffer read it', async () => {
  const log = readFileSync(path.join(FIXTURE_LOGS, 'app-20260301101500-0001'), 'utf8').split('\n');
  const taskEnd = log.find((l) => l.includes('"Event":"SparkListenerTaskEnd"') && l.includes('"Host":"10.0.1.20"'))!;
  // The first buffer's rows on hosts a-host-*, the second's on b-host-*: each buffer numbers its strings from 1.
  const rows = new TaskRows();
  const hosts = new Map<string, number>();
  for (let i = 0; i < ROWS_PER_BUFFER + 100; i++) {
    const host = `${i < ROWS_PER_BUFFER ? 'a' : 'b'}-host-${i % 3}`;
    hosts.set(host, (hosts.get(host) ?? 0) + 1);
    const line = Buffer.from(taskEnd.replace('"Host":"10.0.1.20"', `"Host":"${host}"`));
    const ranges: number[] = [];
    slimTaskEnd(line, 0, line.length, ranges);
    expect(rows.add(1, i + 1, line, ranges)).toBe(true);
  }
  expect(rows.fullBuffers).toBe(1);
  const db = await Db.open(':memory:');
  try {
    await createSchema(db);
    defineTaskRowSource(db);
    const inserts = vi.spyOn(db, 'runWithRows');
    await rows.insert(db, new MemoryLimit(db, '96MB', '96MB'), rows.take(true), ['app-1']);
    expect(inserts).toHaveBeenCalledTimes(1);
    const stored = await db.all('SELECT host, count(*)::INTEGER AS n FROM tasks GROUP BY host ORDER BY host');
    expect(stored).toEqual([...hosts].sort().map(([host, n]) => ({ host, n })));
    expect(stored).toHaveLength(6);
  } finally {
    db.close();
  }
});

test('a buffer of other than whole vectors of rows ends its run (DuckDB asks for 2,048 rows at a time)', () => {
  const buffers = [16384, 100, 2048, 4096, 5].map((rows) => ({ rows }) as RowBuffer);
  expect(runsOf(buffers).map((run) => run.map((b) => b.rows))).toEqual([[16384, 100], [2048, 4096, 5]]);
});
