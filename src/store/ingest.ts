import { InputError } from '../errors.js';
import { type AppInfo, appKeyOf, applyAppEvent } from '../events/app-events.js';
import { APP_EVENT_NAMES, KNOWN_UNUSED_EVENTS } from '../events/catalog.js';
import { dropUnreadValues } from '../events/drop-values.js';
import { frameLines, type LineCursor, type LineRegion, nextLine } from '../events/frame.js';
import { slimTaskEnd } from '../events/slim.js';
import { looksLikeJsonObject, sniffEventName } from '../events/sniff.js';
import { logStem } from '../source/codecs/detect.js';
import type { LogSource } from '../source/discover.js';
import type { PartRead, PartStream } from '../source/read.js';
import { type Batch, type Slot, TASK_END } from './batch.js';
import { yieldToDuckDb } from './db.js';
import { type IngestIssue, isValidJson } from './issues.js';
import { apps, eventTables, ingestErrors, ingestedFiles } from './tables/index.js';

export type { IngestIssue } from './issues.js';

/** Lines held back until ApplicationStart names the app; a log without one is keyed by its file name. */
const MAX_LINES_BEFORE_APP_START = 10_000;
const TABLE_EVENTS: ReadonlySet<string> = new Set(eventTables.flatMap((t) => t.events));

export interface AppIngestResult {
  slot: Slot;
  logPath: string;
  events: number;
  unknownEvents: Record<string, number>;
  /** Problems Node found while reading; DuckDB's findings join `slot.issues` when the batch commits. */
  issues: IngestIssue[];
  parts: PartRead[];
}

/**
 * Reads one app's log into `batch`: app-level events are parsed here, table events are staged as raw bytes
 * for DuckDB. The app is stored when the batch commits. An unreadable log throws an InputError and leaves
 * nothing of itself in the batch.
 */
export async function readApp(batch: Batch, source: LogSource, parts: AsyncIterable<PartStream>): Promise<AppIngestResult> {
  const reader = new AppReader(batch, source);
  try {
    return await reader.read(parts);
  } catch (error) {
    await batch.failSlot(reader.slot);
    throw error;
  }
}

class AppReader {
  readonly slot: Slot;
  private readonly info: AppInfo = {};
  private readonly result: AppIngestResult;
  private readonly cutLineParts = new Set<string>();
  private held: { name: string; bytes: Buffer; lineNo: number; part: number }[] | undefined = [];
  /** Ranges of the line being staged, reused from line to line. */
  private readonly ranges: number[] = [];
  /** The line being read, reused from line to line. */
  private readonly line: LineCursor = { start: 0, end: 0, next: 0 };
  private lineBase = 0;

  constructor(private readonly batch: Batch, private readonly source: LogSource) {
    this.slot = batch.openSlot(source.logPath);
    this.result = { slot: this.slot, logPath: source.logPath, events: 0, unknownEvents: {}, issues: [], parts: [] };
  }

  async read(parts: AsyncIterable<PartStream>): Promise<AppIngestResult> {
    for await (const part of parts) {
      const index = this.result.parts.push(part.read) - 1;
      this.slot.partPaths.push(part.read.path);
      this.slot.partStartLines.push(this.lineBase);
      const lines = { lineNo: 0, lastLine: 0 };
      let streamCut: string | undefined;
      for await (const region of frameLines(part.chunks)) {
        // The decoder has finished by the time the unterminated last line arrives: note a cut stream first.
        if (region.unterminated) streamCut = part.read.incompleteReason;
        this.readRegion(region, index, lines);
        const pending = this.afterChunk();
        if (pending) await pending;
      }
      streamCut ??= this.cutLineParts.has(part.read.path) ? undefined : part.read.incompleteReason;
      if (streamCut) this.issue(part.read.path, null, 'cut_stream', streamCut);
      this.lineBase += lines.lastLine;
    }
    if (this.result.events === 0) throw new InputError(this.source.logPath, emptyReason(this.result));
    this.releaseHeld();
    this.stageAppRows();
    await this.afterChunk();
    return this.result;
  }

