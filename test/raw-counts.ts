import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'zstd-napi';

/** Counts taken straight from a log's raw lines with JSON.parse: the independent side of the ingest tests. */
export interface RawCounts {
  tasks: number;
  stages: number;
  jobs: number;
  executors: number;
  sqlExecutions: number;
  badLines: number;
}

/** Whole-file decompression with the libraries' one-shot APIs, independent of sparkopt's streaming decoders. */
export function rawText(files: string[]): string {
  return files
    .map((file) => {
      const bytes = readFileSync(file);
      if (bytes.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return zstdDecompressAll(bytes);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes).toString('utf8');
      return bytes.toString('utf8');
    })
    .join('');
}

function zstdDecompressAll(bytes: Buffer): string {
  try {
    return zstdDecompress(bytes).toString('utf8');
  } catch {
    return '';
  }
}

export function countRaw(text: string): RawCounts {
  const stages = new Set<string>();
  const jobs = new Set<number>();
  const executors = new Set<string>();
  const sql = new Set<number>();
  let tasks = 0;
  let badLines = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let e: Record<string, any>;
    try {
      e = JSON.parse(line);
    } catch {
      // The last line of a cut log is not a bad line: the log simply ends there.
      if (i !== lines.length - 1) badLines++;
      return;
    }
    const name = String(e.Event);
    if (name === 'SparkListenerTaskEnd') tasks++;
    if (name === 'SparkListenerStageSubmitted' || name === 'SparkListenerStageCompleted') stages.add(stageKey(e['Stage Info']));
    if (name === 'SparkListenerJobStart') for (const info of e['Stage Infos'] ?? []) stages.add(stageKey(info));
    if (name === 'SparkListenerJobStart' || name === 'SparkListenerJobEnd') jobs.add(e['Job ID']);
    if (name === 'SparkListenerExecutorAdded' || name === 'SparkListenerExecutorRemoved') executors.add(e['Executor ID']);
    if (name === 'SparkListenerBlockManagerAdded') executors.add(e['Block Manager ID']['Executor ID']);
    if (name.endsWith('SparkListenerSQLExecutionStart') || name.endsWith('SparkListenerSQLExecutionEnd')) sql.add(e.executionId);
  });
  return { tasks, stages: stages.size, jobs: jobs.size, executors: executors.size, sqlExecutions: sql.size, badLines };
}

function stageKey(info: Record<string, unknown>): string {
  return `${info['Stage ID']}.${info['Stage Attempt ID'] ?? 0}`;
}
