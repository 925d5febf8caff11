import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { CutStreamError } from '../errors.js';
import { type Codec, detectCodec } from './codecs/detect.js';
import { decoderFor } from './codecs/index.js';
import type { LogPart, LogSource } from './discover.js';

const FINGERPRINT_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;

/** What reading one file of a log found; filled in while its bytes stream. */
export interface PartRead extends LogPart {
  codec: Codec;
  fingerprint: string;
  decompressedBytes: number;
  complete: boolean;
  incompleteReason?: string;
}

/** The first bytes of a file: enough to tell its codec and whether it changed since the last ingest. */
export async function probePart(part: LogPart): Promise<{ codec: Codec; fingerprint: string }> {
  const handle = await open(part.path, 'r');
  try {
    const head = Buffer.alloc(Math.min(FINGERPRINT_BYTES, part.size));
    await handle.read(head, 0, head.length, 0);
    return { codec: detectCodec(path.basename(part.path), head), fingerprint: createHash('sha1').update(head).digest('hex') };
  } finally {
    await handle.close();
  }
}

/** One part of a log as it streams: `read` is complete once `chunks` has been consumed. */
export interface PartStream {
  read: PartRead;
  /** Decompressed bytes of the part. A cut stream ends early and marks the part incomplete instead of throwing. */
  chunks: AsyncIterable<Buffer>;
}

/**
 * Streams a log's parts in order, each decompressed with bounded memory. `onRawBytes` reports progress in bytes
 * read from disk. An unreadable part (garbage under a codec's name) throws an InputError naming the file.
 */
export async function* readLog(source: LogSource, onRawBytes: (n: number) => void = () => undefined): AsyncGenerator<PartStream> {
  for (const part of source.parts) {
    const probe = await probePart(part);
    const read: PartRead = { ...part, ...probe, decompressedBytes: 0, complete: true };
    yield { read, chunks: decodePart(read, onRawBytes) };
  }
}

async function* decodePart(read: PartRead, onRawBytes: (n: number) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of decoderFor(read.codec)(rawBytes(read.path, read.size, onRawBytes), read.path)) {
      read.decompressedBytes += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (!(error instanceof CutStreamError)) throw error;
    read.complete = false;
    read.incompleteReason = error.why;
  }
}

async function* rawBytes(file: string, size: number, onRawBytes: (n: number) => void): AsyncGenerator<Buffer> {
  // Each read allocates a full chunk: a small file gets a small one (a fleet of small logs otherwise churns GC).
  const highWaterMark = Math.max(64 * 1024, Math.min(READ_CHUNK_BYTES, size + 1));
  for await (const chunk of createReadStream(file, { highWaterMark })) {
    onRawBytes((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}
