import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { type Block, type BlockHashing, type BlockMemory, gatheredChunks } from './block-memory.js';
import { MAGIC, compareMagic } from './magic.js';

// lz4-java's LZ4BlockOutputStream framing (what Spark writes), not the LZ4 frame format.
const HEADER_SIZE = 21; // magic 8, token 1, compressed length 4, original length 4, checksum 4
const METHOD_RAW = 0x10;
const METHOD_LZ4 = 0x20;
/** lz4-java's block checksum: XXH32 with this seed, of which its Checksum wrapper keeps the low 28 bits. */
const HASHING: BlockHashing = {
  seed: 0x9747b28c,
  mask: 0x0fffffff,
  mismatch: (start) => `lz4 stream corrupt: checksum mismatch in the block at byte ${start}`,
};

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
  return gatheredChunks('lz4', lz4Blocks(input, file), HASHING);
}

async function* lz4Blocks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Block[]> {
  const reader = new ByteReader(input);
  try {
    let betweenStreams = true;
    for (;;) {
      const run = wholeBlocks(reader);
      if (run.blocks.length > 0 || run.sawEnd) {
        betweenStreams = run.betweenStreams;
        if (run.blocks.length > 0) yield run.blocks;
        continue;
      }
      // The next block is not whole in the chunk at hand, or something is wrong with it: read it (and say what
      // is wrong) a piece at a time.
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
      yield [lz4Block(payload, header, blockStart)];
    }
  } finally {
    await reader.close();
  }
}

function lz4Block(payload: Buffer, header: BlockHeader, blockStart: number): Block {
  return {
    input: payload.length,
    output: header.originalLength,
    writeTo: (memory, at) => writeBlock(memory, at, payload, header, blockStart),
    expectedHash: header.checksum,
    start: blockStart,
  };
}

/**
 * The blocks that lie whole and sound in the chunk at hand, consumed; it stops at the first that does not (the
 * piecewise reading then takes it, and names what is wrong). `sawEnd`: it consumed end blocks only.
 */
function wholeBlocks(reader: ByteReader): { blocks: Block[]; betweenStreams: boolean; sawEnd: boolean } {
  const blocks: Block[] = [];
  const chunk = reader.atHand();
  let at = 0;
  let betweenStreams = false;
  let sawEnd = false;
  while (chunk && chunk.length - at >= HEADER_SIZE && hasMagic(chunk, at)) {
    const header = soundHeader(chunk, at);
    if (!header || chunk.length - at < HEADER_SIZE + header.compressedLength) break;
    betweenStreams = header.originalLength === 0;
    if (betweenStreams) sawEnd = true;
    else blocks.push(lz4Block(chunk.subarray(at + HEADER_SIZE, at + HEADER_SIZE + header.compressedLength), header, reader.offset + at));
    at += HEADER_SIZE + header.compressedLength;
  }
  reader.consume(at);
  return { blocks, betweenStreams, sawEnd: sawEnd && blocks.length === 0 };
}

function hasMagic(chunk: Buffer, at: number): boolean {
  for (let i = 0; i < MAGIC.lz4.length; i++) if (chunk[at + i] !== MAGIC.lz4[i]) return false;
  return true;
}

/** Its checksum is checked by gatheredChunks (HASHING), two blocks at a time. */
function writeBlock(memory: BlockMemory, at: number, payload: Buffer, header: BlockHeader, blockStart: number): void {
  if (header.method === METHOD_RAW) memory.store(payload, at);
  else memory.decodeExactly(payload, at, header.originalLength, `lz4 stream corrupt: block at byte ${blockStart}`);
}

/** Reads and sanity-checks a block header the way lz4-java's LZ4BlockInputStream does. */
function parseHeader(bytes: Buffer, blockStart: number): BlockHeader {
  const header = soundHeader(bytes, 0);
  if (!header) throw new CutStreamError(`lz4 stream corrupt: bad block header at byte ${blockStart}`);
  return header;
}

/** The header at `at` of `bytes` (21 bytes there), or undefined when lz4-java would refuse it. */
function soundHeader(bytes: Buffer, at: number): BlockHeader | undefined {
  const token = bytes[at + 8]!;
  const method = token & 0xf0;
  const blockSize = 1 << (10 + (token & 0x0f));
  const compressedLength = bytes.readInt32LE(at + 9);
  const originalLength = bytes.readInt32LE(at + 13);
  const checksum = bytes.readUInt32LE(at + 17);
  const valid =
    (method === METHOD_RAW || method === METHOD_LZ4) &&
    originalLength >= 0 &&
    originalLength <= blockSize &&
    compressedLength >= 0 &&
    compressedLength <= lz4MaxCompressedLength(blockSize) &&
    (originalLength === 0) === (compressedLength === 0) &&
    (method !== METHOD_RAW || compressedLength === originalLength);
  return valid ? { method, compressedLength, originalLength, checksum } : undefined;
}

function lz4MaxCompressedLength(originalLength: number): number {
  return originalLength + Math.floor(originalLength / 255) + 16;
}
