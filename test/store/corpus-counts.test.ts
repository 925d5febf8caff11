import { beforeAll, expect, test } from 'vitest';
import { discoverLogs, type LogSource } from '../../src/source/discover.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { countRaw, rawText } from '../raw-counts.js';

const COUNTS_SQL = `SELECT
  (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM stages) AS stages, (SELECT count(*) FROM jobs) AS jobs,
  (SELECT count(*) FROM executors) AS executors, (SELECT count(*) FROM sql_executions) AS sqlExecutions,
  (SELECT count(*) FROM ingest_errors WHERE kind = 'bad_line') AS badLines`;

// Logs whose codec the one-shot counter cannot read are compared with their plain originals in codecs.test.ts.
const countable = (s: LogSource) => !/\.(lz4|lzf|snappy)(\.inprogress)?$/.test(s.logPath) && !s.logPath.endsWith('.zstd.inprogress');

describeCorpus('every log in the corpus', () => {
  let sources: LogSource[] = [];
  beforeAll(async () => {
    sources = (await discoverLogs([corpusDir()!])).sources;
  });

  test('is found: single files, rolling folders, the Databricks folder, every attempt', () => {
    expect(sources.length).toBeGreaterThanOrEqual(60);
    expect(sources.filter((s) => s.layout === 'rolling').map((s) => s.parts.length).sort()).toEqual([1, 2]);
    expect(sources.filter((s) => s.layout === 'databricks').map((s) => s.parts.map((p) => p.path.split('/').pop()))).toEqual([
      ['eventlog-2021-06-15--15-00.gz', 'eventlog'],
    ]);
  });

  test('ingests with task, stage, job, executor and SQL counts equal to its raw lines', async () => {
    const mismatches: string[] = [];
    for (const source of sources.filter(countable)) {
      const db = await ingested(source.logPath);
      const [stored] = await db.all(COUNTS_SQL);
      const raw = countRaw(rawText(source.parts.map((p) => p.path)));
      if (JSON.stringify(stored) !== JSON.stringify(raw)) mismatches.push(`${source.logPath}: stored ${JSON.stringify(stored)} raw ${JSON.stringify(raw)}`);
      expect(db.summary.failures).toEqual([]);
      db.close();
    }
    expect(mismatches).toEqual([]);
  });
});
