import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { runIngest } from '../../src/cli/ingest.js';
import { Db } from '../../src/store/db.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { tempDir } from '../temp-dirs.js';

afterEach(() => vi.restoreAllMocks());

test('an ingest into a new database file inserts task rows under 32 MB and reads staged JSON under its pass limit', async () => {
  const db = await Db.open(path.join(tempDir(), 'fixtures.duckdb'));
  // Every statement with the memory_limit DuckDB had when it ran, followed through the SETs.
  const run = Db.prototype.run;
  const statements: { sql: string; limit: string }[] = [];
  let limit = 'default';
  vi.spyOn(Db.prototype, 'run').mockImplementation(function (this: Db, sql, params) {
    const set = /^SET memory_limit = '(\w+)'$/.exec(sql);
    if (set) limit = set[1]!;
    else statements.push({ sql, limit });
    return run.call(this, sql, params);
  });
  try {
    const summary = await runIngest(db, [FIXTURE_LOGS], false);
    expect([summary.failures, summary.memoryRetries]).toEqual([[], 0]);
    const rowInserts = statements.filter((s) => s.sql.includes('sparkopt_task_rows()'));
    const jsonReads = statements.filter((s) => s.sql.includes('read_ndjson('));
    expect(rowInserts.length).toBeGreaterThan(0);
    expect(jsonReads.length).toBeGreaterThan(0);
    expect(new Set(rowInserts.map((s) => s.limit))).toEqual(new Set(['32MB']));
    expect(new Set(jsonReads.map((s) => s.limit))).toEqual(new Set(['96MB']));
    expect(statements.find((s) => s.sql === 'CHECKPOINT')?.limit).toBe('96MB');
  } finally {
    db.close();
  }
  vi.restoreAllMocks();
  // The same rows as in memory, where the limit is never lowered.
  const inMemory = await Db.open(':memory:');
  const reopened = await Db.open(db.path, { readOnly: true });
  try {
    await runIngest(inMemory, [FIXTURE_LOGS], false);
    const rows = 'SELECT count(*)::INTEGER AS n, sum(duration_ms)::BIGINT AS ms, count(DISTINCT app_key)::INTEGER AS apps FROM tasks';
    const expected = await inMemory.all(rows);
    expect(expected[0]!.n).toBeGreaterThan(1000);
    expect(await reopened.all(rows)).toEqual(expected);
  } finally {
    inMemory.close();
    reopened.close();
  }
});
