import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { type Block, type BlockMemory, gatheredChunks } from './block-memory.js';
import { MAGIC, compareMagic } from './magic.js';

// lz4-java's LZ4BlockOutputStream framing (what Spark writes), not the LZ4 frame format.
const HEADER_SIZE = 21; // magic 8, token 1, compressed length 4, original length 4, checksum 4
const METHOD_RAW = 0x10;
const METHOD_LZ4 = 0x20;
const CHECKSUM_SEED = 0x9747b28c;
/** lz4-java's Checksum wrapper keeps only the low 28 bits of the hash. */
const CHECKSUM_MASK = 0x0fffffff;

interface BlockHeader {
  method: number;
  compressedLength: number;
  originalLength: number;
  checksum: number;
}

/**
 * Decodes lz4-java block streams; a stream ends with a block whose lengths are both 0, and another stream may
 * follow it. Every block is checked as lz4-java checks it (header sanity, then checksum of the decoded bytes).
 */
export function decodeLz4Blocks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  return gatheredChunks('lz4', lz4Blocks(input, file));
}

async function* lz4Blocks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Block> {
  const reader = new ByteReader(input);
  try {
    let betweenStreams = true;
    for (;;) {
      const blockStart = reader.offset;
      const headerBytes = await reader.peek(HEADER_SIZE);
      if (headerBytes.length === 0) {
        if (betweenStreams) break;
        throw new CutStreamError(`lz4 stream ends at byte ${blockStart} without its end block`);
      }
      if (compareMagic(headerBytes, MAGIC.lz4) === 'mismatch') {
        if (blockStart === 0) throw new InputError(file, 'not an lz4 block stream (bad magic at byte 0)');
        throw new CutStreamError(`lz4 stream corrupt: bad block magic at byte ${blockStart}`);
      }
      if (headerBytes.length < HEADER_SIZE) {
        throw new CutStreamError(`lz4 stream ends inside a block header at byte ${blockStart + headerBytes.length}`);
      }
      const header = parseHeader(headerBytes, blockStart);
      const block = await reader.readExactly(HEADER_SIZE + header.compressedLength, 'lz4 stream ends inside a block');
      betweenStreams = header.originalLength === 0;
      if (betweenStreams) continue;
      const payload = block.subarray(HEADER_SIZE);
      yield { input: payload.length, output: header.originalLength, writeTo: (memory, at) => writeBlock(memory, at, payload, header, blockStart) };
    }
  } finally {
    await reader.close();
  }
}

function writeBlock(memory: BlockMemory, at: number, payload: Buffer, header: BlockHeader, blockStart: number): void {
  if (header.method === METHOD_RAW) memory.store(payload, at);
  else memory.decodeExactly(payload, at, header.originalLength, `lz4 stream corrupt: block at byte ${blockStart}`);
  if ((memory.checksum(at, header.originalLength, CHECKSUM_SEED) & CHECKSUM_MASK) !== header.checksum) {
    throw new CutStreamError(`lz4 stream corrupt: checksum mismatch in the block at byte ${blockStart}`);
  }
}

/** Reads and sanity-checks a block header the way lz4-java's LZ4BlockInputStream does. */
function parseHeader(bytes: Buffer, blockStart: number): BlockHeader {
  const token = bytes[8]!;
  const method = token & 0xf0;
  const blockSize = 1 << (10 + (token & 0x0f));
  const compressedLength = bytes.readInt32LE(9);
  const originalLength = bytes.readInt32LE(13);
  const checksum = bytes.readUInt32LE(17);
  const valid =
    (method === METHOD_RAW || method === METHOD_LZ4) &&
    originalLength >= 0 &&
    originalLength <= blockSize &&
    compressedLength >= 0 &&
    compressedLength <= lz4MaxCompressedLength(blockSize) &&
    (originalLength === 0) === (compressedLength === 0) &&
    (method !== METHOD_RAW || compressedLength === originalLength);
  if (!valid) throw new CutStreamError(`lz4 stream corrupt: bad block header at byte ${blockStart}`);
  return { method, compressedLength, originalLength, checksum };
}

function lz4MaxCompressedLength(originalLength: number): number {
  return originalLength + Math.floor(originalLength / 255) + 16;
}
