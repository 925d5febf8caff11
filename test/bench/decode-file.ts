// Reads a log file the way sparkopt does (1 MiB reads, codec told by magic bytes then name, the repo's own
// decoders), so the floor baseline and the plain copies for DuckDB decode exactly what sparkopt decodes.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { type Codec, BYTES_FOR_DETECTION, detectCodec } from '../../src/source/codecs/detect.js';
import { decoderFor } from '../../src/source/codecs/index.js';

const READ_CHUNK_BYTES = 1024 * 1024; // as src/source/read.ts

export function codecOf(file: string): Codec {
  const head = Buffer.alloc(BYTES_FOR_DETECTION);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return detectCodec(file, head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** The decompressed bytes of `file`, chunk by chunk. */
export function decodeFile(file: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>;
  return decoderFor(codecOf(file))(raw, file);
}
