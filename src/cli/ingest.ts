import { totalmem } from 'node:os';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { InputError } from '../errors.js';
import { renderIngestSummary, type IngestSummary } from '../render/ingest-summary.js';
import { currentSource, discoverLogs, type LogSource } from '../source/discover.js';
import { asInputError } from '../source/read.js';
import { Db, inList } from '../store/db.js';
import { isUnchanged, loadKnownFiles } from '../store/ingested.js';
import { MemoryLimit } from '../store/memory-limit.js';
import { seedNewDatabase } from '../store/new-database.js';
import { sqlString } from '../store/spec.js';
import { createSchema, holdsNoLogs } from '../store/schema.js';
import { asFormat, formatOption, type GlobalOptions } from './options.js';
import { readSources, sizeOf, sum } from './ingest-pass.js';
import { startProgress } from './progress.js';

const FORMATS = ['table', 'json'] as const;

export const ingestCommand = {
  command: 'ingest <paths..>',
  describe: 'Read Spark event logs (files, folders, globs) into the database',
  builder: (y: Argv<GlobalOptions>) => formatOption(y.positional('paths', { type: 'string', array: true, demandOption: true }), FORMATS),
  handler: async (args: ArgumentsCamelCase<GlobalOptions & { format: string; paths: string[] }>) => {
    const format = asFormat(args.format, FORMATS);
    seedNewDatabase(args.db);
    const db = await Db.open(args.db);
    const summary = await runIngest(db, args.paths).finally(() => db.close());
    process.stdout.write(renderIngestSummary(summary, format));
    for (const failure of summary.failures) process.stderr.write(`sparkopt: ${failure.path}: ${failure.error}\n`);
    if (summary.failures.length > 0) process.exitCode = 1;
  },
};

/**
 * DuckDB's memory limits, tried in turn: the next one only when DuckDB runs out of memory under the last. The
 * first keeps memory flat however long the log: DuckDB spills what does not fit (measured on the 1 GB log: as
 * fast as with 1 GB; 96 MB peaks 20 MB lower than 128 MB and 64 MB runs out). Rows of huge strings need more:
 * DuckDB moves 2,048 rows at a time whatever their size, so SQL plans of megabytes, or of hundreds of KiB by
 * the thousand, do not fit.
 */
export function memoryLimits(): string[] {
  const mostOfRam = Math.floor((totalmem() * 0.8) / 1e8) / 10;
  return ['96MB', ...(mostOfRam > 1 ? ['1GB', `${mostOfRam.toFixed(1)}GB`] : ['1GB'])];
}

