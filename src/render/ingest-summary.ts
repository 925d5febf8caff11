import { formatBytes, formatDuration, formatRate } from './units.js';

/** What one `sparkopt ingest` run did. Its JSON form is a documented contract: keys are only ever added. */
export interface IngestSummary {
  db: string;
  /** Logs (app attempts) read in this run. */
  logs: number;
  /** Files read (a rolling log has several). */
  files: number;
  /** app_key of every app written, in the order read. */
  apps: string[];
  events: number;
  rawBytes: number;
  decompressedBytes: number;
  /** Logs skipped because they did not change since they were ingested. */
  unchanged: number;
  /** Files found in folders that are not event logs (markers, checksums, READMEs). */
  skippedFiles: number;
  /** Apps whose log is cut short or that have not ended. */
  incomplete: number;
  badLines: number;
  unknownEvents: number;
  /** Partial copies not stored because a complete copy of the same app already was. */
  keptStoredCopy: number;
  failures: { path: string; error: string }[];
  /** DuckDB's memory limit when the ingest ended, e.g. `96MB`. */
  memoryLimit: string;
  /** Times DuckDB ran out of memory and the logs not yet stored were read again under a higher limit. */
  memoryRetries: number;
  elapsedMs: number;
}

export function renderIngestSummary(summary: IngestSummary, format: 'table' | 'json'): string {
  if (format === 'json') return JSON.stringify(summary, null, 2) + '\n';
  const lines = [
    `ingested ${summary.logs} log${summary.logs === 1 ? '' : 's'} (${summary.files} files, ${summary.apps.length} apps) into ${summary.db}`,
    `  events      ${summary.events}`,
    `  read        ${formatBytes(summary.rawBytes)} on disk, ${formatBytes(summary.decompressedBytes)} decompressed, ${formatRate(summary.decompressedBytes, summary.elapsedMs)}`,
    `  skipped     ${summary.unchanged} unchanged log${summary.unchanged === 1 ? '' : 's'}, ${summary.skippedFiles} non-log file${summary.skippedFiles === 1 ? '' : 's'}`,
    `  incomplete  ${summary.incomplete} app${summary.incomplete === 1 ? '' : 's'} (cut short or still running)`,
    `  bad lines   ${summary.badLines}${summary.badLines > 0 ? '  (see: sparkopt sql "SELECT * FROM ingest_errors")' : ''}`,
    `  unknown     ${summary.unknownEvents} event${summary.unknownEvents === 1 ? '' : 's'} of types sparkopt does not read`,
  ];
  if (summary.keptStoredCopy > 0) lines.push(`  duplicates  ${summary.keptStoredCopy} cop${summary.keptStoredCopy === 1 ? 'y' : 'ies'} of an app stored from another copy`);
  if (summary.memoryRetries > 0) {
    lines.push(`  memory      DuckDB ran out of memory: the logs not yet stored were read again with a ${summary.memoryLimit} limit`);
  }
  if (summary.failures.length > 0) lines.push(`  failed      ${summary.failures.length} input${summary.failures.length === 1 ? '' : 's'} could not be read (listed on stderr)`);
  lines.push(`  time        ${formatDuration(summary.elapsedMs)}`);
  return lines.join('\n') + '\n';
}
