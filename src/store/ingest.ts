import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { type AppInfo, appKeyOf, applyAppEvent } from '../events/app-events.js';
import { APP_EVENT_NAMES, KNOWN_UNUSED_EVENTS } from '../events/catalog.js';
import { type EventLine, frameLines } from '../events/frame.js';
import { looksLikeJsonObject, sniffEventName } from '../events/sniff.js';
import type { LogSource } from '../source/discover.js';
import type { PartRead, PartStream } from '../source/read.js';
import type { Db } from './db.js';
import { badLinesSql, extractSql } from './extract.js';
import { insertRows } from './insert.js';
import { type StagedFile, Staging } from './staging.js';
import { apps, eventTables, ingestErrors, ingestedFiles, perAppTables, sparkProperties, tasks } from './tables/index.js';

/** Task lines are handed to DuckDB in batches this big, so memory stays flat however long the log is. */
const TASK_BATCH_BYTES = 64 * 1024 * 1024;
const TASK_END = tasks.events[0]!;
// JobStart feeds both jobs and stages (its Stage Infos name the stages a job skipped).
const TABLES_OF_EVENT = new Map<string, typeof eventTables[number][]>();
for (const t of eventTables) for (const e of t.events) TABLES_OF_EVENT.set(e, [...(TABLES_OF_EVENT.get(e) ?? []), t]);

export interface IngestIssue {
  path: string;
  lineNo: number | null;
  kind: 'bad_line' | 'cut_line' | 'cut_stream';
  reason: string;
}

export interface AppIngestResult {
  appKey: string;
  logPath: string;
  events: number;
  unknownEvents: Record<string, number>;
  issues: IngestIssue[];
  completed: boolean;
  parts: PartRead[];
  /** A complete copy of this app was already stored; this incomplete one was recorded but not used. */
  keptStoredCopy: boolean;
}

/**
 * Reads one app's log into the database in one transaction: its previous rows are replaced, or, if anything
 * fails, left exactly as they were.
 */
export async function ingestApp(db: Db, source: LogSource, parts: AsyncIterable<PartStream>): Promise<AppIngestResult> {
  const loader = new AppLoader(db, source);
  try {
    return await loader.load(parts);
  } catch (error) {
    await loader.abort();
    throw error;
  } finally {
    loader.staging.remove();
  }
}

class AppLoader {
  readonly staging = new Staging();
  private readonly info: AppInfo = {};
  private readonly result: AppIngestResult;
  private inTransaction = false;
  private storedCompleted = false;
  private pendingTaskInsert: Promise<void> = Promise.resolve();
  private partPaths: string[] = [];
  private cutLineParts = new Set<string>();

  constructor(private readonly db: Db, private readonly source: LogSource) {
    this.result = { appKey: '', logPath: source.logPath, events: 0, unknownEvents: {}, issues: [], completed: false, parts: [], keptStoredCopy: false };
  }

  async load(parts: AsyncIterable<PartStream>): Promise<AppIngestResult> {
    for await (const part of parts) {
      this.result.parts.push(part.read);
      this.partPaths.push(part.read.path);
      let streamCut: string | undefined;
      for await (const line of frameLines(part.chunks)) {
        // The decoder has finished when the unterminated last line arrives: note a cut stream before the line.
        if (line.unterminated) streamCut = part.read.incompleteReason;
        await this.onLine(line, this.partPaths.length - 1);
      }
      streamCut ??= part.read.incompleteReason && !this.cutLineParts.has(part.read.path) ? part.read.incompleteReason : undefined;
      if (streamCut) this.issue(part.read.path, null, 'cut_stream', streamCut);
    }
    if (this.result.events === 0) throw new InputError(this.source.logPath, emptyReason(this.result));
    await this.finish();
    return this.result;
  }

