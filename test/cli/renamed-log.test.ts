import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { emptySummary, runIngest } from '../../src/cli/ingest.js';
import { readSources } from '../../src/cli/ingest-pass.js';
import { startProgress } from '../../src/cli/progress.js';
import { discoverLogs } from '../../src/source/discover.js';
import { Db } from '../../src/store/db.js';
import { MemoryLimit } from '../../src/store/memory-limit.js';
import { createSchema } from '../../src/store/schema.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { tempDir } from './run-cli.js';

const APP = 'app-20260301131500-0009';

test('a running app’s log renamed on completion after it was found is stored complete, under its new name', async () => {
  const dir = tempDir();
  const running = path.join(dir, `${APP}.inprogress`);
  copyFileSync(path.join(FIXTURE_LOGS, `${APP}.inprogress`), running);
  const { sources } = await discoverLogs([dir]);
  // Spark writes the app's last event and renames the log, after sparkopt found it and before it reads it.
  const completed = path.join(dir, APP);
  const written = readFileSync(running, 'utf8');
  // The fixture ends in the middle of a line, which Spark then finishes.
  const lines = written.slice(0, written.lastIndexOf('\n') + 1);
  writeFileSync(completed, `${lines}{"Event":"SparkListenerApplicationEnd","Timestamp":1772370000000}\n`);
  rmSync(running);

  const db = await Db.open(path.join(dir, 'renamed.duckdb'));
  try {
    await createSchema(db);
    const summary = emptySummary(db.path, 0);
    await readSources(db, new MemoryLimit(db, '96MB', '96MB'), sources, summary, startProgress(0, 1, false));
    expect([summary.failures, summary.logs, summary.incomplete, summary.apps]).toEqual([[], 1, 0, [APP]]);
    const [app] = await db.all<{ log_path: string; completed: boolean; end: number }>(
      'SELECT log_path, completed, epoch_ms(end_time) AS end FROM apps',
    );
    expect(app).toEqual({ log_path: completed, completed: true, end: 1772370000000 });
    const files = await db.all<{ path: string }>('SELECT path FROM ingested_files');
    expect(files).toEqual([{ path: completed }]);
    // Recorded as it is on disk: the next run finds it unchanged.
    const again = await runIngest(db, [dir], false);
    expect([again.logs, again.unchanged, again.failures]).toEqual([0, 1, []]);
  } finally {
    db.close();
  }
});
