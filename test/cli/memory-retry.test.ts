import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isOutOfMemory, memoryLimits, runIngest } from '../../src/cli/ingest.js';
import { renderIngestSummary } from '../../src/render/ingest-summary.js';
import { Db } from '../../src/store/db.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { tempDir } from './run-cli.js';

const FIXTURE = path.resolve('fixtures/logs/app-20260301101500-0001');
const SMALL_APP = 'app-20260301101500-0001';
const BIG_APP = 'app-20260301101500-9999';
/** The limit ingest starts with. */
const FIRST_LIMIT = memoryLimits()[0]!;
const SQL = 'org.apache.spark.sql.execution.ui.';

/**
 * The fixture app under another id as `dir/name`, each of its events written as the lines `rewrite` gives for
 * it; beside it, as `a-small`, a copy of the fixture as it is.
 */
function writeBigApp(dir: string, name: string, rewrite: (event: Record<string, unknown>) => string[]): void {
  const lines: string[] = [];
  for (const line of readFileSync(FIXTURE, 'utf8').trimEnd().split('\n')) {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (event.Event === 'SparkListenerApplicationStart') event['App ID'] = BIG_APP;
    lines.push(...rewrite(event));
  }
  writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'a-small'), readFileSync(FIXTURE));
}

/**
 * The big app with `count` more SQL executions whose plans are `planChars` long (Spark writes plans of any
 * length: a query over thousands of columns gets megabytes; a streaming query gets one execution, and one plan,
 * per micro-batch) and whose SQL texts are `textChars` long (a BI tool's queries through a Thrift server run to
 * tens of KB). Returns the characters of the plans its executions keep (AQE's last update, else the one each
 * started with) and of its SQL texts.
 */
function writePlanLog(dir: string, count: number, planChars: number, textChars = 2): { plans: number; texts: number } {
  const finalPlans = new Map<unknown, string>();
  const texts = new Map<unknown, string>();
  writeBigApp(dir, 'b-big-plans', (event) => {
    const lines: string[] = [];
    if (event.Event === `${SQL}SparkListenerSQLExecutionStart` || event.Event === `${SQL}SparkListenerSQLAdaptiveExecutionUpdate`) {
      finalPlans.set(event.executionId, event.physicalPlanDescription as string);
    }
    if (event.Event === `${SQL}SparkListenerSQLExecutionStart`) texts.set(event.executionId, event.description as string);
    if (event.Event === 'SparkListenerApplicationEnd') {
      for (let i = 0; i < count; i++) {
        const plan = `== Physical Plan ==\n${`Project [c${i}, ...]\n`.repeat(planChars / 16)}`.slice(0, planChars);
        const text = `q${i} ${`SELECT c${i}, sum(x) FROM t GROUP BY 1 `.repeat(textChars / 16)}`.slice(0, textChars);
        finalPlans.set(1000 + i, plan);
        texts.set(1000 + i, text);
        const start = { Event: `${SQL}SparkListenerSQLExecutionStart`, executionId: 1000 + i, description: text, physicalPlanDescription: plan, time: 1772360000000 + i };
        lines.push(JSON.stringify(start), JSON.stringify({ Event: `${SQL}SparkListenerSQLExecutionEnd`, executionId: 1000 + i, time: 1772360000500 + i }));
      }
    }
    return [...lines, JSON.stringify(event)];
  });
  const chars = (values: Map<unknown, string>) => [...values.values()].reduce((n, value) => n + value.length, 0);
  return { plans: chars(finalPlans), texts: chars(texts) };
}

/**
 * The big app with its task ends written `copies` times over (task ids renumbered): about 0.2 MB of log per
 * copy. Returns its task count.
 */
