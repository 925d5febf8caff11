import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Db, NEW_FILE_BLOCK_BYTES, yieldToDuckDb } from '../../src/store/db.js';
import { tempDir } from '../temp-dirs.js';
import { olderDatabase } from './older-database.js';

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
});
afterAll(() => db.close());

test('rows come back as plain JS: wide integers as numbers, nested ones too, clocks as Dates', async () => {
  const rows = await db.all(`SELECT 9007199254740991::BIGINT AS big, -5::HUGEINT AS huge, 7::UBIGINT AS unsigned, 3::INTEGER AS small,
    [1, 2]::BIGINT[] AS list, {'a': 4::BIGINT} AS struct, TIMESTAMP '2026-01-02 03:04:05.678' AS at, NULL::BIGINT AS missing, 'x' AS text`);
  expect(rows).toEqual([{
    big: 9007199254740991, huge: -5, unsigned: 7, small: 3, list: [1, 2], struct: { a: 4 }, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), missing: null, text: 'x',
  }]);
  const { columns, rows: queried } = await db.query('SELECT 12::BIGINT AS n, [3]::HUGEINT[] AS l');
  expect(columns).toEqual(['n', 'l']);
  expect(queried).toEqual([{ n: 12, l: [3] }]);
});

test('an integer a number cannot hold exactly is an error, not a rounded value', async () => {
  await expect(db.all('SELECT 9007199254740993::BIGINT AS n')).rejects.toThrow('value 9007199254740993 exceeds 2^53 and cannot be represented exactly');
  await expect(db.all('SELECT [-9007199254740993]::BIGINT[] AS n')).rejects.toThrow('exceeds 2^53');
});

test('a result streamed chunk by chunk comes whole, in order, as plain JS columns', async () => {
  const chunks: number[] = [];
  const rows: unknown[][] = [];
  await db.eachChunk('SELECT range AS id, range % 3 = 0 AS third, NULLIF(range % 2, 0)::BIGINT AS odd FROM range(?::BIGINT) ORDER BY id', [5000], (columns, rowCount) => {
    chunks.push(rowCount);
    for (let i = 0; i < rowCount; i++) rows.push(columns.map((c) => c[i]));
  });
  expect(chunks.length).toBeGreaterThan(1);
  expect(rows).toEqual(Array.from({ length: 5000 }, (_, i) => [i, i % 3 === 0, i % 2 === 1 ? 1 : null]));
});

test('Node yields to DuckDB only while a statement of any Db is running, and its result arrives in that turn', async () => {
  expect(yieldToDuckDb()).toBeUndefined();
  let done = false;
  const running = db.all('SELECT count(*)::BIGINT AS n FROM range(3000000) a').then((rows) => {
    done = true;
    return rows;
  });
  // Node busy in promise callbacks alone (as it is reading a file's chunks) never lets the result in; turns do.
  for (let i = 0; i < 1000 && !done; i++) await Promise.resolve();
  expect(done).toBe(false);
  let turns = 0;
  for (let turn = yieldToDuckDb(); turn; turn = yieldToDuckDb()) {
    await turn;
    turns++;
  }
  expect(turns).toBeGreaterThan(0);
  expect(await running).toEqual([{ n: 3000000 }]);
  expect(yieldToDuckDb()).toBeUndefined();
});

test('a database opened for writing stores row groups of 16,384 rows, spills beside its file, and any file name works', async () => {
  // A quote and a semicolon: the path reaches ATTACH as a string literal, which must keep it whole.
  const file = path.join(tempDir(), "it's; DROP.duckdb");
  const writer = await Db.open(file);
  try {
    expect(await writer.all("SELECT current_setting('temp_directory') AS spill")).toEqual([{ spill: `${file}.tmp` }]);
    await writer.run('CREATE TABLE t (n BIGINT)');
    await writer.run('BEGIN TRANSACTION');
    await writer.run('INSERT INTO t SELECT range FROM range(40000)');
    await writer.run('COMMIT');
    await writer.run('CHECKPOINT');
  } finally {
    writer.close();
  }
  expect(existsSync(file)).toBe(true);
  const reader = await Db.open(file, { readOnly: true });
  try {
    const groups = await reader.all('SELECT row_group_id AS id, max(count) AS rows FROM pragma_storage_info(?) GROUP BY id ORDER BY id', ['t']);
    expect(groups).toEqual([{ id: 0, rows: 16384 }, { id: 1, rows: 16384 }, { id: 2, rows: 7232 }]);
    expect(await reader.all('SELECT sum(n)::BIGINT AS total FROM t')).toEqual([{ total: (40000 * 39999) / 2 }]);
  } finally {
    reader.close();
  }
});

test('a database file sparkopt makes has 64 KiB blocks; a file made before keeps its own', async () => {
  const blockSize = async (file: string): Promise<unknown> => {
    const reader = await Db.open(file, { readOnly: true });
    try {
      return (await reader.all('SELECT block_size FROM pragma_database_size()'))[0]!.block_size;
    } finally {
      reader.close();
    }
  };
  const writeTable = async (file: string): Promise<void> => {
    const writer = await Db.open(file);
    try {
      await writer.run('CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS n');
    } finally {
      writer.close();
    }
  };
  const dir = tempDir();
  const made = path.join(dir, 'new.duckdb');
  await writeTable(made);
  expect(NEW_FILE_BLOCK_BYTES).toBe(65536);
  expect(await blockSize(made)).toBe(NEW_FILE_BLOCK_BYTES);

  // DuckDB's own default, as sparkopt made files before: opened for writing again, not refused.
  const older = await olderDatabase();
  await writeTable(older);
  expect(await blockSize(older)).toBe(256 * 1024);
});