  private async onLine(line: EventLine, part: number): Promise<void> {
    const file = this.partPaths[part]!;
    const name = sniffEventName(line.bytes);
    if (line.unterminated && !isValidJson(line.bytes)) {
      this.cutLineParts.add(file);
      this.result.parts[part]!.complete = false;
      this.result.parts[part]!.incompleteReason ??= `last line (${line.lineNo}) is cut short`;
      return this.issue(file, line.lineNo, 'cut_line', 'log ends in the middle of this line');
    }
    if (!name) {
      if (this.result.events === 0 && this.result.issues.length === 0 && part === 0) {
        throw new InputError(file, `not a Spark event log: line ${line.lineNo} is not a JSON object with an "Event"`);
      }
      return this.issue(file, line.lineNo, 'bad_line', 'no "Event" name: not a JSON event');
    }
    this.result.events++;
    if (APP_EVENT_NAMES.has(name)) return this.onAppEvent(name, line, file);
    if (TABLES_OF_EVENT.has(name)) {
      await this.staging.add(name, line.bytes, { part, lineNo: line.lineNo });
      if (name === TASK_END && this.staging.bytesOf(TASK_END) >= TASK_BATCH_BYTES && appKeyOf(this.info)) await this.flushTasks();
      return;
    }
    if (!KNOWN_UNUSED_EVENTS.has(name)) this.result.unknownEvents[name] = (this.result.unknownEvents[name] ?? 0) + 1;
    if (!looksLikeJsonObject(line.bytes)) this.issue(file, line.lineNo, 'bad_line', 'not a complete JSON object');
  }

  private onAppEvent(name: string, line: EventLine, file: string): void {
    try {
      applyAppEvent(this.info, name, JSON.parse(line.bytes.toString('utf8')) as Record<string, unknown>);
    } catch (error) {
      this.issue(file, line.lineNo, 'bad_line', `invalid JSON: ${(error as Error).message}`);
    }
  }

  private issue(file: string, lineNo: number | null, kind: IngestIssue['kind'], reason: string): void {
    this.result.issues.push({ path: file, lineNo, kind, reason });
  }

  /** Opens the app's transaction and clears its previous rows; called once the app key is known. */
  private async begin(): Promise<void> {
    if (this.inTransaction) return;
    const appKey = appKeyOf(this.info) ?? fallbackAppKey(this.source);
    this.result.appKey = appKey;
    await this.db.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    const stored = await this.db.all<{ completed: boolean }>('SELECT completed FROM apps WHERE app_key = ?', [appKey]);
    this.storedCompleted = stored[0]?.completed === true;
    for (const table of perAppTables) await this.db.run(`DELETE FROM ${table.name} WHERE app_key = ?`, [appKey]);
  }

  private async flushTasks(): Promise<void> {
    await this.begin();
    const file = await this.staging.take(TASK_END);
    await this.pendingTaskInsert;
    if (!file) return;
    // DuckDB parses this batch on its own threads while Node frames the next one.
    this.pendingTaskInsert = this.extract(tasks, [file]).then(() => this.staging.discard(file));
    this.pendingTaskInsert.catch(() => undefined);
  }

  private async extract(table: (typeof eventTables)[number], files: StagedFile[]): Promise<void> {
    const sql = extractSql(table, files.map((f) => f.event));
    const inserted = await this.db.run(sql, [this.result.appKey, ...files.map((f) => f.path)]);
    // One task row per line: when the counts agree there is no bad line to look for (the costly scan is skipped).
    if (table === tasks && inserted === files[0]!.lines) return;
    for (const file of files) await this.reportBadLines(table, file);
  }

  private async reportBadLines(table: (typeof eventTables)[number], file: StagedFile): Promise<void> {
    const bad = await this.db.all<{ line_seq: number }>(badLinesSql(table, file.event), [file.path]);
    if (bad.length === 0) return;
    const lines = (await readFile(file.path)).toString('utf8').split('\n');
    for (const { line_seq } of bad) {
      const origin = file.origins[line_seq - 1]!;
      const text = lines[line_seq - 1] ?? '';
      this.issue(this.partPaths[origin.part]!, origin.lineNo, 'bad_line', isValidJson(Buffer.from(text)) ? 'a field has an unexpected type' : 'invalid JSON');
    }
  }