/** Ingests every log under `paths`; an unreadable input is recorded in the summary and the rest go on. */
export async function runIngest(
  db: Db, paths: string[], showProgress = process.stderr.isTTY === true, limits: readonly string[] = memoryLimits(),
): Promise<IngestSummary> {
  const started = Date.now();
  const discovery = await discoverLogs(paths);
  const summary = emptySummary(db.path, discovery.skipped.length);
  for (const failure of discovery.failures) summary.failures.push({ path: failure.file, error: failure.why });
  // A database that holds no log yet is set up while the logs are read (setting up a new one first cost its
  // ingest 70-100 ms), and nothing else touches it before it is.
  const storesNoLog = await holdsNoLogs(db);
  const setup = prepare(db);
  setup.catch(() => undefined);
  try {
    if (!storesNoLog) await setup;
    const toRead = await changedSources(storesNoLog ? undefined : db, discovery.sources, summary);
    await readUnderLimits(db, toRead, summary, showProgress, limits, setup);
  } finally {
    // Queries after an ingest in the same process (a library user's, a test's) get the settings back (`RESET
    // memory_limit` changes the setting but not the limit DuckDB 1.5 enforces). A connection a failure left
    // unusable refuses them; the failure itself is what the caller must see.
    const before = await setup.catch(() => []);
    for (const { name, value } of before) await db.run(`SET ${name} = ${sqlString(value)}`).catch(() => undefined);
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** DuckDB settings an ingest sets for itself (see prepare and MemoryLimit). */
const INGEST_SETTINGS = ['threads', 'allocator_bulk_deallocation_flush_threshold', 'memory_limit'] as const;

/** Makes the schema and sets DuckDB up for an ingest; returns the settings it found, to be set back after. */
async function prepare(db: Db): Promise<{ name: string; value: string }[]> {
  await createSchema(db);
  const before = await db.all<{ name: string; value: string }>(`SELECT name, value FROM duckdb_settings() WHERE name IN ${inList()}`, [
    [...INGEST_SETTINGS],
  ]);
  // One DuckDB thread: its inserts keep insertion order and run on one thread anyway; a second thread only
  // competes with Node's reading for the second core (measured: same insert time, 40 % less CPU).
  await db.run('SET threads = 1');
  return before;
}

/**
 * Reads `toRead` under the first of `limits`, and again under the next whenever DuckDB runs out of memory.
 * Nothing is asked of DuckDB before `setup` is done.
 */
async function readUnderLimits(
  db: Db, toRead: LogSource[], summary: IngestSummary, showProgress: boolean, limits: readonly string[], setup: Promise<unknown>,
): Promise<void> {
  for (const [attempt, limit] of limits.entries()) {
    const memory = new MemoryLimit(db, limit, limits[limits.length - 1]!, attempt === 0);
    const ready = attempt === 0 ? setup.then(() => memory.start()) : memory.start();
    summary.memoryLimit = limit;
    const failuresBefore = summary.failures.length;
    const progress = startProgress(sum(toRead.map(sizeOf)), toRead.length, showProgress);
    try {
      await readSources(db, memory, toRead, summary, progress, ready);
      await memory.checkpoint();
      break;
    } catch (error) {
      if (!isOutOfMemory(error) || attempt === limits.length - 1) throw error;
      // Batches committed before stay stored; the rest is read again, and reports its unreadable logs again.
      summary.failures.length = failuresBefore;
      summary.memoryRetries++;
      toRead = await stillToRead(db, toRead);
    } finally {
      progress.stop();
    }
  }
}

/**
 * Sources whose files changed since they were stored in `db` (every source when there is no database yet);
 * the others are counted as unchanged.
 */
async function changedSources(db: Db | undefined, found: readonly LogSource[], summary: IngestSummary): Promise<LogSource[]> {
  const sources = found.map(currentSource);
  const known = db ? await loadKnownFiles(db, sources) : new Map();
  const changed: LogSource[] = [];
  for (const source of sources) {
    try {
      if (isUnchanged(source, known)) summary.unchanged++;
      else changed.push(source);
    } catch (error) {
      const failure = asInputError(source.logPath, error);
      if (!(failure instanceof InputError)) throw failure;
      summary.failures.push({ path: failure.file, error: failure.why });
    }
  }
  return changed;
}

/** The sources a failed pass did not store (a source that can no longer be checked is read, and fails, again). */
async function stillToRead(db: Db, sources: readonly LogSource[]): Promise<LogSource[]> {
  const known = await loadKnownFiles(db, sources);
  return sources.filter((source) => {
    try {
      return !isUnchanged(source, known);
    } catch {
      return true;
    }
  });
}

/**
 * DuckDB could not get memory under its limit (its message; the error has no type of its own), and the database
 * can go on: a FATAL error (a checkpoint that ran out) invalidates it until it is opened again.
 */
export function isOutOfMemory(error: unknown): boolean {
  return (
    error instanceof Error &&
    !error.message.startsWith('FATAL') &&
    /Out of Memory Error|failed to pin block|could not allocate block|failed to allocate data/.test(error.message)
  );
}

export function emptySummary(db: string, skippedFiles: number): IngestSummary {
  return {
    db, logs: 0, files: 0, apps: [], events: 0, rawBytes: 0, decompressedBytes: 0, unchanged: 0, skippedFiles,
    incomplete: 0, badLines: 0, unknownEvents: 0, keptStoredCopy: 0, failures: [], memoryLimit: '', memoryRetries: 0, elapsedMs: 0,
  };
}
