import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isOutOfMemory, memoryLimits, runIngest } from '../../src/cli/ingest.js';
import { renderIngestSummary } from '../../src/render/ingest-summary.js';
import { Db } from '../../src/store/db.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { tempDir } from './run-cli.js';

const FIXTURE = path.resolve('fixtures/logs/app-20260301101500-0001');
const BIG_APP = 'app-20260301101500-9999';
const PLAN_BYTES = 15_000_000;
const SQL_START = 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart';
/** The limit ingest starts with. */
const FIRST_LIMIT = memoryLimits()[0]!;
const SQL_ADAPTIVE = 'org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate';

/**
 * The fixture app under another id, each SQL execution's plan 15 MB long (Spark writes plans of any length; a
 * query over thousands of columns gets one like this). DuckDB cannot hold a few of those under the first limit.
 */
function writeBigPlanLog(dir: string): number {
  // The plan each execution keeps: AQE's last update, else the one it started with.
  const finalPlans = new Map<unknown, string>();
  const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n').map((line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (event.Event === 'SparkListenerApplicationStart') event['App ID'] = BIG_APP;
    if (event.Event === SQL_ADAPTIVE) finalPlans.set(event.executionId, event.physicalPlanDescription as string);
    if (event.Event !== SQL_START) return JSON.stringify(event);
    const plan = `== Physical Plan ==\n${`Project [c${event.executionId}, ...]\n`.repeat(PLAN_BYTES / 20)}`.slice(0, PLAN_BYTES);
    finalPlans.set(event.executionId, plan);
    return JSON.stringify({ ...event, physicalPlanDescription: plan });
  });
  writeFileSync(path.join(dir, 'b-big-plans'), lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'a-small'), readFileSync(FIXTURE));
  return [...finalPlans.values()].reduce((n, plan) => n + plan.length, 0);
}

/** Files this process has open in a staging folder (Linux; elsewhere none are seen). */
function openStagingFiles(): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  });
  return targets.filter((target) => /sparkopt-[^/]+\/\d+\.ndjson/.test(target));
}

async function storedPlanChars(db: Db, appKey: string): Promise<number> {
  const [row] = await db.all<{ n: number }>('SELECT sum(length(physical_plan))::BIGINT AS n FROM sql_executions WHERE app_key = ?', [appKey]);
  return row!.n;
}

describe('ingest when DuckDB runs out of memory', () => {
  test('the logs not yet stored are read again under a higher limit; nothing is lost or counted twice', async () => {
    const dir = tempDir();
    const planChars = writeBigPlanLog(dir);
    const db = await Db.open(path.join(dir, 'retry.duckdb'));
    try {
      const summary = await runIngest(db, [dir], false, [FIRST_LIMIT, '1GB']);
      expect(summary.memoryRetries).toBe(1);
      expect(summary.memoryLimit).toBe('1GB');
      expect(summary.apps).toEqual(['app-20260301101500-0001', BIG_APP]);
      expect([summary.logs, summary.unchanged, summary.failures]).toEqual([2, 0, []]);
      expect(renderIngestSummary(summary, 'table')).toContain('  memory      DuckDB ran out of memory: the logs not yet stored were read again with a 1GB limit\n');
      const [counts] = await db.all<{ apps: number; sql: number; tasks: number }>(
        'SELECT (SELECT count(*) FROM apps) AS apps, (SELECT count(*) FROM sql_executions) AS sql, (SELECT count(*) FROM tasks) AS tasks',
      );
      expect(counts).toEqual({ apps: 2, sql: 10, tasks: 128 });
      expect(await storedPlanChars(db, BIG_APP)).toBe(planChars);
    } finally {
      db.close();
    }
  }, 60_000);

  test('under the first limit alone the big log fails, and the batch stored before it stays', async () => {
    const dir = tempDir();
    writeBigPlanLog(dir);
    const db = await Db.open(path.join(dir, 'once.duckdb'));
    try {
      await expect(runIngest(db, [dir], false, [FIRST_LIMIT])).rejects.toThrow(/Out of Memory/);
      const apps = await db.all<{ app_key: string }>('SELECT app_key FROM apps');
      expect(apps).toEqual([{ app_key: 'app-20260301101500-0001' }]);
    } finally {
      db.close();
    }
  }, 60_000);

  test('only running out of memory is retried', () => {
    // Messages DuckDB 1.5 gave in this project's measurements.
    expect(isOutOfMemory(new Error('Out of Memory Error: failed to allocate data of size 16.0 MiB (117.0 MiB/122.0 MiB used)'))).toBe(true);
    expect(isOutOfMemory(new Error('TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (121.9 MiB/122.0 MiB used)'))).toBe(true);
    expect(isOutOfMemory(new Error('Conversion Error: Could not convert string "x" to INT64'))).toBe(false);
    expect(isOutOfMemory(new Error('IO Error: No files found that match the pattern "/tmp/x.ndjson"'))).toBe(false);
  });
});

describeCorpus('a failed pass', () => {
  test('leaves no staged file open: a big log failing in the middle of its task lines', async () => {
    const dir = tempDir();
    const db = await Db.open(path.join(dir, 'mid.duckdb'));
    try {
      // 48 MB of JSON: DuckDB fails on its first piece of task lines while Node holds the other kinds open.
      const log = corpusPath('rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd');
      await expect(runIngest(db, [log], false, ['32MB'])).rejects.toThrow(/Out of Memory/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(openStagingFiles()).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});
