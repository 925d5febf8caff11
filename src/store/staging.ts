import { mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NEWLINE = Buffer.from('\n');
/** Lines are gathered in memory up to this size, then appended to their file. */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * A file of raw JSON lines of one kind (one event type, or the rows Node built for one table), ready for
 * DuckDB's JSON reader. Every line starts with `{"_s":<slot>,"_l":<line>,`: which app of the batch it belongs to
 * and its line number in that app's log, so one file serves many apps and keeps their order.
 */
export interface StagedFile {
  kind: string;
  path: string;
  lines: number;
  bytes: number;
  /** Lines per app slot: what DuckDB must return when every line is readable. */
  linesPerSlot: Map<number, number>;
}

class StagedWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private handle?: FileHandle;
  readonly file: StagedFile;

  constructor(kind: string, filePath: string) {
    this.file = { kind, path: filePath, lines: 0, bytes: 0, linesPerSlot: new Map() };
  }

  async add(slot: number, lineNo: number, objectBody: readonly Buffer[]): Promise<void> {
    const prefix = Buffer.from(`{"_s":${slot},"_l":${lineNo},`);
    this.pending.push(prefix, ...objectBody, NEWLINE);
    const bytes = prefix.length + objectBody.reduce((n, b) => n + b.length, 0) + 1;
    this.pendingBytes += bytes;
    this.file.bytes += bytes;
    this.file.lines++;
    this.file.linesPerSlot.set(slot, (this.file.linesPerSlot.get(slot) ?? 0) + 1);
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.write();
  }

  private async write(): Promise<void> {
    if (this.pending.length === 0) return;
    this.handle ??= await open(this.file.path, 'w');
    await this.handle.writev(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }

  async close(): Promise<StagedFile> {
    await this.write();
    await (this.handle ?? (await open(this.file.path, 'w'))).close();
    return this.file;
  }
}

/**
 * A private temporary folder of staged line files, one open file per kind. It is removed when the ingest
 * ends, whether it succeeds or not, and on exit (Ctrl-C); files DuckDB has read are deleted at once.
 */
export class Staging {
  private static readonly live = new Set<string>();
  private static cleanupRegistered = false;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'sparkopt-'));
  private writers = new Map<string, StagedWriter>();
  private counter = 0;

  constructor() {
    if (!Staging.cleanupRegistered) {
      process.once('exit', () => Staging.live.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
      Staging.cleanupRegistered = true;
    }
    Staging.live.add(this.dir);
  }

  /** Stages one event line: `line` must be a JSON object; its opening brace is replaced by the prefix. */
  async addLine(kind: string, slot: number, lineNo: number, pieces: readonly Buffer[]): Promise<void> {
    const [first, ...rest] = pieces;
    await this.writer(kind).add(slot, lineNo, [first!.subarray(1), ...rest]);
  }

  /** Stages a row built in Node, as a JSON object line. */
  async addRow(kind: string, slot: number, row: Record<string, unknown>): Promise<void> {
    await this.writer(kind).add(slot, 0, [Buffer.from(JSON.stringify(row).slice(1))]);
  }

  private writer(kind: string): StagedWriter {
    let writer = this.writers.get(kind);
    if (!writer) {
      writer = new StagedWriter(kind, path.join(this.dir, `${++this.counter}.ndjson`));
      this.writers.set(kind, writer);
    }
    return writer;
  }

  bytesOf(kind: string): number {
    return this.writers.get(kind)?.file.bytes ?? 0;
  }

  totalBytes(): number {
    let total = 0;
    for (const writer of this.writers.values()) total += writer.file.bytes;
    return total;
  }

  /** Closes the kind's current file and hands it over; the next line of that kind starts a new file. */
  async take(kind: string): Promise<StagedFile | undefined> {
    const writer = this.writers.get(kind);
    if (!writer) return undefined;
    this.writers.delete(kind);
    return writer.close();
  }

  async discard(file: StagedFile): Promise<void> {
    await unlink(file.path).catch(() => undefined);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    Staging.live.delete(this.dir);
  }
}
