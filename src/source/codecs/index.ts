import type { Codec } from './detect.js';
import { decodeGzip } from './gzip.js';
import { decodeLz4Blocks } from './lz4-block.js';
import { decodeLzf } from './lzf.js';
import { decodeSnappyJava } from './snappy-java.js';
import { decodeZstd } from './zstd.js';

/**
 * Turns a file's raw chunks into its decoded bytes. A raw chunk is valid only until the next one is read (the
 * file reader reuses its buffers: READ_RING in read.ts), and a decoded chunk until the next one is asked for (a
 * decoder may reuse its buffer): copy what must outlive that. Throws InputError if the bytes are not that codec at all,
 * CutStreamError (after yielding all it could) if the stream is cut short or corrupt further in.
 */
export type Decoder = (input: AsyncIterable<Buffer>, file: string) => AsyncGenerator<Buffer>;

const DECODERS: Record<Codec, Decoder> = {
  plain: passThrough,
  zstd: decodeZstd,
  lz4: decodeLz4Blocks,
  snappy: decodeSnappyJava,
  lzf: decodeLzf,
  gzip: decodeGzip,
};

export function decoderFor(codec: Codec): Decoder {
  return DECODERS[codec];
}

async function* passThrough(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* input;
}
