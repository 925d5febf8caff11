import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { emptySummary } from '../../src/cli/ingest.js';
import { readSources } from '../../src/cli/ingest-pass.js';
import { discoverLogs } from '../../src/source/discover.js';
import { Db } from '../../src/store/db.js';
import { MemoryLimit } from '../../src/store/memory-limit.js';
import { createSchema } from '../../src/store/schema.js';
import { ROWS_PER_BUFFER } from '../../src/store/task-rows.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { rawText } from '../raw-counts.js';
import { tempDir } from './run-cli.js';

// 48 MB of JSON, 13,504 task ends.
const LARGE = corpusPath('rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd');

describeCorpus('an ingest pass', () => {
  test('reads a big log on while the database is being set up, and stores it whole once it is', async () => {
    // The log with each task end twice: 27,008 rows, more than a buffer of them (ROWS_PER_BUFFER).
    const lines = rawText([LARGE]).split('\n');
    const log = path.join(tempDir(), 'app-doubled-tasks');
    writeFileSync(log, lines.flatMap((l) => (l.includes('"Event":"SparkListenerTaskEnd"') ? [l, l] : [l])).join('\n'));
    const taskEnds = 2 * lines.filter((l) => l.includes('"Event":"SparkListenerTaskEnd"')).length;
    expect(taskEnds).toBeGreaterThan(ROWS_PER_BUFFER);
    const { sources } = await discoverLogs([log]);
    const db = await Db.open(path.join(tempDir(), 'setup.duckdb'));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let logsRead = 0;
    const progress = { add: () => undefined, fileDone: () => logsRead++, stop: () => undefined };
    const summary = emptySummary(db.path, 0);
    const pass = readSources(db, new MemoryLimit(db, '96MB', '96MB'), sources, summary, progress, gate.then(() => createSchema(db)));
    try {
      for (let turns = 0; logsRead === 0 && turns < 100_000; turns++) await new Promise((resolve) => setImmediate(resolve));
      // Its first full buffer of task rows did not stop the reading.
      expect(logsRead).toBe(1);
      openGate();
      await pass;
      expect([summary.logs, summary.failures]).toEqual([1, []]);
      expect(await db.all('SELECT count(*)::INTEGER AS n FROM tasks')).toEqual([{ n: taskEnds }]);
    } finally {
      // A failed expectation still lets the pass finish (and remove its staging folder) before the database closes.
      openGate();
      await pass.catch(() => undefined);
      db.close();
    }
  });
});
