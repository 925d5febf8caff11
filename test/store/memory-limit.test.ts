import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { limitBytes, MemoryLimit, wideRowsNeed } from '../../src/store/memory-limit.js';
import type { StagedFile } from '../../src/store/staging.js';
import { tempDir } from '../temp-dirs.js';
import { olderDatabase } from './older-database.js';

const START = 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart';
const ADAPTIVE = 'org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate';

function staged(kind: string, lines: number, widestLine: number, bytes = lines * widestLine): StagedFile {
  return { kind, path: `/nowhere/${kind}`, lines, bytes, widestLine, linesPerSlot: new Map([[1, lines]]) };
}

function stagingOf(...files: StagedFile[]) {
  return { pending: (kind: string) => files.find((f) => f.kind === kind) };
}

async function flushThreshold(db: Db): Promise<string> {
  const [row] = await db.all<{ threshold: string }>("SELECT current_setting('allocator_bulk_deallocation_flush_threshold') AS threshold");
  return row!.threshold;
}

async function memoryLimitSetting(db: Db): Promise<string> {
  const [row] = await db.all<{ limit: string }>("SELECT current_setting('memory_limit') AS limit");
  return row!.limit;
}

describe('the memory a commit of wide rows needs', () => {
  test('is the widest line times the 2,048 rows DuckDB moves at once, 1.5 times over', () => {
    // A Thrift server's shape: 20,000 executions with 60 KB plans.
    expect(wideRowsNeed([staged(START, 20_000, 60_300)])).toBe(2048 * 60_300 * 1.5);
    // Plans of AQE updates count with those of the starts.
    expect(wideRowsNeed([staged(START, 1500, 10_000), staged(ADAPTIVE, 3000, 200_000)])).toBe(2048 * 200_000 * 1.5);
  });

  test('but no more than the staged lines hold', () => {
    expect(wideRowsNeed([staged(START, 3, 15_000_000)])).toBe(45_000_000 * 1.5);
    expect(wideRowsNeed([staged(START, 40, 3_000_000, 100_000_000)])).toBe(100_000_000 * 1.5);
    expect(wideRowsNeed([undefined, undefined])).toBe(0);
  });

  test('limits are read in DuckDB units', () => {
    expect([limitBytes('96MB'), limitBytes('1GB'), limitBytes('19.7GB')]).toEqual([96e6, 1e9, 19.7e9]);
    expect(() => limitBytes('96 MiB')).toThrow('not a memory limit: 96 MiB');
  });
});

/** A started MemoryLimit of 96 MB (up to 1 GB) on a database (in memory by default), closed after `work`. */
async function withStartedLimit(work: (db: Db, limit: MemoryLimit) => Promise<void>, file = ':memory:'): Promise<void> {
  const db = await Db.open(file);
  try {
    const limit = new MemoryLimit(db, '96MB', '1GB');
    await limit.start();
    await work(db, limit);
  } finally {
    db.close();
  }
}

describe('MemoryLimit', () => {
  test('raises DuckDB’s limit for a commit of wide rows, up to the most it may, and restores it after', async () => {
    await withStartedLimit(async (db, limit) => {
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
      // 40 plans of 3 MB: 180 MB.
      expect(await limit.raiseFor(stagingOf(staged(START, 40, 3_000_000)))).toBe(true);
      expect(await memoryLimitSetting(db)).toBe('171.6 MiB');
      await limit.restore();
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
      // Ordinary plans fit the base: nothing changes.
      expect(await limit.raiseFor(stagingOf(staged(START, 5000, 20_000)))).toBe(false);
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
      // Never above the last limit of the ladder.
      const capped = new MemoryLimit(db, '96MB', '150MB');
      expect(await capped.raiseFor(stagingOf(staged(START, 20_000, 200_000)))).toBe(true);
      expect(await memoryLimitSetting(db)).toBe('143.0 MiB');
    });
  });

  test('has DuckDB hand freed memory back from the start of a pass, and keep it only while light tables are inserted', async () => {
    await withStartedLimit(async (db, limit) => {
      expect(await flushThreshold(db)).toBe('15.2 MiB');
      expect(await limit.keepingFreedMemory(() => flushThreshold(db))).toBe('488.2 MiB');
      expect(await flushThreshold(db)).toBe('15.2 MiB');
      await expect(limit.keepingFreedMemory(() => Promise.reject(new Error('a light table failed')))).rejects.toThrow('a light table failed');
      expect(await flushThreshold(db)).toBe('15.2 MiB');
    });
  });

  test('inserts task rows under 32 MB in a file of 64 KiB blocks, and every other statement under the pass’s limit', async () => {
    await withStartedLimit(async (db, limit) => {
      await limit.forRows();
      expect(await memoryLimitSetting(db)).toBe('30.5 MiB');
      await limit.forRows();
      expect(await memoryLimitSetting(db)).toBe('30.5 MiB');
      await limit.forOthers();
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
      // A commit that raised its limit keeps it for its own statements; its rows still go in under 32 MB.
      expect(await limit.raiseFor(stagingOf(staged(START, 40, 3_000_000)))).toBe(true);
      await limit.forRows();
      expect(await memoryLimitSetting(db)).toBe('30.5 MiB');
      await limit.forOthers();
      expect(await memoryLimitSetting(db)).toBe('171.6 MiB');
      await limit.restore();
      // The checkpoint writes under the pass's limit, not the rows'.
      await limit.forRows();
      await limit.checkpoint();
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
    }, path.join(tempDir(), 'new.duckdb'));
  });

  test('leaves the limit alone for rows in memory, in a file of 256 KiB blocks, or in a pass after one ran out', async () => {
    await withStartedLimit(async (db, limit) => {
      await limit.forRows();
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
    });
    const older = await olderDatabase();
    await withStartedLimit(async (db, limit) => {
      await limit.forRows();
      expect(await memoryLimitSetting(db)).toBe('91.5 MiB');
    }, older);
    const file = path.join(tempDir(), 'retried.duckdb');
    await withStartedLimit(async (db) => {
      const retry = new MemoryLimit(db, '1GB', '1GB', false);
      await retry.start();
      await retry.forRows();
      expect(await memoryLimitSetting(db)).toBe('953.6 MiB');
    }, file);
  });
});
