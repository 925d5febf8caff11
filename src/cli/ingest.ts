import type { ArgumentsCamelCase, Argv } from 'yargs';
import { InputError } from '../errors.js';
import { renderIngestSummary, type IngestSummary } from '../render/ingest-summary.js';
import { discoverLogs, type LogSource } from '../source/discover.js';
import { asInputError, LogReader } from '../source/read.js';
import { Db } from '../store/db.js';
import { Batch } from '../store/batch.js';
import { type AppIngestResult, readApp } from '../store/ingest.js';
import { isUnchanged, loadKnownFiles } from '../store/ingested.js';
import { createSchema } from '../store/schema.js';
import { asFormat, formatOption, type GlobalOptions } from './options.js';
import { startProgress } from './progress.js';

const FORMATS = ['table', 'json'] as const;

export const ingestCommand = {
  command: 'ingest <paths..>',
  describe: 'Read Spark event logs (files, folders, globs) into the database',
  builder: (y: Argv<GlobalOptions>) => formatOption(y.positional('paths', { type: 'string', array: true, demandOption: true }), FORMATS),
  handler: async (args: ArgumentsCamelCase<GlobalOptions & { format: string; paths: string[] }>) => {
    const format = asFormat(args.format, FORMATS);
    const db = await Db.open(args.db);
    const summary = await runIngest(db, args.paths).finally(() => db.close());
    process.stdout.write(renderIngestSummary(summary, format));
    for (const failure of summary.failures) process.stderr.write(`sparkopt: ${failure.path}: ${failure.error}\n`);
    if (summary.failures.length > 0) process.exitCode = 1;
  },
};

/** A log this big (on disk) gets a batch of its own, so its task lines can stream into DuckDB as it is read. */
const LARGE_LOG_BYTES = 8 * 1024 * 1024;
/** A batch of small logs is committed once this much is staged... */
const BATCH_BYTES = 64 * 1024 * 1024;
/** ...the first one sooner, so that DuckDB starts while Node reads on. */
const FIRST_BATCH_BYTES = 16 * 1024 * 1024;

/** Ingests every log under `paths`; an unreadable input is recorded in the summary and the rest go on. */
export async function runIngest(db: Db, paths: string[], showProgress = process.stderr.isTTY === true): Promise<IngestSummary> {
  const started = Date.now();
  const discovery = await discoverLogs(paths);
  const summary = emptySummary(db.path, discovery.skipped.length);
  for (const failure of discovery.failures) summary.failures.push({ path: failure.file, error: failure.why });
  await createSchema(db);
  // One DuckDB thread: its inserts keep insertion order and run on one thread anyway; a second thread only
  // competes with Node's reading for the second core (measured: same insert time, 40 % less CPU).
  await db.run('SET threads = 1');
  // Bounded on purpose, so memory does not grow with the log: DuckDB spills what does not fit (measured on a
  // 1 GB log: as fast with 128 MB as with 1 GB, and 20-40 MB less peak RSS than with 160 MB; 96 MB left too
  // little room for a JSON reader buffer next to a batch's rows: with two threads it ran out).
  await db.run("SET memory_limit = '128MB'");
  // DuckDB's allocator keeps freed memory until a bulk free passes this threshold (512 MiB by default), so the
  // JSON buffers and row chunks of each piece piled up outside memory_limit (measured on the 1 GB log: peak RSS
  // 340-400 MB at the default, 280-300 MB at 16 MB; 48 and 96 MB barely helped). It costs 4-10 % of wall time
  // (memory handed back is faulted in again); kept, as lz4 logs stay under 400 MB only with it.
  await db.run("SET allocator_bulk_deallocation_flush_threshold = '16MB'");
  const known = await loadKnownFiles(db);
  const toRead: LogSource[] = [];
  for (const source of discovery.sources) {
    try {
      if (isUnchanged(source, known)) summary.unchanged++;
      else toRead.push(source);
    } catch (error) {
      const failure = asInputError(source.logPath, error);
      if (!(failure instanceof InputError)) throw failure;
      summary.failures.push({ path: failure.file, error: failure.why });
    }
  }
  const progress = startProgress(sum(toRead.map(sizeOf)), toRead.length, showProgress);
  const reader = new LogReader(toRead, (n) => progress.add(n));
  let batch = new Batch(db);
  let read: AppIngestResult[] = [];
  let batches = 0;
  // A batch commits while the next one is read (Node frames while DuckDB parses); at most one commit is in
  // flight, so staging stays bounded.
  let committing: Promise<void> = Promise.resolve();
  const commit = async (wait = false) => {
    await committing;
    batches++;
    const results = read;
    committing = batch.commit().then(() => results.forEach((result) => addApp(summary, result)));
    committing.catch(() => undefined);
    batch = new Batch(db, committing);
    read = [];
    if (wait) await committing;
  };
  try {
    for (const [index, source] of toRead.entries()) {
      if (batch.slots.length > 0 && sizeOf(source) >= LARGE_LOG_BYTES) await commit();
      try {
        read.push(await readApp(batch, source, reader.read(index)));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        summary.failures.push({ path: error.file, error: error.why });
      }
      progress.fileDone();
      const full = batch.stagedBytes >= (batches === 0 ? FIRST_BATCH_BYTES : BATCH_BYTES);
      if (full || sizeOf(source) >= LARGE_LOG_BYTES) await commit();
    }
    await commit(true);
  } catch (error) {
    await batch.abort();
    throw error;
  } finally {
    progress.stop();
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

function sizeOf(source: LogSource): number {
  return sum(source.parts.map((p) => p.size));
}

function emptySummary(db: string, skippedFiles: number): IngestSummary {
  return {
    db, logs: 0, files: 0, apps: [], events: 0, rawBytes: 0, decompressedBytes: 0, unchanged: 0, skippedFiles,
    incomplete: 0, badLines: 0, unknownEvents: 0, keptStoredCopy: 0, failures: [], elapsedMs: 0,
  };
}

function addApp(summary: IngestSummary, result: AppIngestResult): void {
  const { slot } = result;
  if (slot.failed) return;
  summary.logs++;
  summary.files += result.parts.length;
  if (!slot.keptStoredCopy) summary.apps.push(slot.appKey!);
  summary.events += result.events;
  summary.rawBytes += sum(result.parts.map((p) => p.size));
  summary.decompressedBytes += sum(result.parts.map((p) => p.decompressedBytes));
  if (!slot.completed) summary.incomplete++;
  // Bad lines of a copy that was not stored are not in ingest_errors either.
  if (!slot.keptStoredCopy) summary.badLines += [...result.issues, ...slot.issues].filter((i) => i.kind === 'bad_line').length;
  summary.unknownEvents += sum(Object.values(result.unknownEvents));
  if (slot.keptStoredCopy) summary.keptStoredCopy++;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
