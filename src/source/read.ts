import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { CutStreamError, InputError } from '../errors.js';
import { type Codec, detectCodec } from './codecs/detect.js';
import { decoderFor } from './codecs/index.js';
import { currentSource, type LogPart, type LogSource } from './discover.js';
import { readOnThread } from './file-readers.js';

const FINGERPRINT_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
/**
 * A big file is read into this many buffers in turn, each overwritten that many reads later: decoders copy what
 * they keep longer (see ByteReader). A fresh buffer per read, freed only when V8 next collected its garbage,
 * piled up in the C heap: on the 1 GB logs, 122-153 MB of lz4, snappy and lzf, reused buffers peak 9-14 MB lower.
 */
export const READ_RING = 3;

/** What reading one file of a log found; filled in while its bytes stream. */
export interface PartRead extends LogPart {
  codec: Codec;
  fingerprint: string;
  decompressedBytes: number;
  complete: boolean;
  incompleteReason?: string;
}

/**
 * The first bytes of a file: enough to tell its codec and whether it changed since the last ingest. Read
 * synchronously: files are probed one after another, and a synchronous read skips the thread hand-offs
 * (measured on re-ingesting 1,000 unchanged logs: see SLOW_READ_MS).
 */
export function probePart(part: LogPart): { codec: Codec; fingerprint: string } {
  const fd = openSync(part.path, 'r');
  try {
    const read = readSync(fd, probeBuffer, 0, Math.min(FINGERPRINT_BYTES, part.size), 0);
    return probeHead(part, probeBuffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/** One buffer for every probe, rather than 64 KiB of garbage per file (a re-run probes every file it finds). */
const probeBuffer = Buffer.allocUnsafe(FINGERPRINT_BYTES);

function probeHead(part: LogPart, head: Buffer): { codec: Codec; fingerprint: string } {
  const first = head.subarray(0, FINGERPRINT_BYTES);
  return { codec: detectCodec(path.basename(part.path), first), fingerprint: createHash('sha1').update(first).digest('hex') };
}

/** One part of a log as it streams: `read` is complete once `chunks` has been consumed. */
export interface PartStream {
  read: PartRead;
  /** Decompressed bytes of the part. A cut stream ends early and marks the part incomplete instead of throwing. */
  chunks: AsyncIterable<Buffer>;
}

/** Files up to this size are read whole: a fleet of small logs is bound by file-system round trips. */
const SMALL_FILE_BYTES = 4 * 1024 * 1024;
/**
 * Small files that take longer than this to read are not in memory (a cold disk, a network mount): once
 * SLOW_READS_IN_A_ROW of them did, small files are read ahead in the background, several at a time, so their
 * latencies overlap. Until then they are read synchronously, which costs a fraction of the background read's
 * thread hand-offs (measured on 1,000 cached logs: 23-47 ms of CPU against 130-190 ms, and 5-7 % of the fleet's
 * wall time).
 */
const SLOW_READ_MS = 2;
/**
 * One slow read is not slow storage: on this VM, in its slow phases, a cached file's read now and then took over
 * 2 ms, and the fleet was read as if from a network mount (its reader threads: 36-40 MB more peak RSS).
 */
const SLOW_READS_IN_A_ROW = 3;
/** How many logs ahead small files are read once reads are slow. */
const READ_AHEAD_LOGS = 16;

/**
 * Reads the logs of one ingest in order. Small files are read whole (ahead of time once the storage proves
 * slow); big files stream in chunks, so memory stays bounded either way.
 */
export class LogReader {
  private readonly ahead = new Map<string, Promise<Buffer>>();
  private slowStorage = false;
  /** Slow reads of small files since the last fast one. */
  private slowReads = 0;
  private readonly sources: LogSource[];

  constructor(
    sources: readonly LogSource[],
    private readonly onRawBytes: (n: number) => void = () => undefined,
    private readonly slowReadMs = SLOW_READ_MS,
  ) {
    this.sources = [...sources];
  }

  /** Log `index` as it is about to be read: renamed if it completed since it was found (see currentSource). */
  source(index: number): LogSource {
    this.sources[index] = currentSource(this.sources[index]!);
    return this.sources[index];
  }

  /**
   * The parts of log `index` (as `source(index)` last gave it), in order, each decompressed. An unreadable part
   * (garbage under a codec's name) throws an InputError naming the file.
   */
  async *read(index: number): AsyncGenerator<PartStream> {
    if (this.slowStorage) this.readAhead(index);
    for (const part of this.sources[index]!.parts) {
      let bytes: Buffer | undefined;
      let probe: { codec: Codec; fingerprint: string };
      try {
        bytes = part.size <= SMALL_FILE_BYTES ? await this.readSmall(part.path) : undefined;
        probe = bytes ? probeHead(part, bytes) : probePart(part);
      } catch (error) {
        throw asInputError(part.path, error);
      }
      const read: PartRead = { ...part, ...probe, decompressedBytes: 0, complete: true };
      const raw = bytes ? once(bytes, this.onRawBytes) : rawBytes(read.path, this.onRawBytes);
      yield { read, chunks: decodePart(read, raw) };
    }
  }

  private async readSmall(file: string): Promise<Buffer> {
    const pending = this.ahead.get(file);
    if (pending) {
      this.ahead.delete(file);
      return pending;
    }
    if (this.slowStorage) return readOnThread(file);
    const started = performance.now();
    const bytes = readFileSync(file);
    this.slowReads = performance.now() - started > this.slowReadMs ? this.slowReads + 1 : 0;
    if (this.slowReads >= SLOW_READS_IN_A_ROW) this.slowStorage = true;
    return bytes;
  }

  private readAhead(index: number): void {
    for (const source of this.sources.slice(index, index + READ_AHEAD_LOGS)) {
      for (const part of source.parts) {
        if (part.size > SMALL_FILE_BYTES || this.ahead.has(part.path)) continue;
        const pending = readOnThread(part.path);
        pending.catch(() => undefined);
        this.ahead.set(part.path, pending);
      }
    }
  }
}

async function* once(bytes: Buffer, onRawBytes: (n: number) => void): AsyncGenerator<Buffer> {
  onRawBytes(bytes.length);
  if (bytes.length > 0) yield bytes;
}

async function* decodePart(read: PartRead, raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of decoderFor(read.codec)(raw, read.path)) {
      read.decompressedBytes += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (!(error instanceof CutStreamError)) throw asInputError(read.path, error);
    read.complete = false;
    read.incompleteReason = error.why;
  }
}

/** A file too big to be read whole (see SMALL_FILE_BYTES), in chunks. */
async function* rawBytes(file: string, onRawBytes: (n: number) => void): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    const ring = Array.from({ length: READ_RING }, () => Buffer.allocUnsafe(READ_CHUNK_BYTES));
    for (let turn = 0; ; turn = (turn + 1) % READ_RING) {
      const { buffer, bytesRead } = await handle.read(ring[turn]!, 0, READ_CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      onRawBytes(bytesRead);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * A file-system error as an input error naming the file, so the other logs are still ingested: a running app's
 * `.inprogress` log is renamed when it completes, possibly between finding and reading it.
 */
export function asInputError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof InputError || typeof code !== 'string') return error;
  return new InputError(file, code === 'ENOENT' ? 'gone before it could be read (renamed or deleted meanwhile)' : `cannot be read (${code})`);
}
