import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';

const PLAIN = {
  'local-1622043423011': 'rapids/spark-events-qualification/cluster_information/eventlog_2nodes_8cores',
  'local-1623281204390': 'rapids/spark-events-qualification/udf_func_eventlog',
};
const CODECS = ['zstd', 'lz4', 'snappy', 'lzf'];
const TABLES = ['tasks', 'stages', 'jobs', 'executors', 'sql_executions', 'sql_plans', 'spark_properties'];

async function tableRows(db: Db, table: string): Promise<string[]> {
  const rows = await db.all(`SELECT * FROM ${table}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}

describeCorpus('a log compressed by each of Spark\'s codecs', () => {
  const plain = new Map<string, Db>();
  beforeAll(async () => {
    for (const [appId, file] of Object.entries(PLAIN)) plain.set(appId, await ingested(corpusPath(file)));
  });
  afterAll(() => plain.forEach((db) => db.close()));

  test('a zstd .inprogress log cut before its first job keeps the app and its driver, marked incomplete', async () => {
    const db = await ingested(corpusPath('codecs/inprogress/local-1623281204390.zstd.inprogress'));
    expect(await db.all('SELECT app_key, app_name, completed, events FROM apps')).toEqual([
      { app_key: 'local-1623281204390', app_name: 'Rapids Spark Profiling Tool Unit Tests', completed: false, events: 6 },
    ]);
    expect(await db.all('SELECT executor_id, total_cores FROM executors')).toEqual([{ executor_id: 'driver', total_cores: 12 }]);
    expect(await db.all("SELECT kind FROM ingest_errors")).toEqual([{ kind: 'cut_stream' }]);
    db.close();
  });

  for (const [appId] of Object.entries(PLAIN)) {
    for (const codec of CODECS) {
      test(`${appId}.${codec} gives exactly the rows of the plain log`, async () => {
        const db = await ingested(corpusPath('codecs', `${appId}.${codec}`));
        for (const table of TABLES) expect(await tableRows(db, table), table).toEqual(await tableRows(plain.get(appId)!, table));
        expect(await db.all('SELECT completed FROM apps')).toEqual(await plain.get(appId)!.all('SELECT completed FROM apps'));
        db.close();
      });
    }
  }

  // The zstd copy is cut before its first job; the others after several stages.
  for (const codec of CODECS.filter((c) => c !== 'zstd')) {
    test(`a cut ${codec} .inprogress log gives a prefix of the plain log's tasks and is marked incomplete`, async () => {
      const db = await ingested(corpusPath('codecs/inprogress', `local-1623281204390.${codec}.inprogress`));
      const cut = await tableRows(db, 'tasks');
      const full = await tableRows(plain.get('local-1623281204390')!, 'tasks');
      expect(cut.length).toBeLessThan(full.length);
      expect(full).toEqual(expect.arrayContaining(cut));
      // A prefix may end inside a stage or job, so only their ids must be a subset (a cut stage is `active`).
      for (const ids of ['SELECT stage_id, stage_attempt_id FROM stages', 'SELECT job_id FROM jobs', 'SELECT executor_id FROM executors']) {
        const part = await db.all(ids);
        expect(part.length).toBeGreaterThan(0);
        expect(await plain.get('local-1623281204390')!.all(ids)).toEqual(expect.arrayContaining(part));
      }
      expect(await db.all('SELECT completed FROM apps')).toEqual([{ completed: false }]);
      expect(await db.all('SELECT complete, codec FROM ingested_files')).toEqual([{ complete: false, codec }]);
      expect(db.summary.incomplete).toBe(1);
      db.close();
    });
  }
});
