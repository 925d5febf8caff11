import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';

// compress-lzf chunks (what Spark writes): 'Z' 'V', type, uint16 BE length[, uint16 BE original length], data.
const CHUNK_STORED = 0;
const CHUNK_COMPRESSED = 1;
const COMMON_HEADER_SIZE = 5;

/** Decodes a stream of compress-lzf chunks; the format has no end marker, so any chunk boundary may end it. */
export async function* decodeLzf(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const reader = new ByteReader(input);
  try {
    for (;;) {
      const chunkStart = reader.offset;
      const header = await reader.read(COMMON_HEADER_SIZE);
      if (header.length === 0) return;
      const type = header[2];
      // A header cut before its type byte is a cut stream, not an unknown type.
      const knownType = type === undefined || type === CHUNK_STORED || type === CHUNK_COMPRESSED;
      if (compareMagic(header, MAGIC.lzf) === 'mismatch' || !knownType) {
        if (chunkStart === 0) throw new InputError(file, 'not an lzf stream (bad magic at byte 0)');
        throw new CutStreamError(`lzf stream corrupt: bad chunk header at byte ${chunkStart}`);
      }
      if (header.length < COMMON_HEADER_SIZE) {
        throw new CutStreamError(`lzf stream ends inside a chunk header at byte ${reader.offset}`);
      }
      const length = header.readUInt16BE(3);
      if (type === CHUNK_STORED) {
        yield await readChunkData(reader, length);
        continue;
      }
      const originalLengthBytes = await reader.read(2);
      if (originalLengthBytes.length < 2) {
        throw new CutStreamError(`lzf stream ends inside a chunk header at byte ${reader.offset}`);
      }
      const compressed = await readChunkData(reader, length);
      yield decompressChunk(compressed, originalLengthBytes.readUInt16BE(0), chunkStart);
    }
  } finally {
    await reader.close();
  }
}

async function readChunkData(reader: ByteReader, length: number): Promise<Buffer> {
  const data = await reader.read(length);
  if (data.length < length) throw new CutStreamError(`lzf stream ends inside a chunk at byte ${reader.offset}`);
  return data;
}

function decompressChunk(compressed: Buffer, originalLength: number, chunkStart: number): Buffer {
  try {
    return lzfDecompress(compressed, originalLength);
  } catch (err) {
    throw new CutStreamError(`lzf stream corrupt: chunk at byte ${chunkStart} fails to decode (${(err as Error).message})`);
  }
}

// Hand-written because no maintained npm package decodes LZF.
/**
 * liblzf's format: a control byte below 32 starts a run of ctrl+1 literal bytes; otherwise it is a
 * back-reference of (ctrl >> 5) + 2 bytes (7 means: add the next byte) at distance ((ctrl & 31) << 8) + next + 1.
 */
function lzfDecompress(src: Buffer, originalLength: number): Buffer {
  const out = Buffer.allocUnsafe(originalLength);
  let ip = 0;
  let op = 0;
  while (ip < src.length) {
    const ctrl = src[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > src.length) throw new Error('literal run past the end of the input');
      if (op + run > originalLength) throw new Error('output longer than the declared original length');
      // A plain loop: runs are at most 32 bytes, where Buffer.copy's call costs more than it saves (~2x slower).
      for (let i = 0; i < run; i++) out[op + i] = src[ip + i]!;
      ip += run;
      op += run;
      continue;
    }
    let length = ctrl >> 5;
    if (ip + (length === 7 ? 2 : 1) > src.length) throw new Error('back-reference past the end of the input');
    if (length === 7) length += src[ip++]!;
    length += 2;
    const from = op - ((ctrl & 0x1f) << 8) - src[ip++]! - 1;
    if (from < 0) throw new Error('back-reference before the start of the output');
    if (op + length > originalLength) throw new Error('output longer than the declared original length');
    // Byte by byte on purpose: source and target may overlap, which repeats the last bytes (run-length style).
    for (let i = 0; i < length; i++) out[op + i] = out[from + i]!;
    op += length;
  }
  if (op !== originalLength) throw new Error(`output is ${op} bytes, not the declared ${originalLength}`);
  return out;
}
