import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Db } from '../../src/store/db.js';
import { corpusPath, describeCorpus } from '../corpus.js';
import { BIN, sparkopt, tableCounts, tempDir } from './run-cli.js';

const SMALL = corpusPath('rapids/spark-events-qualification/udf_func_eventlog');
// 48 MB of JSON, 13,504 task ends: long enough to be killed in the middle of its transaction.
const LARGE = corpusPath('rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd');
const LARGE_TASKS = 13504;

/** `sparkopt ingest` of the large log in the background, staging under `tmp`; `exited` gives its exit code. */
function ingestLarge(db: string, tmp: string) {
  const child = spawn(process.execPath, [BIN, 'ingest', '--db', db, LARGE], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

async function killAfter(db: string, tmp: string, afterMs: number): Promise<void> {
  const { child, exited } = ingestLarge(db, tmp);
  const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
  await exited;
  clearTimeout(timer);
}

const ORPHANS_SQL = `SELECT
  (SELECT count(*) FROM tasks WHERE app_key NOT IN (SELECT app_key FROM apps)) +
  (SELECT count(*) FROM stages WHERE app_key NOT IN (SELECT app_key FROM apps)) +
  (SELECT count(*) FROM ingested_files WHERE app_key NOT IN (SELECT app_key FROM apps)) AS orphans`;

describeCorpus('atomic ingest', () => {
  test('killing ingest at any moment leaves the stored apps whole; the next run finishes the job', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'a.duckdb');
    expect(sparkopt('ingest', '--db', db, SMALL).status).toBe(0);
    const before = tableCounts(db);
    for (const afterMs of [300, 600, 900, 1200]) {
      await killAfter(db, dir, afterMs);
      const counts = tableCounts(db);
      // Either the large app is not there at all, or it is there whole.
      if (counts.apps === before.apps) expect(counts).toEqual(before);
      else expect(counts.tasks).toBe(before.tasks + LARGE_TASKS);
      const orphans = JSON.parse(sparkopt('sql', '--db', db, '--format', 'json', ORPHANS_SQL).stdout);
      expect(orphans).toEqual([{ orphans: 0 }]);
    }
    expect(sparkopt('ingest', '--db', db, LARGE).status).toBe(0);
    expect(tableCounts(db).tasks).toBe(before.tasks + LARGE_TASKS);
  });

  test('Ctrl-C mid-ingest exits 130 and leaves no temporary files', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    const staging = () => readdirSync(tmp).filter((f) => f.startsWith('sparkopt-'));
    const { child, exited } = ingestLarge(path.join(dir, 'c.duckdb'), tmp);
    // Interrupt once ingest is under way (its staging folder exists), however slow the machine is.
    for (let waited = 0; staging().length === 0 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(staging()).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(staging()).toEqual([]);
  });
});

describeCorpus('a locked database', () => {
  test('a second process waits briefly, then fails with a clear message and exit 3', async () => {
    const db = path.join(tempDir(), 'l.duckdb');
    const holder = await Db.open(db);
    try {
      const started = Date.now();
      const result = sparkopt('ingest', '--db', db, SMALL);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expect(result.status).toBe(3);
      expect(result.stderr.trim()).toMatch(/^sparkopt: database .*l\.duckdb is locked by another sparkopt process \(PID \d+\); try again when it finishes$/);
    } finally {
      holder.close();
    }
    expect(existsSync(db)).toBe(true);
    expect(sparkopt('ingest', '--db', db, SMALL).status).toBe(0);
  });
});
