import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkView } from '../events/chunk-view.js';

const NEWLINE = 0x0a;
const FIRST_BUFFER_BYTES = 64 * 1024;
/**
 * Staged lines are copied into buffers of up to this size; full buffers are written out between chunks. Each kind
 * of line has its own: at 2 MiB a big log's kinds held 10-20 MB of them (1 GB log's peak 3-8 MB higher, the
 * 1,000-app fleet's 10 MB; five interleaved pairs).
 */
const MAX_BUFFER_BYTES = 256 * 1024;
const PREFIX_HEAD = Buffer.from('{"_s":');
const PREFIX_MIDDLE = Buffer.from(',"_l":');
/** `{"_s":<slot>,"_l":<line>,` with both numbers at their longest. */
const PREFIX_MAX_BYTES = PREFIX_HEAD.length + PREFIX_MIDDLE.length + 2 * 16 + 1;
const COMMA = 0x2c;
const DIGIT_ZERO = 0x30;

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
  /** Bytes of its longest line. */
  widestLine: number;
  /** Lines per app slot: what DuckDB must return when every line is readable. */
  linesPerSlot: Map<number, number>;
}

/** Appends lines synchronously into memory (no await per line); `drain` writes what has filled up. */
class StagedWriter {
  private buffer: Buffer = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);
  private used = 0;
  private full: { buffer: Buffer; used: number }[] = [];
  /** Written-out buffers, reused: fresh multi-megabyte buffers cost page faults on every first touch. */
  private spare: Buffer[] = [];
  private handle?: FileHandle;
  /** Kept by each writer, not the module: a long-lived process would hold the last chunk after an ingest. */
  private readonly chunk = new ChunkView();
  readonly file: StagedFile;

  constructor(kind: string, filePath: string) {
    this.file = { kind, path: filePath, lines: 0, bytes: 0, widestLine: 0, linesPerSlot: new Map() };
  }

  /**
   * The line is `source`'s `ranges` ([from, to, ...]), a JSON object: its opening brace (the first byte of the
   * first range) makes way for the prefix.
   */
  add(slot: number, lineNo: number, source: Buffer, ranges: readonly number[]): void {
    let length = PREFIX_MAX_BYTES;
    for (let i = 0; i < ranges.length; i += 2) length += ranges[i + 1]! - ranges[i]!;
    this.reserve(length);
    const start = this.used;
    let p = writePrefix(this.buffer, start, slot, lineNo);
    const bytes = this.chunk.of(source);
    for (let i = 0; i < ranges.length; i += 2) {
      const from = ranges[i]! + (i === 0 ? 1 : 0);
      this.buffer.set(bytes.subarray(from, ranges[i + 1]!), p);
      p += ranges[i + 1]! - from;
    }
    this.buffer[p++] = NEWLINE;
    this.used = p;
    this.file.bytes += p - start;
    if (p - start > this.file.widestLine) this.file.widestLine = p - start;
    this.file.lines++;
    this.file.linesPerSlot.set(slot, (this.file.linesPerSlot.get(slot) ?? 0) + 1);
  }

  private reserve(length: number): void {
    if (this.used + length <= this.buffer.length) return;
    if (this.used > 0) this.full.push({ buffer: this.buffer, used: this.used });
    const size = Math.max(length, Math.min(MAX_BUFFER_BYTES, this.buffer.length * 2));
    const spare = this.spare.pop();
    this.buffer = spare && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    this.used = 0;
  }

  get hasFull(): boolean {
    return this.full.length > 0;
  }

  async drain(): Promise<void> {
    if (this.full.length === 0) return;
    this.handle ??= await open(this.file.path, 'w');
    const full = this.full;
    this.full = [];
    await this.handle.writev(full.map((f) => f.buffer.subarray(0, f.used)));
    for (const f of full) if (f.buffer.length === MAX_BUFFER_BYTES) this.spare.push(f.buffer);
  }

  /** Closes the file without writing what is left (its batch failed). */
  abandon(): void {
    this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  async close(): Promise<StagedFile> {
    if (this.used > 0) this.full.push({ buffer: this.buffer, used: this.used });
    this.used = 0;
    await this.drain();
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
  private dir?: string;
  private writers = new Map<string, StagedWriter>();
  private counter = 0;

  /** Made with the first staged line: a batch that stages nothing (the one after the last) leaves no folder. */
  private folder(): string {
    if (this.dir) return this.dir;
    if (!Staging.cleanupRegistered) {
      process.once('exit', () => Staging.live.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
      Staging.cleanupRegistered = true;
    }
    this.dir = mkdtempSync(path.join(stagingRoot(), 'sparkopt-'));
    Staging.live.add(this.dir);
    return this.dir;
  }

  /** Stages one event line, a JSON object given as `source`'s `ranges` ([from, to, ...]) in order. */
  addLine(kind: string, slot: number, lineNo: number, source: Buffer, ranges: readonly number[]): void {
    this.writer(kind).add(slot, lineNo, source, ranges);
  }

  /** Stages a row built in Node, as a JSON object line. */
  addRow(kind: string, slot: number, row: Record<string, unknown>): void {
    const json = Buffer.from(JSON.stringify(row));
    this.writer(kind).add(slot, 0, json, [0, json.length]);
  }

  /** Buffers filled up since the last drain. */
  get hasFull(): boolean {
    for (const writer of this.writers.values()) if (writer.hasFull) return true;
    return false;
  }

  /** Writes out the buffers that filled up; called between chunks, so memory stays bounded. */
  async drain(): Promise<void> {
    for (const writer of this.writers.values()) if (writer.hasFull) await writer.drain();
  }

  private writer(kind: string): StagedWriter {
    let writer = this.writers.get(kind);
    if (!writer) {
      writer = new StagedWriter(kind, path.join(this.folder(), `${++this.counter}.ndjson`));
      this.writers.set(kind, writer);
    }
    return writer;
  }

  bytesOf(kind: string): number {
    return this.pending(kind)?.bytes ?? 0;
  }

  /** The kind's file being written, as staged so far (not to be read before `take`). */
  pending(kind: string): StagedFile | undefined {
    return this.writers.get(kind)?.file;
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
    for (const writer of this.writers.values()) writer.abandon();
    this.writers.clear();
    if (!this.dir) return;
    rmSync(this.dir, { recursive: true, force: true });
    Staging.live.delete(this.dir);
    this.dir = undefined;
  }
}

/**
 * Memory-backed /dev/shm when it exists (Linux) and TMPDIR is not set: staged files are written and read
 * once, and on a disk filesystem those writes cost more than all of the parsing (measured: 512 MB in 1.5 s on
 * ext4, 0.2 s on tmpfs). Staging holds at most two 64 MiB task pieces and the small events of one batch.
 */
function stagingRoot(): string {
  if (process.env.TMPDIR) return tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Writes `{"_s":<slot>,"_l":<lineNo>,` at `at`; returns the offset after it. */
function writePrefix(buffer: Buffer, at: number, slot: number, lineNo: number): number {
  let p = writeSmall(buffer, at, PREFIX_HEAD);
  p = writeUint(buffer, p, slot);
  p = writeSmall(buffer, p, PREFIX_MIDDLE);
  p = writeUint(buffer, p, lineNo);
  buffer[p++] = COMMA;
  return p;
}

/** A few bytes are copied faster in JS than through a native call. */
function writeSmall(buffer: Buffer, at: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) buffer[at + i] = bytes[i]!;
  return at + bytes.length;
}

function writeUint(buffer: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = DIGIT_ZERO + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}
