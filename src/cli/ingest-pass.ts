import { InputError } from '../errors.js';
import type { IngestSummary } from '../render/ingest-summary.js';
import type { LogSource } from '../source/discover.js';
import { LogReader } from '../source/read.js';
import { Batch } from '../store/batch.js';
import type { Db } from '../store/db.js';
import type { MemoryLimit } from '../store/memory-limit.js';
import { type AppIngestResult, readApp } from '../store/ingest.js';
import { defineTaskRowSource } from '../store/task-rows.js';
import type { Progress } from './progress.js';

/** A log this big (on disk) gets a batch of its own, so its task lines can stream into DuckDB as it is read. */
const LARGE_LOG_BYTES = 8 * 1024 * 1024;
/** A batch of small logs is committed once this much is staged... */
const BATCH_BYTES = 64 * 1024 * 1024;
/** ...the first one sooner, so that DuckDB starts while Node reads on. */
const FIRST_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Reads `sources` into the database, batch by batch, adding what each committed batch stored to `summary`; the
 * first batch touches the database once `ready` is done. An unreadable log is recorded in `summary.failures`
 * and the rest go on; any other error stops the pass, and every batch committed before it stays stored.
 */
export async function readSources(
  db: Db, limit: MemoryLimit, sources: readonly LogSource[], summary: IngestSummary, progress: Progress, ready: Promise<unknown> = Promise.resolve(),
): Promise<void> {
  const reader = new LogReader(sources, (n) => progress.add(n));
  // Reading starts at once; DuckDB is asked for nothing before `ready` (see runIngest).
  const prepared = ready.then(() => defineTaskRowSource(db));
  prepared.catch(() => undefined);
  let batch = new Batch(db, limit, prepared);
  let read: AppIngestResult[] = [];
  let batches = 0;
  // A batch commits while the next one is read (Node frames while DuckDB parses); at most one commit is in
  // flight, so staging stays bounded.
  let committing: Promise<void> = Promise.resolve();
  const commit = async (wait = false) => {
    await committing;
    // The last batch is empty when the last log committed its own (a big log): a transaction for nothing cost 10-15 ms.
    if (batch.slots.length > 0) {
      batches++;
      const results = read;
      committing = batch.commit().then(() => results.forEach((result) => addApp(summary, result)));
      committing.catch(() => undefined);
      batch = new Batch(db, limit, committing);
      read = [];
    }
    if (wait) await committing;
  };
  try {
    for (const index of sources.keys()) {
      const source = reader.source(index);
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
  }
}

export function sizeOf(source: LogSource): number {
  return sum(source.parts.map((p) => p.size));
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

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
