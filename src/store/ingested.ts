import { probePart } from '../source/read.js';
import type { LogSource } from '../source/discover.js';
import { type Db, inList } from './db.js';

interface KnownFile {
  size: number;
  /** NULL for a file dated at or before 1970 (stored clocks <= 0 mean "never set"). */
  mtimeMs: number | null;
  fingerprint: string;
}

/**
 * What was stored of the files of `sources`, read in one query so that checking a fleet of unchanged logs costs
 * one; only those files, so that a few new logs beside a database of 200,000 apps do not load all of its files.
 */
export async function loadKnownFiles(db: Db, sources: readonly LogSource[]): Promise<Map<string, KnownFile>> {
  const rows = await db.all<{ path: string; size_bytes: number; mtime_ms: number; fingerprint: string }>(
    `SELECT path, size_bytes, epoch_ms(mtime) AS mtime_ms, fingerprint FROM ingested_files WHERE path IN ${inList()}`,
    [sources.flatMap((s) => s.parts.map((p) => p.path))],
  );
  return new Map(rows.map((r) => [r.path, { size: r.size_bytes, mtimeMs: r.mtime_ms, fingerprint: r.fingerprint }]));
}

/** Unchanged: every part was ingested before with the same size, mtime and first bytes. */
export function isUnchanged(source: LogSource, known: Map<string, KnownFile>): boolean {
  for (const part of source.parts) {
    const previous = known.get(part.path);
    if (!previous || previous.size !== part.size || !sameMtime(previous.mtimeMs, part.mtimeMs)) return false;
    if (probePart(part).fingerprint !== previous.fingerprint) return false;
  }
  return true;
}

function sameMtime(stored: number | null, now: number): boolean {
  return stored === null ? now <= 0 : stored === now;
}