  /**
   * Between chunks: write out filled staging buffers, let DuckDB take rows, and hand a big app's task rows and
   * lines to DuckDB; undefined when there is nothing to do (an await per chunk and step made a third of the
   * garbage of a big log's reading).
   */
  private afterChunk(): Promise<void> | undefined {
    const yielding = yieldToDuckDb();
    if (!yielding && !this.batch.staging.hasFull && !this.batch.tasksDue()) return undefined;
    return this.catchUp(yielding);
  }

  private async catchUp(yielding: Promise<void> | undefined): Promise<void> {
    if (this.batch.staging.hasFull) await this.batch.staging.drain();
    if (yielding) await yielding;
    if (this.batch.tasksDue()) await this.batch.flushTasks();
  }

  /**
   * The lines of `region`, of part `part`; `lines` counts them (`lastLine`: the number of the last non-empty
   * one). Once the app is known, the task ends are read in WebAssembly, straight into rows (TaskRows.scan),
   * and only the lines it does not take come here one by one.
   */
  private readRegion(region: LineRegion, part: number, lines: { lineNo: number; lastLine: number }): void {
    const { buffer, end } = region;
    const { taskRows } = this.batch;
    const line = this.line;
    let pos = region.start;
    while (pos < end) {
      if (!this.held && taskRows.enabled) {
        const stop = taskRows.scan(this.slot.slot, this.slot.partStartLines[part]!, buffer, pos, end, lines.lineNo);
        this.result.events += stop.rows + stop.skipped;
        lines.lastLine = Math.max(lines.lastLine, stop.lastLine);
        lines.lineNo = stop.lineNo;
        pos = stop.pos;
        if (stop.line) {
          lines.lastLine = stop.lineNo;
          this.onLine(buffer, stop.lineStart, stop.lineEnd, stop.lineNo, false, part);
          continue;
        }
        if (pos >= end) break;
      }
      nextLine(region, pos, line);
      lines.lineNo++;
      pos = line.next;
      if (line.end === line.start) continue;
      lines.lastLine = lines.lineNo;
      this.onLine(buffer, line.start, line.end, lines.lineNo, region.unterminated && line.next > end, part);
    }
  }

