import { runIngest } from '../src/cli/ingest.js';
import type { IngestSummary } from '../src/render/ingest-summary.js';
import { Db } from '../src/store/db.js';

/** A fresh in-memory database holding the logs under `paths` (nothing on disk to clean up). */
export async function ingested(...paths: string[]): Promise<Db & { summary: IngestSummary }> {
  const db = await Db.open(':memory:');
  const summary = await runIngest(db, paths, false);
  return Object.assign(db, { summary });
}
