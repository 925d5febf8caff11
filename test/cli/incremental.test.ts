import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../corpus.js';
import { sparkopt, tableCounts, tempDir } from './run-cli.js';

const APP = 'local-1623281204390';
const FULL_LOG = corpusPath('rapids/spark-events-qualification/udf_func_eventlog');

function ingestJson(db: string, ...paths: string[]) {
  const result = sparkopt('ingest', '--db', db, '--format', 'json', ...paths);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function query(db: string, sql: string) {
  return JSON.parse(sparkopt('sql', '--db', db, '--format', 'json', sql).stdout);
}

describeCorpus('incremental, idempotent ingest', () => {
  test('re-ingesting a folder skips every unchanged log and changes no row count', () => {
    const db = path.join(tempDir(), 'i.duckdb');
    const folder = corpusPath('rapids/spark-events-qualification');
    const first = ingestJson(db, folder);
    const before = tableCounts(db);
    const second = ingestJson(db, folder);
    expect(second.logs).toBe(0);
    expect(second.unchanged).toBe(first.logs);
    expect(tableCounts(db)).toEqual(before);
  });

  test('a touched file with the same bytes is read again and gives the same rows', () => {
    const dir = tempDir();
    const db = path.join(dir, 't.duckdb');
    const log = path.join(dir, APP);
    copyFileSync(FULL_LOG, log);
    ingestJson(db, log);
    const before = tableCounts(db);
    writeFileSync(log, readFileSync(log));
    expect(ingestJson(db, log).logs).toBe(1);
    expect(tableCounts(db)).toEqual(before);
  });

  test('a growing .inprogress log replaces its rows; its completed successor replaces them again', () => {
    const dir = tempDir();
    const db = path.join(dir, 'g.duckdb');
    const text = readFileSync(FULL_LOG, 'utf8');
    const inprogress = path.join(dir, `${APP}.inprogress`);
    writeFileSync(inprogress, text.slice(0, Math.floor(text.length * 0.4)));
    ingestJson(db, dir);
    const early = query(db, 'SELECT completed, (SELECT count(*) FROM tasks) AS tasks FROM apps');
    writeFileSync(inprogress, text.slice(0, Math.floor(text.length * 0.8)));
    ingestJson(db, dir);
    const later = query(db, 'SELECT completed, (SELECT count(*) FROM tasks) AS tasks FROM apps');
    expect(early).toHaveLength(1);
    expect(later).toHaveLength(1);
    expect(early[0].completed).toBe(false);
    expect(later[0].tasks).toBeGreaterThan(early[0].tasks);
    // Spark renames the log when the app ends.
    rmSync(inprogress);
    copyFileSync(FULL_LOG, path.join(dir, APP));
    ingestJson(db, dir);
    expect(query(db, 'SELECT app_key, completed, (SELECT count(*) FROM tasks) AS tasks FROM apps')).toEqual([{ app_key: APP, completed: true, tasks: 54 }]);
    // An old partial copy showing up later never replaces the finished app.
    writeFileSync(inprogress, text.slice(0, Math.floor(text.length * 0.5)));
    expect(ingestJson(db, dir).keptStoredCopy).toBe(1);
    expect(query(db, 'SELECT completed, (SELECT count(*) FROM tasks) AS tasks FROM apps')).toEqual([{ completed: true, tasks: 54 }]);
    expect(ingestJson(db, dir).logs).toBe(0);
  });

  test('the same app reached through two paths is stored once', () => {
    const dir = tempDir();
    const db = path.join(dir, 's.duckdb');
    symlinkSync(FULL_LOG, path.join(dir, 'link-to-log'));
    const summary = ingestJson(db, FULL_LOG, dir, path.join(dir, '..', path.basename(dir), 'link-to-log'));
    expect(summary.logs).toBe(1);
    expect(tableCounts(db)).toMatchObject({ apps: 1, tasks: 54 });
    const copies = tempDir();
    copyFileSync(FULL_LOG, path.join(copies, 'copy-a'));
    copyFileSync(FULL_LOG, path.join(copies, 'copy-b'));
    ingestJson(db, copies);
    expect(tableCounts(db)).toMatchObject({ apps: 1, tasks: 54 });
  });

  test('of two complete copies the one read last is stored; the summary counts the bad lines of what is stored', () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.duckdb');
    // The same app twice: a copy with one line that is not JSON, read first, and a clean one.
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'b'));
    copyFileSync(corpusPath('rapids/spark-events-profiling/malformed_json_eventlog.zstd'), path.join(dir, 'a', 'malformed_json_eventlog.zstd'));
    copyFileSync(corpusPath('rapids/spark-events-profiling/rp_sql_eventlog.zstd'), path.join(dir, 'b', 'rp_sql_eventlog.zstd'));
    const summary = ingestJson(db, path.join(dir, 'a'), path.join(dir, 'b'));
    expect(summary).toMatchObject({ logs: 2, keptStoredCopy: 1, badLines: 0 });
    expect(query(db, 'SELECT count(*) AS n FROM ingest_errors')).toEqual([{ n: 0 }]);
    expect(query(db, 'SELECT bad_lines FROM apps')).toEqual([{ bad_lines: 0 }]);
  });

  test('a rolling log with a part missing is stored as incomplete with a missing_part issue, and never replaces the whole one', () => {
    const app = 'local-1623876083964';
    const whole = corpusPath(`rapids/spark-events-qualification/eventlog_v2_${app}`);
    const gapped = path.join(tempDir(), `eventlog_v2_${app}`);
    mkdirSync(gapped);
    copyFileSync(path.join(whole, `events_1_${app}.zstd`), path.join(gapped, `events_1_${app}.zstd`));
    copyFileSync(path.join(whole, `events_2_${app}.zstd`), path.join(gapped, `events_3_${app}.zstd`));
    const alone = path.join(tempDir(), 'gap.duckdb');
    expect(ingestJson(alone, gapped)).toMatchObject({ logs: 1, incomplete: 1 });
    expect(query(alone, 'SELECT completed FROM apps')).toEqual([{ completed: false }]);
    expect(query(alone, 'SELECT path, line_no, kind, reason FROM ingest_errors')).toEqual([
      { path: gapped, line_no: null, kind: 'missing_part', reason: 'part 2 of this rolling log is not there: its events are missing' },
    ]);
    const db = path.join(tempDir(), 'both.duckdb');
    ingestJson(db, whole);
    const stored = tableCounts(db);
    expect(ingestJson(db, gapped).keptStoredCopy).toBe(1);
    // Its files are recorded, so that they are skipped next time; nothing else changes.
    expect(tableCounts(db)).toEqual({ ...stored, files: stored.files! + 2 });
    expect(query(db, 'SELECT completed FROM apps')).toEqual([{ completed: true }]);
  });

  test('a log dated 1970 (an archive extractor\'s mtime 0) is unchanged on the next run too', () => {
    const dir = tempDir();
    const log = path.join(dir, APP);
    copyFileSync(FULL_LOG, log);
    utimesSync(log, 0, 0);
    const db = path.join(tempDir(), 'epoch.duckdb');
    expect(ingestJson(db, dir)).toMatchObject({ logs: 1, unchanged: 0 });
    expect(ingestJson(db, dir)).toMatchObject({ logs: 0, unchanged: 1 });
  });

  test('--db falls back to $SPARKOPT_DB', () => {
    const db = path.join(tempDir(), 'env.duckdb');
    process.env.SPARKOPT_DB = db;
    try {
      expect(sparkopt('ingest', FULL_LOG).status).toBe(0);
    } finally {
      delete process.env.SPARKOPT_DB;
    }
    expect(tableCounts(db)).toMatchObject({ apps: 1, tasks: 54 });
  });
});