  private async finish(): Promise<void> {
    await this.flushTasks();
    await this.pendingTaskInsert;
    const staged = new Map<string, StagedFile>();
    for (const event of TABLES_OF_EVENT.keys()) {
      const file = await this.staging.take(event);
      if (file) staged.set(event, file);
    }
    for (const table of eventTables.filter((t) => t !== tasks)) {
      const files = table.events.map((e) => staged.get(e)).filter((f): f is StagedFile => f !== undefined);
      if (files.length > 0) await this.extract(table, files);
    }
    this.result.completed = this.info.endTime !== undefined && this.result.parts.every((p) => p.complete);
    if (this.storedCompleted && !this.result.completed) {
      // Never let a partial copy (an old .inprogress file) replace a finished one.
      await this.db.run('ROLLBACK');
      this.inTransaction = false;
      this.result.keptStoredCopy = true;
      await this.db.transaction(() => this.recordFiles());
      return;
    }
    await this.writeAppRows();
    await this.recordFiles();
    await this.db.run('COMMIT');
    this.inTransaction = false;
  }

  private async writeAppRows(): Promise<void> {
    const appKey = this.result.appKey;
    const now = Date.now();
    const [last] = await this.db.all<{ t: number | null }>(LAST_CLOCK_SQL, [appKey]);
    const lastEventTime = Math.max(last?.t ?? 0, this.info.endTime ?? 0, this.info.startTime ?? 0) || null;
    const end = this.info.endTime ?? lastEventTime;
    await insertRows(this.db, apps, [{
      app_key: appKey,
      app_id: this.info.appId ?? appKey,
      attempt_id: this.info.attemptId,
      app_name: this.info.appName,
      spark_user: this.info.user,
      spark_version: this.info.sparkVersion,
      start_time: this.info.startTime,
      end_time: this.info.endTime,
      duration_ms: this.info.startTime !== undefined && end ? end - this.info.startTime : null,
      completed: this.result.completed,
      last_event_time: lastEventTime,
      events: this.result.events,
      unknown_events: Object.values(this.result.unknownEvents).reduce((a, b) => a + b, 0),
      bad_lines: this.result.issues.filter((i) => i.kind === 'bad_line').length,
      log_path: this.source.logPath,
    }]);
    await insertRows(this.db, sparkProperties, (this.info.properties ?? []).map(([name, value]) => ({ app_key: appKey, name, value })));
    await insertRows(this.db, ingestErrors, this.result.issues.map((i) => ({
      app_key: appKey, path: i.path, line_no: i.lineNo, kind: i.kind, reason: i.reason, ingested_at: now,
    })));
  }

  private async recordFiles(): Promise<void> {
    const now = Date.now();
    for (const file of this.partPaths) await this.db.run('DELETE FROM ingested_files WHERE path = ?', [file]);
    await insertRows(this.db, ingestedFiles, this.result.parts.map((p, index) => ({
      path: p.path, app_key: this.result.appKey, log_path: this.source.logPath, part_index: index, codec: p.codec,
      size_bytes: p.size, mtime: p.mtimeMs, fingerprint: p.fingerprint, decompressed_bytes: p.decompressedBytes,
      complete: p.complete, incomplete_reason: p.incompleteReason, ingested_at: now,
    })));
  }

  async abort(): Promise<void> {
    await this.pendingTaskInsert.catch(() => undefined);
    if (this.inTransaction) await this.db.run('ROLLBACK').catch(() => undefined);
    this.inTransaction = false;
  }
}

const LAST_CLOCK_SQL = `SELECT epoch_ms(greatest(
  (SELECT max(finish_time) FROM tasks WHERE app_key = $1),
  (SELECT max(complete_time) FROM stages WHERE app_key = $1),
  (SELECT max(end_time) FROM jobs WHERE app_key = $1),
  (SELECT max(greatest(add_time, remove_time)) FROM executors WHERE app_key = $1),
  (SELECT max(greatest(start_time, end_time)) FROM sql_executions WHERE app_key = $1))) AS t`;

function isValidJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function emptyReason(result: AppIngestResult): string {
  if (result.parts.every((p) => p.decompressedBytes === 0)) return 'empty file: no events';
  return result.issues[0] ? `no complete event (${result.issues[0].reason})` : 'no events';
}

/** A log with no ApplicationStart (cut very early) is keyed by its name, as Spark names logs by app id. */
function fallbackAppKey(source: LogSource): string {
  const name = path.basename(source.logPath).replace(/^eventlog_v2_/, '').replace(/\.inprogress$/, '');
  return name.replace(/\.(zstd|zst|lz4|snappy|lzf|gz)$/, '');
}
