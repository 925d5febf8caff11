import { createHash } from 'node:crypto';
import type { Decoder } from '../../../src/source/codecs/index.js';
import { READ_RING } from '../../../src/source/read.js';

/**
 * Feeds `bytes` in chunks of `size`, so headers and blocks get split at every kind of place; each chunk is a copy
 * in one of READ_RING buffers taken in turn, overwritten READ_RING reads later, as the file reader's are (a
 * decoder that keeps input bytes longer decodes garbage).
 */
export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  const ring = Array.from({ length: READ_RING }, () => Buffer.alloc(Math.min(size, bytes.length)));
  for (let at = 0, turn = 0; at < bytes.length; at += size, turn = (turn + 1) % READ_RING) {
    const chunk = ring[turn]!.subarray(0, Math.min(size, bytes.length - at));
    bytes.copy(chunk, 0, at, at + chunk.length);
    yield chunk;
  }
}

export interface Decoded {
  output: Buffer;
  /** What the decoder threw after yielding `output`, if anything. */
  error: unknown;
}

export async function decodeAll(decode: Decoder, bytes: Buffer, chunkSize = 4093, file = 'test-file'): Promise<Decoded> {
  const parts: Buffer[] = [];
  let error: unknown;
  try {
    for await (const part of decode(chunked(bytes, chunkSize), file)) parts.push(Buffer.from(part));
  } catch (err) {
    error = err;
  }
  return { output: Buffer.concat(parts), error };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes that are no codec's magic and no valid block either. */
export const GARBAGE = Buffer.from('this is not compressed at all, just some text\n'.repeat(20));
