import { createHash } from 'node:crypto';
import type { Decoder } from '../../../src/source/codecs/index.js';

/** Feeds `bytes` in chunks of `size`, so headers and blocks get split at every kind of place. */
export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
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