function writeTaskLog(dir: string, copies: number): number {
  let tasks = 0;
  writeBigApp(dir, 'b-big-tasks', (event) => {
    if (event.Event !== 'SparkListenerTaskEnd') return [JSON.stringify(event)];
    const info = event['Task Info'] as { 'Task ID': number };
    const taskId = info['Task ID'];
    return Array.from({ length: copies }, (_, copy) => {
      info['Task ID'] = taskId + copy * 1_000_000;
      tasks++;
      return JSON.stringify(event);
    });
  });
  return tasks;
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

async function storedChars(db: Db, appKey: string): Promise<{ plans: number; texts: number }> {
  const [row] = await db.all<{ plans: number; texts: number }>(
    `SELECT (SELECT sum(length(physical_plan))::BIGINT FROM sql_plans WHERE app_key = $1) AS plans,
      (SELECT sum(length(description))::BIGINT FROM sql_executions WHERE app_key = $1) AS texts`,
    [appKey],
  );
  return row!;
}

describe('ingest when DuckDB runs out of memory', () => {
  test('a batch of plans too wide for the first limit is committed under a limit raised for it, in one pass', async () => {
    const dir = tempDir();
    // 40 plans of 3 MB: DuckDB moves up to 2,048 rows at once, here 120 MB of plans.
    const chars = writePlanLog(dir, 40, 3_000_000);
    const db = await Db.open(path.join(dir, 'raise.duckdb'));
    const settings = async () => {
      const [row] = await db.all<{ limit: string; threads: number }>("SELECT current_setting('memory_limit') AS limit, current_setting('threads') AS threads");
      // DuckDB shows the limit rounded (`18.8 GiB`), and reads that back as a little less.
      return { gib: Math.round(Number.parseFloat(row!.limit) * (row!.limit.endsWith('GiB') ? 1 : 1 / 1024)), threads: row!.threads };
    };
    try {
      const before = await settings();
      const summary = await runIngest(db, [dir], false, [FIRST_LIMIT, '1GB']);
      // Queries after the ingest run under DuckDB's own settings again (the sum of plans below needs them).
      expect(await settings()).toEqual(before);
      expect([summary.memoryRetries, summary.memoryLimit]).toEqual([0, FIRST_LIMIT]);
      expect(renderIngestSummary(summary, 'table')).not.toContain('  memory ');
      expect(summary.apps).toEqual([SMALL_APP, BIG_APP]);
      expect([summary.logs, summary.unchanged, summary.failures]).toEqual([2, 0, []]);
      const [counts] = await db.all<{ apps: number; sql: number; tasks: number }>(
        'SELECT (SELECT count(*) FROM apps) AS apps, (SELECT count(*) FROM sql_executions) AS sql, (SELECT count(*) FROM tasks) AS tasks',
      );
      expect(counts).toEqual({ apps: 2, sql: 5 + 45, tasks: 128 });
      expect(await storedChars(db, BIG_APP)).toEqual(chars);
    } finally {
      db.close();
    }
  }, 60_000);

  test('the logs not yet stored are read again under a higher limit; nothing is lost or counted twice', async () => {
    const dir = tempDir();
    const tasks = writeTaskLog(dir, 250);
    const db = await Db.open(path.join(dir, 'retry.duckdb'));
    try {
      // 32 MB is too little for the big log's task lines (not a question of wide rows, which a raise covers).
      const summary = await runIngest(db, [dir], false, ['32MB', '1GB']);
      expect(summary.memoryRetries).toBe(1);
      expect(summary.memoryLimit).toBe('1GB');
      expect(renderIngestSummary(summary, 'table')).toContain('  memory      DuckDB ran out of memory: the logs not yet stored were read again with a 1GB limit\n');
      expect(summary.apps).toEqual([SMALL_APP, BIG_APP]);
      expect([summary.logs, summary.unchanged, summary.failures]).toEqual([2, 0, []]);
      const counts = await db.all<{ app_key: string; tasks: number; task_ids: number }>(
        'SELECT app_key, count(*) AS tasks, count(DISTINCT task_id) AS task_ids FROM tasks GROUP BY app_key ORDER BY app_key',
      );
      expect(counts).toEqual([
        { app_key: SMALL_APP, tasks: 64, task_ids: 64 },
        { app_key: BIG_APP, tasks, task_ids: tasks },
      ]);
      const [apps] = await db.all<{ n: number }>('SELECT count(*) AS n FROM apps');
      expect(apps!.n).toBe(2);
    } finally {
      db.close();
    }
  }, 60_000);

  test('under the first limit alone the big log fails, and the batch stored before it stays', async () => {
    const dir = tempDir();
    writePlanLog(dir, 40, 3_000_000);
    const db = await Db.open(path.join(dir, 'once.duckdb'));
    try {
      const error = await runIngest(db, [dir], false, [FIRST_LIMIT]).then(() => undefined, (e: unknown) => e);
      expect(isOutOfMemory(error), String(error)).toBe(true);
      const apps = await db.all<{ app_key: string }>('SELECT app_key FROM apps');
      expect(apps).toEqual([{ app_key: SMALL_APP }]);
    } finally {
      db.close();
    }
  }, 60_000);

  test('plans and SQL texts stay out of memory otherwise: 9,000 executions with 10 KB plans and 12 KB texts fit the first limit', async () => {
    const dir = tempDir();
    // A streaming query's shape (one execution per micro-batch) or a Thrift server's: 90 MB of plans and 108 MB
    // of SQL texts, which the merge of SQL executions once held all at once (each ran out under the first limit).
    const chars = writePlanLog(dir, 9000, 10_000, 12_000);
    const db = await Db.open(path.join(dir, 'stream.duckdb'));
    try {
      const summary = await runIngest(db, [dir], false, [FIRST_LIMIT]);
      expect([summary.memoryRetries, summary.apps]).toEqual([0, [SMALL_APP, BIG_APP]]);
      const [row] = await db.all<{ n: number }>('SELECT count(*) AS n FROM sql_executions WHERE app_key = ?', [BIG_APP]);
      expect(row!.n).toBe(9005);
      expect(await storedChars(db, BIG_APP)).toEqual(chars);
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
    // A checkpoint that ran out invalidates the database: nothing can be read again on it.
    expect(isOutOfMemory(new Error('FATAL Error: Failed to create checkpoint because of error: failed to pin block of size 256.0 KiB (91.4 MiB/91.5 MiB used)'))).toBe(false);
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
