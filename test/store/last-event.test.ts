import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runIngest } from '../../src/cli/ingest.js';
import { Db } from '../../src/store/db.js';
import { tempDir } from '../cli/run-cli.js';
import { corpusPath, describeCorpus } from '../corpus.js';

// Every clock the app's stored rows hold, computed over whole tables: what the batch's bounded update must find.
const LATEST_CLOCK_SQL = `
SELECT a.app_key, a.last_event_time AS stored, (
  SELECT max(t) FROM (
    SELECT finish_time AS t FROM tasks WHERE app_key = a.app_key
    UNION ALL SELECT launch_time FROM tasks WHERE app_key = a.app_key
    UNION ALL SELECT complete_time FROM stages WHERE app_key = a.app_key
    UNION ALL SELECT submit_time FROM stages WHERE app_key = a.app_key
    UNION ALL SELECT end_time FROM jobs WHERE app_key = a.app_key
    UNION ALL SELECT submit_time FROM jobs WHERE app_key = a.app_key
    UNION ALL SELECT greatest(add_time, remove_time) FROM executors WHERE app_key = a.app_key
    UNION ALL SELECT greatest(start_time, end_time) FROM sql_executions WHERE app_key = a.app_key
    UNION ALL SELECT greatest(start_time, end_time))
) AS expected
FROM apps a ORDER BY a.app_key`;

describeCorpus('the last clock of each app', () => {
  test('is the latest clock of its own rows, for apps stored by later ingests into a big database too', async () => {
    const db = await Db.open(path.join(tempDir(), 'l.duckdb'));
    try {
      await runIngest(db, [corpusPath('rapids/spark-events-qualification')], false);
      await runIngest(db, [corpusPath('codecs/inprogress/local-1623281204390.zstd.inprogress'), corpusPath('rapids/spark-events-profiling')], false);
      const rows = await db.all<{ app_key: string; stored: unknown; expected: unknown }>(LATEST_CLOCK_SQL);
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.filter((r) => r.expected !== null).length).toBeGreaterThan(20);
      for (const r of rows) expect(r.stored, r.app_key).toEqual(r.expected);
      const [{ n }] = await db.all<{ n: number }>("SELECT count(*) AS n FROM apps WHERE NOT completed AND duration_ms = epoch_ms(last_event_time) - epoch_ms(start_time)");
      expect(n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  test('of a running app is its latest submission too: a job submitted after the last finished work', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app-20161115172038-0000.inprogress');
    const lines = readFileSync(corpusPath('spark-history/logs/app-20161115172038-0000'), 'utf8').split('\n').slice(0, 30);
    writeFileSync(log, lines.join('\n') + '\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const lastJobSubmission = Math.max(...events.filter((e) => e.Event === 'SparkListenerJobStart').map((e) => e['Submission Time']));
    const db = await Db.open(path.join(dir, 'r.duckdb'));
    try {
      await runIngest(db, [log], false);
      const [app] = await db.all<{ last: number; duration_ms: number; start: number }>('SELECT epoch_ms(last_event_time) AS last, duration_ms, epoch_ms(start_time) AS start FROM apps');
      expect(app!.last).toBe(lastJobSubmission);
      expect(app!.duration_ms).toBe(lastJobSubmission - app!.start);
    } finally {
      db.close();
    }
  });
});