  /** Line `lineNo` of part `part` is `buffer[start, end)`; `unterminated` when it is the last line and has no newline. */
  private onLine(buffer: Buffer, start: number, end: number, lineNo: number, unterminated: boolean, part: number): void {
    const file = this.slot.partPaths[part]!;
    // A file some tool saved with a UTF-8 byte order mark: Spark never writes one.
    if (lineNo === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    if (unterminated && !isValidJson(buffer.toString('utf8', start, end))) {
      this.cutLineParts.add(file);
      this.result.parts[part]!.complete = false;
      this.result.parts[part]!.incompleteReason ??= `last line (${lineNo}) is cut short`;
      return this.issue(file, lineNo, 'cut_line', 'log ends in the middle of this line');
    }
    const name = sniffEventName(buffer, start, end);
    if (!name) {
      if (this.result.events === 0 && this.result.issues.length === 0 && part === 0) {
        throw new InputError(file, `not a Spark event log: line ${lineNo} is not a JSON object with an "Event"`);
      }
      return this.issue(file, lineNo, 'bad_line', 'no "Event" name: not a JSON event');
    }
    this.result.events++;
    if (TABLE_EVENTS.has(name)) this.stage(name, buffer, start, end, lineNo, part);
    else if (APP_EVENT_NAMES.has(name)) this.onAppEvent(name, buffer.toString('utf8', start, end), lineNo, file);
    else {
      if (!KNOWN_UNUSED_EVENTS.has(name)) this.result.unknownEvents[name] = (this.result.unknownEvents[name] ?? 0) + 1;
      if (!looksLikeJsonObject(buffer, start, end)) this.issue(file, lineNo, 'bad_line', 'not a complete JSON object');
    }
  }

  private onAppEvent(name: string, text: string, lineNo: number, file: string): void {
    try {
      applyAppEvent(this.info, name, JSON.parse(text) as Record<string, unknown>);
      this.slot.appKey ??= appKeyOf(this.info);
    } catch (error) {
      this.issue(file, lineNo, 'bad_line', `invalid JSON: ${(error as Error).message}`);
    }
  }

  private stage(name: string, buffer: Buffer, start: number, end: number, lineNo: number, part: number): void {
    if (!looksLikeJsonObject(buffer, start, end)) return this.issue(this.slot.partPaths[part]!, lineNo, 'bad_line', 'not a complete JSON object');
    if (this.held) {
      // Lines before ApplicationStart wait for the app's key (a few executor lines, usually).
      const bytes = Buffer.from(buffer.subarray(start, end));
      this.held.push({ name, bytes, lineNo, part });
      if (!this.slot.appKey && this.held.length < MAX_LINES_BEFORE_APP_START) return;
      return this.releaseHeld();
    }
    const globalLine = this.slot.partStartLines[part]! + lineNo;
    const { ranges } = this;
    if (name === TASK_END) {
      slimTaskEnd(buffer, start, end, ranges);
      if (this.batch.taskRows.add(this.slot.slot, globalLine, buffer, ranges)) return;
    } else dropUnreadValues(name, buffer, start, end, ranges);
    this.batch.staging.addLine(name, this.slot.slot, globalLine, buffer, ranges);
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = undefined;
    this.slot.appKey ??= fallbackAppKey(this.source);
    for (const h of held ?? []) this.stage(h.name, h.bytes, 0, h.bytes.length, h.lineNo, h.part);
  }

  private issue(file: string, lineNo: number | null, kind: IngestIssue['kind'], reason: string): void {
    this.result.issues.push({ path: file, lineNo, kind, reason });
  }

  /** The rows Node knows of: the app, its properties, its files and what went wrong while reading them. */
  private stageAppRows(): void {
    const { staging } = this.batch;
    const slot = this.slot.slot;
    const now = Date.now();
    const missing = this.source.missingParts ?? [];
    for (const n of missing) this.issue(this.source.logPath, null, 'missing_part', `part ${n} of this rolling log is not there: its events are missing`);
    // A log with a part missing is a partial copy: a complete copy of the app is never replaced by it.
    this.slot.completed = this.info.endTime !== undefined && this.result.parts.every((p) => p.complete) && missing.length === 0;
    staging.addRow(apps.name, slot, {
      app_id: this.info.appId ?? this.slot.appKey, attempt_id: this.info.attemptId, app_name: this.info.appName, spark_user: this.info.user,
      spark_version: this.info.sparkVersion, start_time: this.info.startTime, end_time: this.info.endTime,
      duration_ms: this.info.endTime && this.info.startTime ? this.info.endTime - this.info.startTime : null,
      completed: this.slot.completed, events: this.result.events,
      unknown_events: Object.values(this.result.unknownEvents).reduce((a, b) => a + b, 0),
      bad_lines: this.result.issues.filter((i) => i.kind === 'bad_line').length, log_path: this.source.logPath,
    });
    for (const i of this.result.issues) {
      staging.addRow(ingestErrors.name, slot, { path: i.path, line_no: i.lineNo, kind: i.kind, reason: i.reason, ingested_at: now });
    }
    for (const [index, p] of this.result.parts.entries()) {
      staging.addRow(ingestedFiles.name, slot, {
        path: p.path, log_path: this.source.logPath, part_index: index, codec: p.codec, size_bytes: p.size, mtime: p.mtimeMs,
        fingerprint: p.fingerprint, decompressed_bytes: p.decompressedBytes, complete: p.complete, incomplete_reason: p.incompleteReason, ingested_at: now,
      });
    }
  }
}

function emptyReason(result: AppIngestResult): string {
  if (result.parts.every((p) => p.decompressedBytes === 0)) {
    const cut = result.parts.find((p) => p.incompleteReason);
    return cut ? `stream cut before its first event (${cut.incompleteReason})` : 'empty file: no events';
  }
  return result.issues[0] ? `no complete event (${result.issues[0].reason})` : 'no events';
}

/** A log with no ApplicationStart (cut very early) is keyed by its name, as Spark names logs by app id. */
function fallbackAppKey(source: LogSource): string {
  return logStem(source.logPath).replace(/^eventlog_v2_/, '');
}
