import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../corpus.js';
import { sparkopt, tableCounts, tempDir } from './run-cli.js';

const GOOD_LOG = 'rapids/spark-events-qualification/udf_func_eventlog';

describeCorpus('bad input', () => {
  const dir = tempDir();
  const db = path.join(dir, 'test.duckdb');
  let before: Record<string, number>;

  beforeAll(() => {
    expect(sparkopt('ingest', '--db', db, corpusPath(GOOD_LOG)).status).toBe(0);
    before = tableCounts(db);
    expect(before.tasks).toBe(54);
  });

  const cases: [string, () => string, RegExp][] = [
    ...['lz4', 'zstd', 'snappy', 'lzf', 'gz'].map((ext): [string, () => string, RegExp] => [
      `garbage bytes named .${ext}`,
      () => write(`garbage.${ext}`, randomBytes(4096)),
      new RegExp(`garbage\\.${ext}: not an? (lz4 block|zstd|snappy-java|lzf|gzip) stream \\(bad magic at byte 0\\)$`),
    ]),
    ['an empty file', () => write('empty-log', Buffer.alloc(0)), /empty-log: empty file: no events$/],
    [
      'a zstd stream cut before its first event',
      () => write('cut-early.zstd', readFileSync(corpusPath('rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd')).subarray(0, 3)),
      /cut-early\.zstd: stream cut before its first event \(.+\)$/,
    ],
    ['a binary file', () => write('binary-log', Buffer.concat([Buffer.from([0, 1, 2, 0xff]), randomBytes(4096)])), /binary-log: not a Spark event log: line 1 is not a JSON object with an "Event"$/],
    ['a missing path', () => path.join(dir, 'no-such-log'), /no-such-log: no such file or directory$/],
    ['a folder with no logs', () => folderWithoutLogs(), /no-logs-here: no Spark event logs in this folder \(2 other files\)$/],
  ];

  for (const [name, make, message] of cases) {
    test(`${name}: one-line message, exit 1, stored rows intact`, () => {
      const result = sparkopt('ingest', '--db', db, make());
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^sparkopt: /);
      expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(tableCounts(db)).toEqual(before);
    });
  }

  test('a zero-byte .inprogress log (a running app that has written nothing yet) is skipped, not an error', () => {
    const other = tempDir();
    writeFileSync(path.join(other, 'app-20260101000000-0009.inprogress'), '');
    copyFileSync(corpusPath(GOOD_LOG), path.join(other, 'good-log'));
    const result = sparkopt('ingest', '--db', path.join(tempDir(), 'x.duckdb'), '--format', 'json', other);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ logs: 1, skippedFiles: 1, failures: [] });
  });

  test('a log saved with a UTF-8 byte order mark reads as if it had none', () => {
    const other = tempDir();
    const log = path.join(other, 'bom-log');
    writeFileSync(log, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(corpusPath(GOOD_LOG))]));
    const db = path.join(tempDir(), 'bom.duckdb');
    expect(sparkopt('ingest', '--db', db, log).status).toBe(0);
    expect(tableCounts(db)).toMatchObject({ apps: 1, tasks: before.tasks });
    const [app] = JSON.parse(sparkopt('sql', '--db', db, '--format', 'json', 'SELECT spark_version, bad_lines FROM apps').stdout);
    expect(app).toEqual({ spark_version: expect.stringMatching(/^\d\.\d/), bad_lines: 0 });
  });

  test('a good log beside a bad one: the good one is ingested, exit 1 names the bad one', () => {
    const other = tempDir();
    const bad = path.join(other, 'broken.lz4');
    writeFileSync(bad, randomBytes(100));
    const result = sparkopt('ingest', '--db', path.join(other, 'x.duckdb'), '--format', 'json', bad, corpusPath('rapids/spark-events-profiling/rp_nosql_eventlog'));
    expect(result.status).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.logs).toBe(1);
    expect(summary.failures).toEqual([{ path: bad, error: 'not an lz4 block stream (bad magic at byte 0)' }]);
  });

  test('corrupted middle lines are recorded with their line numbers; the rest of the log is ingested', () => {
    const lines = readFileSync(corpusPath(GOOD_LOG), 'utf8').split('\n');
    const taskEnds = lines.flatMap((l, i) => (l.startsWith('{"Event":"SparkListenerTaskEnd"') ? [i] : []));
    const jobStart = lines.findIndex((l) => l.startsWith('{"Event":"SparkListenerJobStart"'));
    const [cut, broken, mistyped] = [taskEnds[0]!, taskEnds[10]!, taskEnds[20]!];
    lines[cut] = lines[cut]!.slice(0, 200);
    lines[broken] = lines[broken]!.replace('"Stage ID":', '"Stage ID":zz');
    lines[mistyped] = lines[mistyped]!.replace(/"Task ID":\d+/, '"Task ID":"seven"');
    lines[jobStart] = lines[jobStart]!.replace('"Job ID":', '"Job ID":,');
    const file = write('corrupted-middle', Buffer.from(lines.join('\n')));
    const other = path.join(tempDir(), 'c.duckdb');
    const result = sparkopt('ingest', '--db', other, '--format', 'json', file);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).badLines).toBe(3);
    const errors = JSON.parse(sparkopt('sql', '--db', other, '--format', 'json', 'SELECT path, line_no, kind, reason FROM ingest_errors ORDER BY line_no').stdout);
    expect(errors).toEqual([
      { path: file, line_no: jobStart + 1, kind: 'bad_line', reason: 'invalid JSON' },
      { path: file, line_no: cut + 1, kind: 'bad_line', reason: 'not a complete JSON object' },
      { path: file, line_no: broken + 1, kind: 'bad_line', reason: 'invalid JSON' },
    ].sort((a, b) => a.line_no - b.line_no));
    // A value of the wrong type is not a bad line: that one field is NULL, the rest of the row is kept.
    expect(tableCounts(other)).toMatchObject({ tasks: 52, jobs: 9 });
    expect(JSON.parse(sparkopt('sql', '--db', other, '--format', 'json', 'SELECT count(*) AS n FROM tasks WHERE task_id IS NULL').stdout)).toEqual([{ n: 1 }]);
    expect(JSON.parse(sparkopt('sql', '--db', other, '--format', 'json', 'SELECT bad_lines, completed FROM apps').stdout)).toEqual([{ bad_lines: 3, completed: true }]);
  });

  test('a bad line of an event read in Node (the real malformed_json_eventlog) is recorded', () => {
    const other = path.join(tempDir(), 'm.duckdb');
    const file = corpusPath('rapids/spark-events-profiling/malformed_json_eventlog.zstd');
    expect(sparkopt('ingest', '--db', other, file).status).toBe(0);
    const errors = JSON.parse(sparkopt('sql', '--db', other, '--format', 'json', 'SELECT line_no, kind, reason FROM ingest_errors').stdout);
    expect(errors).toEqual([{ line_no: 4, kind: 'bad_line', reason: 'invalid JSON' }]);
    // The environment line is the bad one: no properties; the 217 task ends (counted with grep) are all stored.
    expect(tableCounts(other)).toMatchObject({ apps: 1, props: 0, tasks: 217 });
  });

  test('usage errors exit 2', () => {
    expect(sparkopt('ingest', '--db', db).status).toBe(2);
    const badFormat = sparkopt('apps', '--db', db, '--format', 'xml');
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toBe('sparkopt: Invalid values: Argument: format, Given: "xml", Choices: "table", "json", "csv" (see sparkopt --help)\n');
    expect(sparkopt('frobnicate').status).toBe(2);
    const readOnly = sparkopt('sql', '--db', db, 'DELETE FROM tasks');
    expect(readOnly.status).toBe(2);
    expect(readOnly.stderr).toMatch(/read-only/);
    expect(tableCounts(db)).toEqual(before);
  });

  function write(name: string, bytes: Buffer): string {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  }

  function folderWithoutLogs(): string {
    const folder = path.join(dir, 'no-logs-here');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'README.md'), '# notes\n');
    writeFileSync(path.join(folder, '.part-0.crc'), 'crc');
    return folder;
  }
});
