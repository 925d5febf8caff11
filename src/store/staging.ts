import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NEWLINE = Buffer.from('\n');
/** Lines are gathered in memory up to this size, then appended to their file. */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/** Where a staged line came from, so a bad line can be reported by file and line number. */
export interface LineOrigin {
  part: number;
  lineNo: number;
}

/** A file of raw event lines of one event type, ready for DuckDB's JSON reader. */
export interface StagedFile {
  event: string;
  path: string;
  lines: number;
  bytes: number;
  origins: LineOrigin[];
}

class StagedWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private handle?: FileHandle;
  readonly file: StagedFile;

  constructor(event: string, filePath: string) {
    this.file = { event, path: filePath, lines: 0, bytes: 0, origins: [] };
  }

  async add(line: Buffer, origin: LineOrigin): Promise<void> {
    this.pending.push(line, NEWLINE);
    this.pendingBytes += line.length + 1;
    this.file.lines++;
    this.file.bytes += line.length + 1;
    this.file.origins.push(origin);
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
    await this.handle?.close();
    return this.file;
  }
}

/**
 * A private temporary folder of staged line files, one open file per event type. It is removed when the
 * ingest ends, whether it succeeds or not; files DuckDB has read are deleted at once so the folder stays small.
 */
export class Staging {
  /** Folders still on disk; removed on exit, so Ctrl-C leaves no temporary files behind. */
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

  async add(event: string, line: Buffer, origin: LineOrigin): Promise<void> {
    let writer = this.writers.get(event);
    if (!writer) {
      writer = new StagedWriter(event, path.join(this.dir, `${++this.counter}.ndjson`));
      this.writers.set(event, writer);
    }
    await writer.add(line, origin);
  }

  bytesOf(event: string): number {
    return this.writers.get(event)?.file.bytes ?? 0;
  }

  /** Closes the event's current file and hands it over; the next line of that event starts a new file. */
  async take(event: string): Promise<StagedFile | undefined> {
    const writer = this.writers.get(event);
    if (!writer) return undefined;
    this.writers.delete(event);
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
